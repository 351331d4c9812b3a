"""Steps 6-7 of the flow: every member links their own Pivotal Tracker account and flips the switch
(the switch carries the token pasted beside it: one action)."""

import pytest
from django.urls import reverse

from companies.models import AuditEvent
from integrations.models import PendingLink, UserIntegration

from .conftest import ADMIN_TOKEN, ANA_TOKEN, BEN_TOKEN, STRANGER_TOKEN

pytestmark = pytest.mark.django_db

MINE = reverse("integrations:mine")
SAVE_TOKEN = reverse("integrations:mine-token", args=["pivotal"])
SWITCH = reverse("integrations:mine-switch", args=["pivotal"])
REMOVE_TOKEN = reverse("integrations:mine-remove-token", args=["pivotal"])


@pytest.fixture
def company_on(client_for, admin, pivotal_people):
    client_for(admin).post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ADMIN_TOKEN})


def link(client, token=ANA_TOKEN):
    return client.post(SAVE_TOKEN, {"token": token})


def switch(client, on, token="", **headers):
    return client.post(SWITCH, {"on": "1" if on else "0", "token": token}, **headers)


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "user"])
def test_every_role_gets_a_token_field_and_an_on_off_switch(client_for, members, role, company_on):
    html = client_for(members[role]).get(MINE).content.decode()

    assert 'name="token"' in html and 'role="switch"' in html
    assert "Create New Token" in html


@pytest.mark.parametrize("role", ["manager", "user"])
def test_a_member_pastes_their_token_and_flips_the_switch_in_one_step(client_for, members, role, company_on):
    membership = members[role]
    if role == "manager":
        membership.user.email = "ben@acme.example"
        membership.user.save()
    client = client_for(membership)

    switched = switch(client, on=True, token=ANA_TOKEN if role == "user" else BEN_TOKEN, follow=True)

    personal = UserIntegration.objects.get(membership=membership)
    assert personal.is_active and personal.token in (ANA_TOKEN, BEN_TOKEN)
    html = switched.content.decode()
    assert switched.redirect_chain == [(MINE, 302)]
    assert f"Switched ON with the Pivotal Tracker account {personal.external_name}" in html
    assert f"••••••••{personal.token[-4:]}" in html
    assert 'aria-checked="true"' in html and "Active: your Pivotal Tracker stories sync." in html
    assert "Token saved" not in html
    assert [e.action for e in AuditEvent.objects.filter(actor=membership).order_by("id")] == [
        "integration.user_token_added",
        "integration.user_enabled",
    ]


def test_without_javascript_the_token_field_and_the_switch_are_one_form(client_for, member, company_on):
    html = client_for(member).get(MINE).content.decode()

    form = html[html.index('id="switch-pivotal"') :]
    form = form[: form.index("</form>")]
    assert 'name="token"' in form and 'role="switch"' in form and 'name="on" value="1"' in form
    assert "disabled" not in form.split('role="switch"')[1].split(">")[0]
    assert "paste your API token, then click the switch to turn it ON" in form


def test_a_token_saved_without_switching_says_the_integration_is_still_off(client_for, member, company_on):
    client = client_for(member)

    page = link(client, ANA_TOKEN)

    html = client.get(MINE).content.decode()
    assert page.status_code == 302
    assert "Your integration is still OFF: click the switch to turn it ON" in html
    assert "message-warning" in html and "message-success" not in html
    assert 'aria-checked="false"' in html and "Off: nothing syncs. Click the switch to turn it ON" in html


def test_while_the_company_integration_is_off_the_page_explains_and_the_switch_is_disabled(client_for, member):
    html = client_for(member).get(MINE).content.decode()

    assert "An owner or admin must turn it on in Company Integrations first" in html
    assert 'name="token"' not in html
    assert 'aria-checked="false"' in html and "disabled>" in html


def test_while_the_company_integration_is_off_the_server_refuses_the_switch_and_the_token(client_for, member, pivotal):
    client = client_for(member)

    switched = switch(client, on=True, follow=True)
    saved = link(client)

    assert "An owner or admin must turn it on" in switched.content.decode()
    assert saved.status_code == 400 and "An owner or admin must turn it on" in saved.content.decode()
    assert not UserIntegration.objects.exists() and len(pivotal.calls) == 0


def test_a_linked_member_cannot_switch_on_after_the_company_turned_it_off(client_for, admin, member, company_on):
    client = client_for(member)
    link(client)
    client_for(admin).post(reverse("integrations:company-disable", args=["pivotal"]))

    response = switch(client, on=True, HTTP_HX_REQUEST="true")

    assert response.status_code == 400 and "An owner or admin must turn it on" in response.content.decode()
    assert UserIntegration.objects.get(membership=member).is_enabled is False


