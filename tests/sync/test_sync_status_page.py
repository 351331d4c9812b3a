"""What people see of their sync on Your Integration and admins on Company Integrations."""

import pytest
from django.urls import reverse

from sync.models import SyncRun
from sync.services.runs import begin_run

from .conftest import PERSON, claim, expected, run_sync

pytestmark = pytest.mark.django_db
MINE = reverse("integrations:mine")
STATUS = reverse("sync:sync-status", args=["pivotal"])
SYNC_NOW = reverse("sync:sync-now", args=["pivotal"])


def test_your_integration_shows_the_last_run_the_next_one_and_recent_runs(client_for, emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)

    html = client_for(pivotal_on["ana"]).get(MINE).content.decode()

    assert "Succeeded" in html and "Next scheduled run" in html and "Not yet" not in html
    assert f"<dt>Tasks offered to you</dt><dd>{len(expected(emulator, 'ana'))}</dd>" in html
    assert "recent-runs" in html and "Sync now" in html


def test_a_running_sync_shows_a_progress_bar_that_polls_until_done(client_for, link, pivotal_on):
    ana = link("ana")
    run = begin_run(ana.pk, "task-1", "manual")
    SyncRun.objects.filter(pk=run.pk).update(progress=40)
    client = client_for(pivotal_on["ana"])

    polling = client.get(STATUS, HTTP_HX_REQUEST="true").content.decode()

    assert '<progress max="100" value="40"' in polling and 'hx-trigger="every 1s"' in polling
    assert "<html" not in polling
    from sync.services.runs import finish_run

    finish_run(SyncRun.objects.get(pk=run.pk))
    done = client.get(STATUS, HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" not in done and "hx-trigger" not in done


def test_a_queued_sync_says_so_and_polls(client_for, link, pivotal_on):
    link("ana")  # switching on queued a sync (no worker runs it in this test)

    html = client_for(pivotal_on["ana"]).get(STATUS).content.decode()

    assert "Waiting for a worker" in html and 'hx-trigger="every 1s"' in html and "<progress" not in html


def test_sync_now_queues_a_run_for_an_active_integration(
    client_for, link, pivotal_on, django_capture_on_commit_callbacks
):
    ana = link("ana")
    run_sync(ana)
    client = client_for(pivotal_on["ana"])

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(SYNC_NOW, follow=True)

    assert "Sync started" in page.content.decode()
    assert SyncRun.objects.filter(user_integration=ana).first().trigger == "manual"


def test_sync_now_is_refused_for_an_integration_that_is_off(client_for, pivotal_on):
    page = client_for(pivotal_on["ana"]).post(SYNC_NOW, follow=True)

    assert "Paste your API token and switch your integration on first" in page.content.decode()
    assert not SyncRun.objects.exists()


def test_the_company_page_shows_every_members_sync_state(client_for, emulator, link, pivotal_on):
    run_sync(link("ana"))

    html = (
        client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"])).content.decode()
    )

    assert "succeeded" in html and f"<td>{len(expected(emulator, 'ana'))}</td>" in html
    assert "Ben Okafor" in html and "Not linked" in html


# --- One state model: the switch, its text, the box, Sync now and the dashboard banner agree ---

DASHBOARD = reverse("dashboard")


def reject_anas_token(emulator, link):
    ana = link("ana")
    emulator.state.revoke_token(PERSON["ana"].pivotal_id)
    assert run_sync(ana) == "token_rejected"
    return ana


def test_after_a_token_is_rejected_nothing_claims_that_it_syncs(client_for, emulator, link, pivotal_on, outsider):
    ana = reject_anas_token(emulator, link)
    client = client_for(pivotal_on["ana"])
    runs_before = SyncRun.objects.count()

    page = client.get(MINE).content.decode()
    refused = client.post(SYNC_NOW, follow=True).content.decode()
    dashboard = client.get(DASHBOARD).content.decode()

    assert "Active: your" not in page and 'aria-checked="false"' in page
    assert "Stopped: Pivotal Tracker rejected your token" in page and ">Token rejected<" in page
    assert "None: your token was rejected" in page and ">Sync now</button>" not in page
    assert "rejected your token, so nothing syncs" in refused and "Sync started" not in refused
    assert SyncRun.objects.count() == runs_before and claim(ana).state == "idle"
    assert 'class="callout error integration-banner"' in dashboard
    assert "Pivotal Tracker rejected your token: your stories no longer sync" in dashboard
    # The admin sees it in the team; someone of another company sees nothing of it.
    team = client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"]))
    assert '<span class="badge error">Token rejected</span>' in team.content.decode()
    assert "integration-banner" not in client_for(pivotal_on["olivia"]).get(DASHBOARD).content.decode()
    assert "integration-banner" not in client_for(outsider).get(DASHBOARD).content.decode()


def test_a_new_token_pasted_beside_the_switch_recovers_a_rejected_integration(client_for, emulator, link, pivotal_on):
    reject_anas_token(emulator, link)
    new_token = emulator.state.rotate_token(PERSON["ana"].pivotal_id)
    client = client_for(pivotal_on["ana"])

    switched = client.post(
        reverse("integrations:mine-switch", args=["pivotal"]), {"on": "1", "token": new_token}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert 'aria-checked="true"' in switched and "Active: your Pivotal Tracker stories sync." in switched
    assert "Sync queued" in switched and "Sync now" in switched
    assert "integration-banner" not in client.get(DASHBOARD).content.decode()


def test_after_flipping_the_switch_the_sync_box_is_fresh_and_polls_until_done(client_for, pivotal_on):
    from integrations.models import UserIntegration

    client = client_for(pivotal_on["ana"])

    switched = client.post(
        reverse("integrations:mine-switch", args=["pivotal"]),
        {"on": "1", "token": PERSON["ana"].api_token},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert "Sync queued" in switched and "The first sync is queued" in switched
    assert f'hx-get="{STATUS}?state=active" hx-trigger="every 1s"' in switched
    assert "Not yet" not in switched and "None while" not in switched
    run_sync(UserIntegration.objects.get(membership=pivotal_on["ana"]))
    polled = client.get(f"{STATUS}?state=active", HTTP_HX_REQUEST="true")
    assert "Succeeded" in polled.content.decode() and "hx-trigger" not in polled.content.decode()
    assert "HX-Refresh" not in polled


def test_a_poll_that_finds_another_state_reloads_the_whole_page(client_for, emulator, link, pivotal_on):
    reject_anas_token(emulator, link)

    polled = client_for(pivotal_on["ana"]).get(f"{STATUS}?state=active", HTTP_HX_REQUEST="true")

    assert polled["HX-Refresh"] == "true"


def test_a_stale_tabs_sync_now_while_the_company_is_off_says_the_company_is_off(client_for, link, pivotal_on):
    link("ana")
    client_for(pivotal_on["olivia"]).post(reverse("integrations:company-disable", args=["pivotal"]))

    for membership in (pivotal_on["ana"], pivotal_on["ben"]):  # linked, and never linked
        client = client_for(membership)
        plain = client.post(SYNC_NOW, follow=True).content.decode()
        in_place = client.post(SYNC_NOW, HTTP_HX_REQUEST="true")

        assert "Pivotal Tracker is turned off for Acme Corp" in plain
        assert "switch your integration on first" not in plain.lower()
        assert ">Sync now</button>" not in plain
        if membership == pivotal_on["ana"]:
            assert in_place.status_code == 400 and "turned off for Acme Corp" in in_place.content.decode()
    assert SyncRun.objects.filter(trigger="manual").count() == 0


def test_the_polled_box_shows_progress_within_a_project(client_for, emulator, link, pivotal_on, settings, monkeypatch):
    """One story a page: the box, polled while the run goes, moves through values between 0 and
    100 within each project instead of sitting at 0 % and jumping to done."""
    import re

    from sync.services.engine import PersonalSync

    settings.PIVOTAL_PAGE_SIZE = 1
    ana = link("ana")
    client = client_for(pivotal_on["ana"])
    seen = []
    save_progress = PersonalSync._save_progress

    def poll_after_saving(engine, progress):
        save_progress(engine, progress)
        html = client.get(f"{STATUS}?state=active", HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 1s"' in html
        seen.append(int(re.search(r'<progress max="100" value="(\d+)"', html).group(1)))
        assert f"{seen[-1]} %" in html

    monkeypatch.setattr(PersonalSync, "_save_progress", poll_after_saving)
    run_sync(ana)

    projects = ana.cursors.count()
    between_projects = {int(100 * done / projects) for done in range(projects + 1)}
    assert projects >= 2 and seen == sorted(seen) and seen[-1] == 100
    assert set(seen) - between_projects, f"only per-project steps were shown: {seen}"
