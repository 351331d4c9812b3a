"""`integrations.state`: one state decides the switch, its text, the sync panel, Sync now and the
dashboard banner, from the rows alone."""

import pytest
from django.urls import reverse

from companies.models import Membership
from integrations import registry
from integrations.models import CompanyIntegration, Status, UserIntegration
from integrations.state import (
    ACTIVE,
    COMPANY_OFF,
    NOT_LINKED,
    SWITCHED_OFF,
    TOKEN_REJECTED,
    state_for,
    state_of,
)

PIVOTAL = registry.get("pivotal")


def rows(*, company_on=True, token=True, rejected=False, switched_on=True):
    """Unsaved rows: the state is decided without the database."""
    integration = CompanyIntegration(provider="pivotal", is_enabled=company_on)
    personal = UserIntegration(
        company_integration=integration,
        membership=Membership(is_active=True),
        is_enabled=switched_on,
        token_last4="ab12" if token else "",
        status=Status.TOKEN_REJECTED if rejected else Status.OK,
    )
    return integration, personal


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"company_on": False}, COMPANY_OFF),
        ({"token": False, "switched_on": False}, NOT_LINKED),
        ({"rejected": True}, TOKEN_REJECTED),
        ({"switched_on": False}, SWITCHED_OFF),
        ({}, ACTIVE),
    ],
)
def test_each_state_is_decided_from_the_rows_alone(kwargs, key):
    """No django_db mark: any query would fail the test."""
    integration, personal = rows(**kwargs)

    state = state_of(PIVOTAL, integration, personal, company_name="Acme Corp")

    assert state.key == key
    assert state.is_on is state.can_sync is state.is_active is (key == ACTIVE)
    assert (state.sync_refusal == "") is (key == ACTIVE)
    assert state.takes_token is (key in (NOT_LINKED, TOKEN_REJECTED, SWITCHED_OFF))
    assert state.can_switch is (key != COMPANY_OFF)
    assert state.switch_text.startswith("Active: your Pivotal Tracker stories sync") is (key == ACTIVE)


def test_a_rejected_token_never_reads_as_active_although_its_switch_is_on():
    state = state_of(PIVOTAL, *rows(rejected=True), company_name="Acme Corp")

    assert state.personal.is_enabled and not state.is_on
    assert state.switch_text.startswith("Stopped: Pivotal Tracker rejected your token")
    assert state.next_run_note == "None: your token was rejected"
    assert "rejected your token" in state.sync_refusal and "rejected your token" in state.banner
    assert state.badge == "Token rejected" and state.banner_class == "error"


def test_the_company_being_off_is_said_as_such_everywhere():
    waiting = state_of(PIVOTAL, *rows(company_on=False), company_name="Acme Corp")
    never_linked = state_of(PIVOTAL, None, None, company_name="Acme Corp")

    for state in (waiting, never_linked):
        assert state.key == COMPANY_OFF and not state.can_switch
        assert state.sync_refusal.startswith("Pivotal Tracker is turned off for Acme Corp")
    assert waiting.badge == "Waiting for the company integration" and "turned off for Acme Corp" in waiting.banner
    assert never_linked.banner == "" and never_linked.badge == "Off for the company"


def test_banners_speak_only_of_what_the_person_set_up_and_does_not_sync():
    for kwargs in ({}, {"switched_on": False}, {"token": False, "switched_on": False}):
        assert state_of(PIVOTAL, *rows(**kwargs), company_name="Acme Corp").banner == ""


@pytest.mark.django_db
def test_the_dashboard_banner_follows_the_state_for_each_actor(
    client_for, admin, member, outsider, company_on_with_ana
):
    """Admin (active): no banner. Member (waiting for the company after it is turned off): a
    banner. Outsider (another company, nothing set up): none."""
    client_for(admin).post(reverse("integrations:company-disable", args=["pivotal"]))

    assert state_for(member, PIVOTAL).is_waiting_for_company
    member_dashboard = client_for(member).get(reverse("dashboard")).content.decode()
    assert "Pivotal Tracker is turned off for Acme Corp: your stories do not sync" in member_dashboard
    assert "integration-banner" not in client_for(outsider).get(reverse("dashboard")).content.decode()
    assert "integration-banner" not in client_for(member).get(reverse("integrations:mine")).content.decode()


@pytest.fixture
def company_on_with_ana(client_for, admin, member, pivotal_people):
    from .conftest import ADMIN_TOKEN, ANA_TOKEN

    client_for(admin).post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ADMIN_TOKEN})
    client_for(member).post(reverse("integrations:mine-switch", args=["pivotal"]), {"on": "1", "token": ANA_TOKEN})
    assert state_for(member, PIVOTAL).is_active
