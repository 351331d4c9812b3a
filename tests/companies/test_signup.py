"""Sign-up by email: step one emails a link (or, for an address that has an account, a note to its
owner, with the very same answer on screen), step two chooses the password and creates the company."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import AuditEvent, Company, Membership, User

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "Initech Labs",
    "slug": "",
    "time_zone": "Europe/Madrid",
    "full_name": "Peter Gibbons",
    "email": "Peter@Initech.example",
}
PASSWORDS = {"password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"}


def link_in(message):
    return re.search(r"http://testserver(/accounts/signup/\S+/)", message.body).group(1)


def test_it_emails_a_link_that_creates_the_company_with_its_owner_and_signs_them_in(client):
    response = client.post(reverse("signup"), VALID)

    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert not Company.objects.exists() and not User.objects.exists()
    assert mail.outbox[-1].to == ["peter@initech.example"] and "Initech Labs" in mail.outbox[-1].subject
    finished = client.post(link_in(mail.outbox[-1]), PASSWORDS)

    assert finished.status_code == 302 and finished.url == reverse("dashboard")
    company = Company.objects.get(slug="initech-labs")
    assert company.name == "Initech Labs" and company.time_zone == "Europe/Madrid"
    owner = Membership.objects.get(company=company)
    assert owner.role == Membership.Role.OWNER and owner.user.email == "peter@initech.example"
    assert owner.user.check_password(PASSWORDS["password1"]) and owner.user.full_name == "Peter Gibbons"
    assert AuditEvent.objects.filter(company=company, action="company.created").exists()
    assert "Initech Labs is ready" in client.get(reverse("dashboard")).content.decode()


def test_an_email_that_has_an_account_gets_the_same_answer_and_its_owner_a_note(client, owner):
    new = client.post(reverse("signup"), {**VALID, "email": "someone-new@initech.example"})
    existing = client.post(reverse("signup"), {**VALID, "email": "OLIVIA@acme.example", "slug": "other"})

    def shown(response, email):  # the page, less what differs on every page (CSRF token, CSP nonce)
        page = response.content.decode().replace(email, "EMAIL")
        return re.sub(r'("X-CSRFToken": "|nonce="|csrfmiddlewaretoken" value=")[^"]+', r"\1…", page)

    assert existing.status_code == new.status_code == 200
    assert shown(existing, "olivia@acme.example") == shown(new, "someone-new@initech.example")
    note = mail.outbox[-1]
    assert note.to == ["olivia@acme.example"] and "already has an account" in note.body
    assert "/accounts/signup/" not in note.body and "/accounts/password-reset/" in note.body
    assert Company.objects.count() == 1 and not Company.objects.filter(slug="other").exists()


def test_a_link_works_once(client):
    client.post(reverse("signup"), VALID)
    link = link_in(mail.outbox[-1])
    client.post(link, PASSWORDS)

    again = client.post(link, PASSWORDS)

    assert again.status_code == 410 and "already complete" in again.content.decode()
    assert Company.objects.count() == 1


def test_a_tampered_link_is_refused(client):
    client.post(reverse("signup"), VALID)
    link = link_in(mail.outbox[-1])

    response = client.post(link[:-6] + "AAAAA/", PASSWORDS)

    assert response.status_code == 410 and "not valid" in response.content.decode()
    assert not Company.objects.exists()


def test_an_address_taken_meanwhile_is_a_form_error(client, company):
    client.post(reverse("signup"), {**VALID, "slug": "soon-taken"})
    Company.objects.create(name="Quicker", slug="soon-taken")

    response = client.post(link_in(mail.outbox[-1]), PASSWORDS)

    assert response.status_code == 200 and "already taken" in response.content.decode()
    assert not User.objects.filter(email="peter@initech.example").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "acme"}, "slug", "already taken"),
        ({"company_name": "Acme", "slug": ""}, "slug", "already taken"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"company_name": "Initech\r\nBcc: everyone@example.com"}, "company_name", "no line breaks"),
        ({"full_name": "Peter\tGibbons"}, "full_name", "control characters"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_sends_nothing(client, owner, changes, field, message):
    response = client.post(reverse("signup"), {**VALID, **changes})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert mail.outbox == [] and Company.objects.count() == 1


@pytest.mark.parametrize(("password", "message"), [("password123", "too common"), ("short", "too short")])
def test_a_weak_password_is_refused_and_nothing_is_created(client, password, message):
    client.post(reverse("signup"), VALID)

    response = client.post(link_in(mail.outbox[-1]), {"password1": password, "password2": password})

    assert response.status_code == 200 and message in " ".join(response.context["form"].errors["password1"])
    assert not Company.objects.exists()


def test_sign_ups_are_limited_per_client_address(client, settings):
    settings.SIGNUPS_PER_HOUR_PER_IP = 2
    for number in range(2):
        assert client.post(reverse("signup"), {**VALID, "email": f"p{number}@initech.example"}).status_code == 200

    refused = client.post(reverse("signup"), {**VALID, "email": "p2@initech.example"})
    elsewhere = client.post(reverse("signup"), {**VALID, "email": "p3@initech.example"}, REMOTE_ADDR="10.9.8.7")

    assert refused.status_code == 429 and "Too many sign-ups" in refused.content.decode()
    assert elsewhere.status_code == 200
    assert [message.to for message in mail.outbox] == [
        ["p0@initech.example"],
        ["p1@initech.example"],
        ["p3@initech.example"],
    ]


def test_sign_up_emails_to_one_address_are_limited_whether_it_has_an_account_or_not(client, owner, settings):
    settings.ACCOUNT_EMAILS_PER_HOUR = 2
    for email in ("olivia@acme.example", "new@initech.example"):
        answers = [
            client.post(reverse("signup"), {**VALID, "email": email}, REMOTE_ADDR=f"10.0.0.{number}")
            for number in range(3)
        ]

        assert [answer.status_code for answer in answers] == [200, 200, 429]
        assert "Too many emails" in answers[-1].content.decode()
    assert len(mail.outbox) == 4


def test_a_mail_server_that_fails_is_said_and_not_reported_as_sent(client, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }

    response = client.post(reverse("signup"), VALID)

    assert response.status_code == 200 and "could not be sent" in response.content.decode()
    assert "Check your email" not in response.content.decode()
