import pytest
from django.urls import reverse

from companies.models import AuditEvent, Company, Membership, User

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "Initech Labs",
    "slug": "",
    "time_zone": "Europe/Madrid",
    "full_name": "Peter Gibbons",
    "email": "Peter@Initech.example",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_it_creates_the_company_with_its_owner_and_signs_them_in(client):
    response = client.post(reverse("signup"), VALID)

    assert response.status_code == 302 and response.url == reverse("dashboard")
    company = Company.objects.get(slug="initech-labs")
    assert company.name == "Initech Labs" and company.time_zone == "Europe/Madrid"
    owner = Membership.objects.get(company=company)
    assert owner.role == Membership.Role.OWNER and owner.user.email == "peter@initech.example"
    assert AuditEvent.objects.filter(company=company, action="company.created").exists()
    dashboard = client.get(reverse("dashboard"))
    assert "Initech Labs" in dashboard.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "olivia@ACME.example"}, "email", "already exists"),
        ({"slug": "acme"}, "slug", "already taken"),
        ({"company_name": "Acme", "slug": ""}, "slug", "already taken"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password2": "something-else-entirely"}, "password2", "do not match"),
        ({"email": "not-an-email"}, "email", "valid email"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_creates_nothing(client, owner, changes, field, message):
    companies_before, users_before = Company.objects.count(), User.objects.count()

    response = client.post(reverse("signup"), {**VALID, **changes})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert (Company.objects.count(), User.objects.count()) == (companies_before, users_before)
