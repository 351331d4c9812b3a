"""What people see of their sync on Your Integration and admins on Company Integrations."""

import pytest
from django.urls import reverse

from sync.models import SyncRun
from sync.services.runs import begin_run

from .conftest import expected, run_sync

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


def test_sync_now_queues_a_run_for_an_active_integration(client_for, link, pivotal_on,
                                                         django_capture_on_commit_callbacks):
    ana = link("ana")
    run_sync(ana)
    client = client_for(pivotal_on["ana"])

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(SYNC_NOW, follow=True)

    assert "Sync started" in page.content.decode()
    assert SyncRun.objects.filter(user_integration=ana).first().trigger == "manual"


def test_sync_now_is_refused_for_an_integration_that_is_off(client_for, pivotal_on):
    page = client_for(pivotal_on["ana"]).post(SYNC_NOW, follow=True)

    assert "Paste your token and switch your integration on first" in page.content.decode()
    assert not SyncRun.objects.exists()


def test_the_company_page_shows_every_members_sync_state(client_for, emulator, link, pivotal_on):
    run_sync(link("ana"))

    html = client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"])).content.decode()

    assert "succeeded" in html and f"<td>{len(expected(emulator, 'ana'))}</td>" in html
    assert "Ben Okafor" in html and "Not linked" in html
