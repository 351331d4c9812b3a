"""Steps 1-7 end to end against the Pivotal emulator over real HTTP, with the demo people."""

import pytest
from django.urls import reverse

from companies.models import Membership
from integrations.models import CompanyIntegration, UserIntegration
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PERSON = {person.username: person for person in DEMO_PEOPLE}


@pytest.fixture
def ana(company):
    return MembershipFactory(
        company=company, role=Membership.Role.USER, user__email="ana@acme.example", user__full_name="Ana Ruiz"
    )


@pytest.fixture
def olivia(owner):
    """The owner, with the email of the emulator's Olivia (owner@acme.example)."""
    owner.user.email = PERSON["olivia"].email
    owner.user.save()
    return owner


def test_an_owner_turns_pivotal_on_and_a_user_pastes_and_switches_in_one_step(client_for, olivia, ana, emulator):
    owner_client, ana_client = client_for(olivia), client_for(ana)

    ana_before = ana_client.get(reverse("integrations:mine")).content.decode()
    enabled = owner_client.post(
        reverse("integrations:company-enable", args=["pivotal"]), {"token": PERSON["olivia"].api_token}, follow=True
    )
    switched = ana_client.post(
        reverse("integrations:mine-switch", args=["pivotal"]),
        {"token": PERSON["ana"].api_token, "on": "1"},
        follow=True,
    )

    assert "An owner or admin must turn it on" in ana_before
    assert "is now <strong>on</strong>" in enabled.content.decode()
    assert "Olivia Owner" in enabled.content.decode() and "3 projects:" in enabled.content.decode()
    assert all(f"<li>{name}</li>" in enabled.content.decode() for name in ("Billing API", "Mobile", "Web App"))
    assert "Switched ON with the Pivotal Tracker account Ana Ruiz (ana@acme.example)" in (switched.content.decode())
    assert UserIntegration.objects.active().filter(membership=ana).exists()
    assert CompanyIntegration.objects.get().projects_count == 3
    requests_seen = [(entry["method"], entry["path"], entry["status"]) for entry in emulator.request_log.entries()]
    assert requests_seen == [("GET", "/services/v5/me", 200), ("GET", "/services/v5/me", 200)]


def test_a_token_revoked_at_pivotal_is_refused_with_a_clear_message(client_for, owner, emulator):
    emulator.state.revoke_token(PERSON["olivia"].pivotal_id)

    response = client_for(owner).post(
        reverse("integrations:company-enable", args=["pivotal"]), {"token": PERSON["olivia"].api_token}
    )

    assert response.status_code == 400 and "rejected this API token" in response.content.decode()
    assert not CompanyIntegration.objects.filter(is_enabled=True).exists()


def test_pivotal_answering_500_is_reported_and_nothing_is_saved(client_for, owner, emulator):
    emulator.faults.add("status", status=500)

    response = client_for(owner).post(
        reverse("integrations:company-enable", args=["pivotal"]), {"token": PERSON["olivia"].api_token}
    )

    assert response.status_code == 400 and "having trouble (HTTP 500)" in response.content.decode()
    assert not CompanyIntegration.objects.filter(is_enabled=True).exists()


def test_someone_elses_pivotal_account_waits_for_confirmation(client_for, olivia, ana, emulator):
    client_for(olivia).post(
        reverse("integrations:company-enable", args=["pivotal"]), {"token": PERSON["olivia"].api_token}
    )
    client = client_for(ana)

    page = client.post(
        reverse("integrations:mine-switch", args=["pivotal"]),
        {"token": PERSON["sam"].api_token, "on": "1"},
        follow=True,
    ).content.decode()

    assert "Sam Stranger" in page and "Link it anyway" in page
    assert not UserIntegration.objects.filter(membership=ana).exists()


def test_an_owner_whose_email_is_not_the_tokens_confirms_it_first(client_for, owner, emulator):
    enabled = client_for(owner).post(
        reverse("integrations:company-enable", args=["pivotal"]), {"token": PERSON["olivia"].api_token}, follow=True
    )

    assert "not to you, <strong>Olivia Owner</strong>, olivia@acme.example" in enabled.content.decode()
    assert not CompanyIntegration.objects.filter(is_enabled=True).exists()
