"""A token whose account is not the person's is not saved until they confirm it on a page that
names both accounts side by side; the confirmation is audited. Both tiers, both providers, against
the emulators (Sam Stranger, sam@elsewhere.example, is the demo's stranger in each)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import AuditEvent
from integrations.models import CompanyIntegration, PendingLink, UserIntegration
from integrations.services import PENDING_LINK_MINUTES
from tests.sync.conftest import GITHUB_USERS, PERSON

pytestmark = pytest.mark.django_db

MINE = reverse("integrations:mine")
CONFIRM = reverse("integrations:mine-confirm")
LINK_ANYWAY = reverse("integrations:mine-confirm-link")
CANCEL = reverse("integrations:mine-confirm-cancel")
COMPANY_CONFIRM = reverse("integrations:company-confirm")
COMPANY_LINK_ANYWAY = reverse("integrations:company-confirm-link")
COMPANY_CANCEL = reverse("integrations:company-confirm-cancel")
SAM_PIVOTAL, SAM_GITHUB = PERSON["sam"].api_token, GITHUB_USERS["sam"].token


def switch_on_with(client, provider_id, token, **headers):
    return client.post(reverse("integrations:mine-switch", args=[provider_id]), {"on": "1", "token": token}, **headers)


def everything_but_the_token(client, response):
    """The page, the session and the URL the browser saw: the token is in none of them."""
    session = dict(client.session)
    return response.content.decode() + repr(session) + response.request["PATH_INFO"]


# --- Your Integration -----------------------------------------------------------------------


def test_sams_token_waits_on_a_page_that_names_both_accounts_and_nothing_is_saved(client_for, pivotal_on):
    ana = pivotal_on["ana"]
    client = client_for(ana)

    pasted = switch_on_with(client, "pivotal", SAM_PIVOTAL)
    page = client.get(pasted.url)

    assert pasted.status_code == 302 and pasted.url == CONFIRM
    html = page.content.decode()
    assert (
        "This token belongs to <strong>Sam Stranger</strong>, sam@elsewhere.example,\n      not to you, "
        "<strong>Ana Ruiz</strong>, ana@acme.example"
    ) in html
    assert "sign out of Pivotal Tracker in this browser" in html
    assert "Link it anyway" in html and "Cancel: do not save it" in html
    assert "@sam" in html and "Mobile" in html  # the token's account, side by side with "You"
    assert "no-cache" in page["Cache-Control"]
    assert SAM_PIVOTAL not in everything_but_the_token(client, page)
    assert not UserIntegration.objects.filter(membership=ana).exists()
    pending = PendingLink.objects.get()
    assert (pending.membership, pending.tier, pending.turn_on, pending.token) == (ana, "personal", True, SAM_PIVOTAL)
    assert abs(pending.expires_at - pending.created_at - timedelta(minutes=PENDING_LINK_MINUTES)) < timedelta(seconds=1)


def test_the_held_token_is_stored_encrypted_and_never_in_the_page_or_the_url(client_for, pivotal_on):
    from django.db import connection

    client = client_for(pivotal_on["ana"])
    switch_on_with(client, "pivotal", SAM_PIVOTAL)

    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM integrations_pendinglink")
        (stored,) = cursor.fetchone()
    assert stored and SAM_PIVOTAL not in stored
    html = client.get(CONFIRM).content.decode()
    assert html.count('type="hidden"') == html.count('name="csrfmiddlewaretoken"')  # no hidden token field


def test_link_it_anyway_links_switches_on_and_audits_the_mismatch_with_both_emails(client_for, pivotal_on):
    ana = pivotal_on["ana"]
    client = client_for(ana)
    switch_on_with(client, "pivotal", SAM_PIVOTAL)

    done = client.post(LINK_ANYWAY, follow=True)

    personal = UserIntegration.objects.get(membership=ana)
    assert personal.is_active and personal.external_name == "Sam Stranger" and personal.token == SAM_PIVOTAL
    assert not PendingLink.objects.exists()
    event = AuditEvent.objects.get(action="integration.mismatch_confirmed")
    assert event.actor == ana and event.details["account_email"] == "sam@elsewhere.example"
    assert event.details["member_email"] == "ana@acme.example" and event.details["tier"] == "personal"
    assert "Sam Stranger" in event.summary and "ana@acme.example" in event.summary
    assert SAM_PIVOTAL not in repr(list(AuditEvent.objects.values_list("summary", "details")))
    html = done.content.decode()
    assert done.redirect_chain == [(MINE, 302)] and "Active: your Pivotal Tracker stories sync" in html
    assert html.count("is not yours (ana@acme.example)") == 1  # said once, not twice
    log = client_for(pivotal_on["olivia"]).get(reverse("companies:audit-log")).content.decode()
    assert "although its email is not theirs" in log
    team = client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"]))
    assert "Not their email" in team.content.decode()


def test_cancel_forgets_the_token_and_saves_nothing(client_for, pivotal_on):
    ana = pivotal_on["ana"]
    client = client_for(ana)
    switch_on_with(client, "pivotal", SAM_PIVOTAL)

    cancelled = client.post(CANCEL, follow=True)
    again = client.post(LINK_ANYWAY, follow=True)

    assert "Nothing was saved" in cancelled.content.decode()
    assert "no longer waiting" in again.content.decode()
    assert not PendingLink.objects.exists() and not UserIntegration.objects.filter(membership=ana).exists()
    assert not AuditEvent.objects.filter(actor=ana).exists()


def test_the_confirmation_expires_after_fifteen_minutes(client_for, pivotal_on):
    ana = pivotal_on["ana"]
    client = client_for(ana)
    switch_on_with(client, "pivotal", SAM_PIVOTAL)
    PendingLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    page = client.get(CONFIRM, follow=True)
    linked = client.post(LINK_ANYWAY, follow=True)

    assert page.redirect_chain == [(MINE, 302)] and "no longer waiting" in page.content.decode()
    assert "no longer waiting" in linked.content.decode()
    assert not UserIntegration.objects.filter(membership=ana).exists()


def test_only_the_session_that_pasted_the_token_can_confirm_it(client_for, pivotal_on):
    ana = pivotal_on["ana"]
    switch_on_with(client_for(ana), "pivotal", SAM_PIVOTAL)

    other_browser = client_for(ana)

    assert other_browser.get(CONFIRM).status_code == 302
    assert other_browser.post(LINK_ANYWAY).status_code == 302
    assert not UserIntegration.objects.filter(membership=ana).exists() and PendingLink.objects.count() == 1


def test_admin_member_and_outsider_each_reach_only_their_own_confirmation(client_for, pivotal_on, outsider):
    """Three actors: the admin's company-tier confirmation is theirs; a member gets 403 there; an
    outsider holding the member's code (the session is theirs, the row is not) finds nothing."""
    olivia, ana = pivotal_on["olivia"], pivotal_on["ana"]
    ana_client = client_for(ana)
    switch_on_with(ana_client, "pivotal", SAM_PIVOTAL)
    code = PendingLink.objects.get().code

    intruder = client_for(outsider)
    session = intruder.session
    session["integrations.pending_link.personal"] = code
    session.save()
    stolen_page, stolen_link = intruder.get(CONFIRM), intruder.post(LINK_ANYWAY)

    assert stolen_page.status_code == 302 and "Sam Stranger" not in stolen_page.content.decode()
    assert stolen_link.status_code == 302
    assert not UserIntegration.objects.filter(membership__company=outsider.company).exists()
    for url, method in ((COMPANY_CONFIRM, "get"), (COMPANY_LINK_ANYWAY, "post"), (COMPANY_CANCEL, "post")):
        assert getattr(ana_client, method)(url).status_code == 403
    assert client_for(olivia).get(COMPANY_CONFIRM).status_code == 302  # nothing of hers waits
    assert ana_client.get(CONFIRM).status_code == 200  # hers still waits
    assert client_for(ana, enforce_csrf_checks=True).post(LINK_ANYWAY).status_code == 403
    assert ana_client.get(LINK_ANYWAY).status_code == 405
    assert not UserIntegration.objects.filter(membership=ana).exists()


