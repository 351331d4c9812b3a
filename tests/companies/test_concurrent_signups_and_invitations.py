"""Races: the same sign-up or the same invitation ten times at once. One wins; the others get the
answer they would get a moment later (a form error), never a 500 nor a second row. On SQLite the
write lock queues them; on PostgreSQL, row locks and the unique constraints do (CI runs both)."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from companies.models import Company, Invitation, Membership, User
from companies.services import create_company

pytestmark = pytest.mark.django_db(transaction=True)
TIMES = 10


def at_once(work, times=TIMES):
    """Runs `work(number)` in `times` threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(times)
    outcomes = [None] * times

    def run(number):
        try:
            barrier.wait()
            outcomes[number] = work(number)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


COMPANY = {
    "name": "Initech",
    "slug": "initech",
    "time_zone": "UTC",
    "owner_name": "Peter",
    "owner_email": "peter@initech.example",
    "owner_password": "a-long-unusual-passphrase",
}


def test_ten_identical_company_creations_at_once_make_one_company_and_nine_form_errors():
    outcomes = at_once(lambda number: create_company(**COMPANY))

    winners = [outcome for outcome in outcomes if isinstance(outcome, Membership)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(winners) == 1 and len(refused) == TIMES - 1, outcomes
    # Whichever unique rule the database checks first (the address or the email), the loser gets that
    # rule's normal form error.
    assert all(
        "already taken" in " ".join(error.messages) or "already exists" in " ".join(error.messages) for error in refused
    ), [error.messages for error in refused]
    assert Company.objects.count() == 1 and User.objects.count() == 1


def test_ten_sign_ups_with_one_email_and_different_addresses_make_one_account():
    outcomes = at_once(lambda number: create_company(**{**COMPANY, "slug": f"initech-{number}"}))

    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refused) == TIMES - 1, outcomes
    assert all("already exists" in " ".join(error.messages) for error in refused)
    assert Company.objects.count() == 1 and User.objects.count() == 1


def test_ten_clicks_on_one_sign_up_link_at_once_create_one_company(settings):
    Client().post(
        reverse("signup"),
        {
            "company_name": "Initech",
            "slug": "",
            "time_zone": "UTC",
            "full_name": "Peter",
            "email": "peter@initech.example",
        },
    )
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]
    clients = [Client() for _ in range(TIMES)]

    outcomes = at_once(
        lambda number: clients[number].post(
            link, {"password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"}
        )
    )

    statuses = sorted(outcome.status_code for outcome in outcomes)
    assert statuses.count(302) == 1 and all(status in (200, 302, 410) for status in statuses), statuses
    assert Company.objects.count() == 1 and User.objects.count() == 1


def test_ten_invitations_of_one_address_at_once_make_one_pending_invitation(client_for, admin, settings):
    settings.INVITATION_EMAILS_PER_HOUR = 100
    clients = [client_for(admin) for _ in range(TIMES)]

    outcomes = at_once(
        lambda number: clients[number].post(reverse("companies:invite"), {"email": "ben@acme.example", "role": "user"})
    )

    statuses = sorted(outcome.status_code for outcome in outcomes)
    assert statuses == [302] + [400] * (TIMES - 1), statuses
    assert all("pending invitation" in outcome.content.decode() for outcome in outcomes if outcome.status_code == 400)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
