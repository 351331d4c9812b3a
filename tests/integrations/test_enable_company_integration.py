"""Steps 1-5 of the flow: an owner or admin turns Pivotal Tracker on for the whole company."""

import pytest
import requests
from django.conf import settings
from django.urls import reverse

from companies.models import AuditEvent
from integrations.models import CompanyIntegration, UserIntegration

from .conftest import ADMIN_TOKEN, ANA_TOKEN, STRANGER_TOKEN

pytestmark = pytest.mark.django_db

DETAIL = reverse("integrations:company-detail", args=["pivotal"])
ENABLE = reverse("integrations:company-enable", args=["pivotal"])
DISABLE = reverse("integrations:company-disable", args=["pivotal"])
ME_URL = f"{settings.PIVOTAL_API_URL}/me"


def turn_on(client, token=ADMIN_TOKEN):
    return client.post(ENABLE, {"token": token})


def test_pivotal_is_listed_with_its_status_for_owners_and_admins(client_for, owner, admin):
    for membership in (owner, admin):
        page = client_for(membership).get(reverse("integrations:company-list"))

        html = page.content.decode()
        assert page.status_code == 200 and "Pivotal Tracker" in html and "Not set up" in html
        assert DETAIL in html


def test_the_pivotal_page_has_the_token_field_the_button_and_where_to_find_the_token(client_for, admin):
    html = client_for(admin).get(DETAIL).content.decode()

    assert 'name="token"' in html and 'type="password"' in html
    assert "Turn it On" in html
    assert "bottom of the profile page" in html


def test_turning_it_on_checks_the_token_enables_the_company_and_shows_a_confirmation(client_for, admin, pivotal_people):
    client = client_for(admin)

    response = turn_on(client)

    assert response.status_code == 302
    assert response.url == reverse("integrations:company-enabled", args=["pivotal"])
    integration = CompanyIntegration.objects.get(company=admin.company, provider="pivotal")
    assert integration.is_enabled and integration.token == ADMIN_TOKEN and integration.changed_by == admin
    assert (integration.external_id, integration.external_name, integration.projects_count) == ("102", "Adam Admin", 2)
    assert pivotal_people.calls[0].request.headers["X-TrackerToken"] == ADMIN_TOKEN
    assert ADMIN_TOKEN not in pivotal_people.calls[0].request.url
    confirmation = client.get(response.url).content.decode()
    assert "Pivotal Tracker is now <strong>on</strong> for everyone at Acme Corp" in confirmation
    assert "Adam Admin" in confirmation and "Your own integration is <strong>active</strong>" in confirmation


def test_the_admin_who_turns_it_on_gets_their_own_integration_active_with_the_same_token(
    client_for, admin, pivotal_people
):
    turn_on(client_for(admin))

    personal = UserIntegration.objects.get(membership=admin)
    assert personal.is_enabled and personal.is_active
    assert personal.token == ADMIN_TOKEN and personal.external_id == "102"
    assert UserIntegration.objects.active().get() == personal


def test_the_admin_may_switch_their_own_integration_off_and_it_stays_off_when_the_company_is_re_enabled(
    client_for, admin, pivotal_people
):
    client = client_for(admin)
    turn_on(client)
    client.post(reverse("integrations:mine-switch", args=["pivotal"]), {"on": "0"})

    client.post(DISABLE)
    turn_on(client, token="")

    assert UserIntegration.objects.get(membership=admin).is_enabled is False
    assert CompanyIntegration.objects.get().is_enabled is True


def test_a_blank_token_keeps_the_stored_one_when_turning_it_on_again(client_for, admin, pivotal_people):
    client = client_for(admin)
    turn_on(client)
    client.post(DISABLE)
    calls_before = len(pivotal_people.calls)

    response = turn_on(client, token="")

    integration = CompanyIntegration.objects.get()
    assert response.status_code == 302 and integration.is_enabled and integration.token == ADMIN_TOKEN
    assert len(pivotal_people.calls) == calls_before


def test_the_page_shows_which_pivotal_account_the_token_belongs_to_and_only_its_last_four_characters(
    client_for, admin, pivotal_people
):
    client = client_for(admin)
    turn_on(client)

    html = client.get(DETAIL).content.decode()

    assert "Adam Admin" in html and "adam@acme.example" in html and "@adam" in html
    assert "••••••••ad01" in html
    assert ADMIN_TOKEN not in html


def fail_with_status(status, body):
    def setup(mock):
        mock.get(ME_URL, status=status, json=body)

    return setup


def fail_with(exception):
    def setup(mock):
        mock.get(ME_URL, body=exception)

    return setup


def answer_garbage(mock):
    mock.get(ME_URL, status=200, body="<html>Service Unavailable</html>", content_type="text/html")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            fail_with_status(401, {"code": "invalid_authentication", "kind": "error", "error": "Invalid"}),
            "Pivotal Tracker rejected this API token",
        ),
        (
            fail_with_status(403, {"code": "invalid_authentication", "kind": "error", "error": "Invalid"}),
            "Pivotal Tracker rejected this API token",
        ),
        (fail_with_status(500, {"kind": "error", "error": "Server error"}), "having trouble (HTTP 500)"),
        (fail_with_status(503, None), "having trouble (HTTP 503)"),
        (fail_with(requests.ConnectionError("refused")), "could not be reached"),
        (fail_with(requests.ReadTimeout("slow")), "did not answer within 10 seconds"),
        (answer_garbage, "not valid JSON"),
    ],
    ids=["401", "403-invalid-authentication", "500", "503", "unreachable", "timeout", "garbage"],
)
def test_a_token_that_cannot_be_checked_gets_a_clear_message_and_changes_nothing(
    client_for, admin, pivotal, setup, message
):
    setup(pivotal)

    response = turn_on(client_for(admin))

    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert ADMIN_TOKEN not in html
    assert not CompanyIntegration.objects.filter(is_enabled=True).exists()
    assert not UserIntegration.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="integration.").exists()