def test_with_htmx_the_switch_sends_the_browser_to_the_confirmation(client_for, pivotal_on):
    response = switch_on_with(client_for(pivotal_on["ana"]), "pivotal", SAM_PIVOTAL, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and response["HX-Redirect"] == CONFIRM and response.content == b""


def test_replace_my_token_with_sams_asks_too_and_keeps_the_old_one_meanwhile(client_for, link, pivotal_on):
    ana = link("ana")

    response = client_for(pivotal_on["ana"]).post(
        reverse("integrations:mine-token", args=["pivotal"]), {"token": SAM_PIVOTAL}
    )

    assert response.url == CONFIRM
    ana.refresh_from_db()
    assert ana.token == PERSON["ana"].api_token and ana.is_active
    assert PendingLink.objects.get().turn_on is False


def test_a_github_token_of_sam_gets_the_same_page_and_the_same_audit(client_for, github_on):
    ana = github_on["ana"]
    client = client_for(ana)

    pasted = switch_on_with(client, "github", SAM_GITHUB)
    html = client.get(pasted.url).content.decode()
    client.post(LINK_ANYWAY)

    assert pasted.url == CONFIRM and "Is this your GitHub Issues account?" in html
    assert "<strong>Sam Stranger</strong>, sam@elsewhere.example" in html and "@sam" in html
    assert "not to you, <strong>Ana Ruiz</strong>, ana@acme.example" in html
    assert SAM_GITHUB not in html
    personal = UserIntegration.objects.get(membership=ana, company_integration__provider="github")
    assert personal.is_active and personal.external_username == "sam"
    event = AuditEvent.objects.get(action="integration.mismatch_confirmed")
    assert event.details["provider"] == "github" and event.details["account_email"] == "sam@elsewhere.example"


def test_an_account_a_colleague_linked_is_refused_outright_with_nothing_to_confirm(client_for, github_on):
    response = switch_on_with(client_for(github_on["ana"]), "github", GITHUB_USERS["olivia"].token)

    html = response.content.decode()
    assert response.status_code == 400 and "Olivia Owner has already linked" in html
    assert "two people cannot share one GitHub Issues account" in html and "Link it anyway" not in html
    assert not PendingLink.objects.exists()


def test_a_matching_account_needs_no_confirmation(client_for, pivotal_on):
    response = switch_on_with(client_for(pivotal_on["ana"]), "pivotal", PERSON["ana"].api_token)

    assert response.url == MINE and not PendingLink.objects.exists()
    assert not AuditEvent.objects.filter(action="integration.mismatch_confirmed").exists()


def test_a_newer_paste_replaces_the_token_waiting(client_for, pivotal_on, emulator):
    client = client_for(pivotal_on["ana"])
    switch_on_with(client, "pivotal", SAM_PIVOTAL)
    switch_on_with(client, "pivotal", PERSON["chloe"].api_token)  # Chloe's: not Ana's either

    html = client.get(CONFIRM).content.decode()

    assert PendingLink.objects.count() == 1 and "Chloe Martin" in html and "Sam Stranger" not in html


# --- Company Integrations -------------------------------------------------------------------


def test_the_company_page_shows_whose_the_current_token_is_before_replace(client_for, pivotal_on):
    html = (
        client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"])).content.decode()
    )

    before_replace = html[: html.index("Replace the token")]
    assert "The current token belongs to <strong>Olivia Owner</strong> (owner@acme.example), @olivia" in before_replace


def test_replacing_the_company_token_with_sams_asks_showing_new_current_and_you(client_for, pivotal_on):
    olivia = pivotal_on["olivia"]
    client = client_for(olivia)

    pasted = client.post(reverse("integrations:company-token", args=["pivotal"]), {"token": SAM_PIVOTAL})
    html = client.get(pasted.url).content.decode()

    assert pasted.url == COMPANY_CONFIRM
    assert "<strong>Sam Stranger</strong>, sam@elsewhere.example" in html
    assert "not to you, <strong>Olivia Owner</strong>, owner@acme.example, nor to the account of the current" in html
    assert "The current company token" in html and "••••••••" in html and "Use it anyway" in html
    assert CompanyIntegration.objects.get().token == PERSON["olivia"].api_token  # unchanged meanwhile

    client.post(COMPANY_LINK_ANYWAY)

    integration = CompanyIntegration.objects.get()
    assert integration.token == SAM_PIVOTAL and integration.external_name == "Sam Stranger"
    event = AuditEvent.objects.get(action="integration.mismatch_confirmed")
    assert event.details["tier"] == "company" and event.details["member_email"] == "owner@acme.example"
    assert event.details["account_email"] == "sam@elsewhere.example"
    assert event.details["previous_account_email"].startswith("Olivia Owner (owner@acme.example)")
    assert AuditEvent.objects.filter(action="integration.company_token_replaced").count() == 1


def test_cancelling_a_company_replacement_keeps_the_current_token(client_for, pivotal_on):
    client = client_for(pivotal_on["olivia"])
    client.post(reverse("integrations:company-token", args=["pivotal"]), {"token": SAM_PIVOTAL})

    done = client.post(COMPANY_CANCEL, follow=True)

    assert done.redirect_chain[-1][0] == reverse("integrations:company-detail", args=["pivotal"])
    assert CompanyIntegration.objects.get().token == PERSON["olivia"].api_token and not PendingLink.objects.exists()


def test_turning_it_on_with_sams_token_asks_and_never_links_the_admins_own_integration(
    client_for, demo_members, emulator
):
    olivia = demo_members["olivia"]
    client = client_for(olivia)

    pasted = client.post(reverse("integrations:company-enable", args=["pivotal"]), {"token": SAM_PIVOTAL})

    assert pasted.url == COMPANY_CONFIRM and not CompanyIntegration.objects.filter(is_enabled=True).exists()
    assert "turns Pivotal Tracker on for everyone" in client.get(COMPANY_CONFIRM).content.decode()
    done = client.post(COMPANY_LINK_ANYWAY, follow=True)

    assert CompanyIntegration.objects.get().is_enabled
    assert not UserIntegration.objects.filter(membership=olivia).exists()
    assert "Your own integration was not linked: the company token belongs to Sam Stranger" in done.content.decode()
    # Turned off and on again with the stored token: still not linked to Olivia.
    client.post(reverse("integrations:company-disable", args=["pivotal"]))
    client.post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ""})
    assert not UserIntegration.objects.filter(membership=olivia).exists()


def test_a_new_token_of_the_current_company_account_is_a_plain_rotation(client_for, pivotal_on):
    client = client_for(pivotal_on["adam"])  # another admin: the account is Olivia's, not Adam's

    replaced = client.post(
        reverse("integrations:company-token", args=["pivotal"]), {"token": PERSON["olivia"].api_token}
    )

    assert replaced.url == reverse("integrations:company-detail", args=["pivotal"]) and not PendingLink.objects.exists()


def test_a_github_company_token_of_sam_asks_too(client_for, github, demo_members):
    client = client_for(demo_members["olivia"])

    pasted = client.post(reverse("integrations:company-enable", args=["github"]), {"token": SAM_GITHUB})

    assert pasted.url == COMPANY_CONFIRM
    assert "Is this the right GitHub Issues account?" in client.get(COMPANY_CONFIRM).content.decode()
    assert not CompanyIntegration.objects.filter(provider="github", is_enabled=True).exists()
