"""Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT failures an account, or a client address,
is refused for the cool-off, the right password included; the answer is the same for any email."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def page(response):
    """The page, less what differs on every page (CSRF token, CSP nonce)."""
    return re.sub(r'("X-CSRFToken": "|nonce="|csrfmiddlewaretoken" value=")[^"]+', r"\1…", response.content.decode())


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_is_refused_once_an_account_had_too_many_failures(client, member):
    failures = [sign_in(client, "ana@acme.example", "wrong-password").status_code for _ in range(3)]

    response = sign_in(client, "ana@acme.example", PASSWORD)

    assert failures == [200, 200, 429]  # the failure that reaches the limit is answered with the lockout

    assert response.status_code == 429 and "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_whatever_addresses_the_failures_came_from(client, member):
    for number in range(3):
        sign_in(client, "ANA@acme.example ", "wrong-password", address=f"10.0.1.{number}")

    assert sign_in(client, "ana@acme.example", PASSWORD, address="10.0.2.1").status_code == 429


def test_an_address_trying_many_accounts_is_locked_for_every_account(client, member):
    for number in range(3):
        sign_in(client, f"guess{number}@acme.example", "wrong-password", address="10.0.3.1")

    assert sign_in(client, "ana@acme.example", PASSWORD, address="10.0.3.1").status_code == 429
    assert sign_in(client, "ana@acme.example", PASSWORD, address="10.0.3.2").status_code == 302


def test_an_unknown_email_is_locked_with_the_same_answer(client, member):
    answers = []
    for email in ("nobody@acme.example", "ana@acme.example"):
        for number in range(4):
            answers.append(sign_in(client, email, "wrong-password", address=f"10.1.{len(answers)}.{number}"))

    assert [answer.status_code for answer in answers] == [200, 200, 429, 429] * 2
    assert page(answers[3]) == page(answers[7]) and "Too many sign-in attempts" in page(answers[3])


def test_the_lockout_ends_after_the_cool_off(client, member):
    for _ in range(3):
        sign_in(client, "ana@acme.example", "wrong-password")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))

    assert sign_in(client, "ana@acme.example", PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, member, settings):
    settings.TRUSTED_PROXIES = 1
    for number in range(3):
        client.post(
            reverse("login"),
            {"username": f"guess{number}@acme.example", "password": "x"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 203.0.113.7",
        )

    # The client wrote the left-hand entries itself: changing them does not escape the lockout…
    spoofed = client.post(
        reverse("login"),
        {"username": "ana@acme.example", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.7",
    )
    # …while another person behind the same proxy is not locked out.
    neighbour = client.post(
        reverse("login"),
        {"username": "ana@acme.example", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert spoofed.status_code == 429 and neighbour.status_code == 302
