import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_person_resets_a_forgotten_password_through_the_emailed_link(client, member):
    client.post(reverse("password_reset"), {"email": "ana@acme.example"})

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@acme.example"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "brand-new-passphrase-42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})

    member.user.refresh_from_db()
    assert member.user.check_password(new_password) and not member.user.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_emails_to_one_address_are_limited_to_the_hourly_number(client, member, settings):
    settings.ACCOUNT_EMAILS_PER_HOUR = 3

    answers = [
        client.post(reverse("password_reset"), {"email": "ana@acme.example"}, REMOTE_ADDR=f"10.0.0.{number}")
        for number in range(20)
    ]

    assert len(mail.outbox) == 3
    assert [answer.status_code for answer in answers] == [302] * 3 + [429] * 17
    assert "Too many emails" in answers[-1].content.decode()


def test_the_limit_answers_the_same_for_an_address_without_an_account(client, member, settings):
    settings.ACCOUNT_EMAILS_PER_HOUR = 1

    known = [client.post(reverse("password_reset"), {"email": "ana@acme.example"}).status_code for _ in range(2)]
    unknown = [client.post(reverse("password_reset"), {"email": "nobody@acme.example"}).status_code for _ in range(2)]

    assert known == unknown == [302, 429]