def test_the_switch_flips_in_place_with_htmx_and_the_sync_box_comes_with_it(client_for, member, company_on):
    client = client_for(member)

    response = switch(client, on=True, token=ANA_TOKEN, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card personal-integration')
    assert 'aria-checked="true"' in html and "<html" not in html
    assert 'id="sync-pivotal"' in html and "Sync now" in html  # the status box, fresh
    assert "Not yet" not in html and "None while" not in html
    assert UserIntegration.objects.get(membership=member).is_enabled is True


def test_a_refused_htmx_switch_explains_in_place(client_for, member, company_on):
    response = switch(client_for(member), on=True, token="e" * 32, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 400 and html.lstrip().startswith('<section class="card personal-integration')
    assert 'role="alert"' in html and "rejected this API token" in html
    assert not UserIntegration.objects.filter(membership=member).exists()


def test_switching_off_stops_syncing_but_keeps_the_link(client_for, member, company_on):
    client = client_for(member)
    link(client)
    switch(client, on=True)

    switch(client, on=False)

    personal = UserIntegration.objects.get(membership=member)
    assert personal.is_enabled is False and personal.token == ANA_TOKEN
    assert not UserIntegration.objects.active().filter(membership=member).exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="integration.user").order_by("id")][-2:] == [
        "integration.user_enabled",
        "integration.user_disabled",
    ]


def test_the_switch_cannot_be_turned_on_without_a_token(client_for, member, company_on):
    response = switch(client_for(member), on=True, follow=True)

    assert "Paste your API token first" in response.content.decode()
    assert not UserIntegration.objects.filter(membership=member).exists()


def test_a_token_of_a_different_email_at_pivotal_is_not_saved_before_confirmation(client_for, member, company_on):
    client = client_for(member)

    page = switch(client, on=True, token=STRANGER_TOKEN)

    assert page.status_code == 302 and page.url == reverse("integrations:mine-confirm")
    assert not UserIntegration.objects.filter(membership=member).exists()
    assert not AuditEvent.objects.filter(actor=member).exists()


def test_an_account_already_linked_by_a_colleague_is_refused(client_for, admin, member, company_on):
    for response in (link(client_for(member), ADMIN_TOKEN), switch(client_for(member), on=True, token=ADMIN_TOKEN)):
        html = response.content.decode()
        assert response.status_code == 400
        assert "Adam Admin has already linked" in html and "someone else may be signed in to Pivotal" in html
        assert "two people cannot share one Pivotal Tracker account" in html and "Link it anyway" not in html
    assert not UserIntegration.objects.filter(membership=member).exists()
    assert not PendingLink.objects.exists()


def test_a_rejected_token_is_refused_and_the_previous_one_kept(client_for, member, company_on):
    client = client_for(member)
    switch(client, on=True, token=ANA_TOKEN)

    response = link(client, "e" * 32)

    assert response.status_code == 400 and "rejected this API token" in response.content.decode()
    assert UserIntegration.objects.get(membership=member).token == ANA_TOKEN


def test_a_blank_token_is_refused(client_for, member, company_on, pivotal_people):
    calls_before = len(pivotal_people.calls)

    saved = link(client_for(member), "")
    switched = switch(client_for(member), on=True, token="")

    assert saved.status_code == 400 and "Paste the API token" in saved.content.decode()
    assert switched.status_code == 400
    assert "Paste your API token first, then click the switch" in switched.content.decode()
    assert len(pivotal_people.calls) == calls_before


def test_removing_the_token_switches_the_integration_off_and_is_audited(client_for, member, company_on):
    client = client_for(member)
    link(client)
    switch(client, on=True)

    client.post(REMOVE_TOKEN)

    personal = UserIntegration.objects.get(membership=member)
    assert (personal.token, personal.token_last4, personal.is_enabled, personal.external_id) == ("", "", False, "")
    assert AuditEvent.objects.filter(action="integration.user_token_removed").count() == 1


def test_switches_take_a_post_with_csrf(client_for, member, company_on):
    client = client_for(member)
    link(client)

    assert client.get(SWITCH).status_code == 405
    assert switch(client_for(member, enforce_csrf_checks=True), on=True).status_code == 403
    assert UserIntegration.objects.get(membership=member).is_enabled is False


def test_an_invalid_switch_value_changes_nothing(client_for, member, company_on):
    client = client_for(member)
    link(client)

    page = client.post(SWITCH, {"on": "maybe"}, follow=True)

    assert "Choose on or off" in page.content.decode()
    assert UserIntegration.objects.get(membership=member).is_enabled is False


def test_a_deactivated_member_is_never_active(client_for, admin, member, company_on):
    client = client_for(member)
    link(client)
    switch(client, on=True)

    client_for(admin).post(reverse("companies:deactivate", args=[member.code]))

    assert not UserIntegration.objects.active().filter(membership=member).exists()