@pytest.mark.parametrize(
    ("token", "message"), [("", "Paste the API token"), ("abc def ghij", "does not look like an API token")]
)
def test_an_empty_or_malformed_token_is_refused_without_asking_pivotal(client_for, admin, pivotal, token, message):
    response = turn_on(client_for(admin), token=token)

    assert response.status_code == 400 and message in response.content.decode()
    assert len(pivotal.calls) == 0 and not CompanyIntegration.objects.filter(is_enabled=True).exists()


def test_turning_it_off_gates_every_personal_integration_and_turning_it_on_restores_them(
    client_for, admin, member, pivotal_people
):
    turn_on(client_for(admin))
    ana = client_for(member)
    ana.post(reverse("integrations:mine-token", args=["pivotal"]), {"token": ANA_TOKEN})
    ana.post(reverse("integrations:mine-switch", args=["pivotal"]), {"on": "1"})
    assert UserIntegration.objects.active().count() == 2

    client_for(admin).post(DISABLE)

    assert UserIntegration.objects.active().count() == 0
    assert UserIntegration.objects.filter(is_enabled=True).count() == 2  # kept, only gated
    turn_on(client_for(admin), token="")
    assert set(UserIntegration.objects.active().values_list("membership", flat=True)) == {admin.pk, member.pk}


def test_turning_on_and_off_and_replacing_the_token_are_audited_without_the_token(client_for, admin, pivotal_people):
    client = client_for(admin)
    turn_on(client)
    client.post(reverse("integrations:company-token", args=["pivotal"]), {"token": STRANGER_TOKEN})
    client.post(reverse("integrations:company-confirm-link"))  # Sam's account: confirmed on its page
    client.post(DISABLE)
    client.post(reverse("integrations:company-remove-token", args=["pivotal"]))

    events = list(AuditEvent.objects.order_by("id").values_list("action", "summary", "details"))
    assert [action for action, _, _ in events] == [
        "integration.company_token_added",
        "integration.company_enabled",
        "integration.user_enabled",
        "integration.mismatch_confirmed",
        "integration.company_token_replaced",
        "integration.company_disabled",
        "integration.company_token_removed",
    ]
    assert all(token not in str(event) for event in events for token in (ADMIN_TOKEN, STRANGER_TOKEN))
    log_page = client.get(reverse("companies:audit-log")).content.decode()
    assert "turned off Pivotal Tracker for the company" in log_page and "ending in sa01" in log_page


def test_the_token_cannot_be_removed_while_the_integration_is_on(client_for, admin, pivotal_people):
    client = client_for(admin)
    turn_on(client)

    page = client.post(reverse("integrations:company-remove-token", args=["pivotal"]), follow=True)

    assert "Turn the integration off before removing its token" in page.content.decode()
    assert CompanyIntegration.objects.get().token == ADMIN_TOKEN


def test_replacing_the_company_token_with_a_rejected_one_keeps_the_old_one(client_for, admin, pivotal_people):
    client = client_for(admin)
    turn_on(client)

    response = client.post(reverse("integrations:company-token", args=["pivotal"]), {"token": "f" * 32})

    assert response.status_code == 400 and "rejected this API token" in response.content.decode()
    assert CompanyIntegration.objects.get().token == ADMIN_TOKEN


def test_an_unknown_provider_is_not_found(client_for, admin):
    assert client_for(admin).get(reverse("integrations:company-detail", args=["jira"])).status_code == 404


def test_managers_and_users_cannot_open_or_change_company_integrations(client_for, manager, member, pivotal):
    for membership in (manager, member):
        client = client_for(membership)
        assert client.get(DETAIL).status_code == 403
        assert turn_on(client).status_code == 403
    assert not CompanyIntegration.objects.exists() and len(pivotal.calls) == 0


def test_one_companys_integration_is_invisible_to_another(client_for, admin, outsider, pivotal_people):
    turn_on(client_for(admin))

    html = client_for(outsider).get(DETAIL).content.decode()

    assert "Adam Admin" not in html and "Not set up" in html
    assert client_for(outsider).post(DISABLE).status_code == 302
    assert CompanyIntegration.objects.get(company=admin.company).is_enabled is True


def test_an_admin_who_removed_their_own_token_is_not_linked_again_when_the_company_is_re_enabled(
    client_for, admin, pivotal_people
):
    client = client_for(admin)
    turn_on(client)
    client.post(reverse("integrations:mine-remove-token", args=["pivotal"]))
    client.post(DISABLE)

    turn_on(client, token="")

    personal = UserIntegration.objects.get(membership=admin)
    assert not personal.has_token and not personal.is_enabled
