import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def test_people_sign_in_with_their_email_in_any_letter_case(client, member):
    response = client.post(reverse("login"), {"username": "ANA@acme.example", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["membership"] == member


def test_a_wrong_password_is_refused_with_a_message(client, member):
    response = client.post(reverse("login"), {"username": "ana@acme.example", "password": "wrong-password"})

    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_a_deactivated_member_cannot_sign_in(client, member):
    member.is_active = False
    member.save()

    response = client.post(reverse("login"), {"username": "ana@acme.example", "password": PASSWORD})

    assert response.status_code == 200
    assert "deactivated" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_member_deactivated_during_a_session_is_signed_out(client_for, member):
    client = client_for(member)
    member.is_active = False
    member.save()

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_person_deactivated_in_one_company_keeps_working_in_another(client, member, other_company):
    MembershipFactory(company=other_company, user=member.user)
    member.is_active = False
    member.save()

    client.post(reverse("login"), {"username": "ana@acme.example", "password": PASSWORD})

    assert client.get(reverse("dashboard")).context["company"] == other_company


def test_signing_out_takes_a_post(client_for, member):
    client = client_for(member)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302
