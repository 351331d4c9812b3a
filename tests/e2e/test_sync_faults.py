"""Faults against the emulator: whatever Pivotal or the workers do, the tasks end up matching the
emulator exactly, with no duplicates and no lost time."""

import random
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import services
from integrations.models import Status
from integrations.providers.pivotal.emulator.demo_data import BILLING_API, MOBILE, WEB_APP
from sync.models import SyncRun
from sync.services.queue import request_sync
from tests.sync.conftest import PERSON, expected, offered, owned_story, run_sync
from tests.worker import running_worker, wait_until
from tracking.models import Task, TaskAssignment, TimeEntry


def assert_matches_emulator(emulator, membership, username):
    assert offered(membership) == expected(emulator, username)
    assert Task.objects.count() == Task.objects.values("company", "provider", "external_id").distinct().count()
    assert (
        TaskAssignment.objects.filter(membership=membership).count()
        == TaskAssignment.objects.filter(membership=membership).values("task").distinct().count()
    )
    for task in Task.objects.offered_to(membership):
        story = emulator.state.story(int(task.external_id))
        assert (task.title, task.state, task.project.external_id) == (
            story.name,
            story.current_state,
            str(story.project_id),
        )


def track_time_on_every_task(membership):
    """An hour on each task, to prove later that nothing tracked was lost."""
    start = timezone.now() - timedelta(days=30)
    for number, task in enumerate(Task.objects.offered_to(membership).order_by("pk")):
        TimeEntry.objects.create(
            company=membership.company,
            membership=membership,
            task=task,
            source="desktop",
            started_at=start + timedelta(hours=2 * number),
            ended_at=start + timedelta(hours=2 * number + 1),
        )
    return dict(TimeEntry.objects.values_list("pk", "task_id"))


@pytest.mark.django_db
def test_an_answer_slower_than_the_timeout_is_retried_and_the_run_succeeds(emulator, link, pivotal_on, settings):
    settings.PIVOTAL_TIMEOUT_SECONDS = 0.3
    ana = link("ana")
    emulator.faults.add("delay", seconds=1.0, path=f"/projects/{WEB_APP}/stories")

    assert run_sync(ana) == "succeeded"

    assert_matches_emulator(emulator, pivotal_on["ana"], "ana")


@pytest.mark.django_db
def test_a_5xx_burst_longer_than_the_in_place_retries_is_retried_by_the_task(emulator, link, pivotal_on, settings):
    ana = link("ana")
    emulator.faults.add("status", status=502, path="/projects", count=settings.PIVOTAL_MAX_ATTEMPTS * 2)

    assert run_sync(ana) == "succeeded"

    assert SyncRun.objects.get(user_integration=ana).attempts == 3
    assert_matches_emulator(emulator, pivotal_on["ana"], "ana")


@pytest.mark.django_db
def test_a_token_revoked_mid_sync_stops_cleanly_and_keeps_what_was_written(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    web_story, billing_story = (owned_story(emulator, "ana", project_id=project) for project in (WEB_APP, BILLING_API))
    emulator.state.update_story(web_story.id, name="Renamed in Web App")
    emulator.state.update_story(billing_story.id, name="Renamed in Billing API")
    # Web App's activity answers slowly: the token is revoked while the sync waits for it.
    emulator.faults.add("delay", seconds=0.5, path=f"/projects/{WEB_APP}/activity")

    def revoke_once_web_app_stories_are_read():
        wait_until(
            lambda: any(entry["path"].endswith(f"{WEB_APP}/stories") for entry in emulator.request_log.entries()),
            timeout=10,
            interval=0.01,
        )
        emulator.state.revoke_token(PERSON["ana"].pivotal_id)

    emulator.request_log.clear()
    revoker = threading.Thread(target=revoke_once_web_app_stories_are_read)
    revoker.start()
    outcome = run_sync(ana)
    revoker.join()

    ana.refresh_from_db()
    assert outcome == "token_rejected" and ana.status == Status.TOKEN_REJECTED
    assert Task.objects.get(external_id=str(web_story.id)).title == "Renamed in Web App"  # written before
    assert Task.objects.get(external_id=str(billing_story.id)).title != "Renamed in Billing API"  # never read
    assert str(billing_story.id) in offered(pivotal_on["ana"])  # nothing lost
    assert [entry["status"] for entry in emulator.request_log.entries()][-1] == 403  # and no retry after it


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_ten_workers_killed_mid_sync_lose_nothing_and_the_tasks_match_the_emulator(emulator, pivotal_on, settings):
    settings.SYNC_LOCK_STALE_SECONDS = 1
    ana_member = pivotal_on["ana"]
    ana = services.save_user_token(ana_member, "pivotal", PERSON["ana"].api_token)
    services.enable_user_integration(ana, acting=ana_member)
    worker_env = {"PIVOTAL_API_URL": emulator.base_url, "SYNC_LOCK_STALE_SECONDS": "1"}
    with running_worker(extra_env=worker_env):
        wait_until(lambda: offered(ana_member) == expected(emulator, "ana"), timeout=60, message="the first sync")
    time_tracked = track_time_on_every_task(ana_member)
    shuffle = random.Random(7)

    for round_number in range(10):
        emulator.request_log.clear()
        slow_project = change_pivotal(emulator, shuffle, round_number)  # changed, so the sync reads it
        emulator.faults.add("delay", seconds=20, path=f"/projects/{slow_project}/stories")
        with running_worker(extra_env=worker_env) as worker:
            runs_before = SyncRun.objects.count()
            time.sleep(settings.SYNC_LOCK_STALE_SECONDS + 0.2)
            request_sync(ana, "manual")
            wait_until(
                lambda runs_before=runs_before: SyncRun.objects.count() > runs_before,
                timeout=60,
                message="a run to start",
            )
            # The slow answer's rule is used up once its request is in flight: the worker waits on it.
            wait_until(lambda: not emulator.faults.rules(), timeout=30, message="the worker to wait on Pivotal")
            worker.kill()  # SIGKILL, mid-sync
            worker.wait(timeout=10)
        emulator.faults.clear()

    time.sleep(settings.SYNC_LOCK_STALE_SECONDS + 0.2)
    assert run_sync(ana, "schedule") == "succeeded"

    assert_matches_emulator(emulator, ana_member, "ana")
    assert dict(TimeEntry.objects.values_list("pk", "task_id")) == time_tracked
    killed = SyncRun.objects.filter(user_integration=ana, status="failed")
    assert killed.count() == 10 and all("worker stopped" in run.error for run in killed)


def change_pivotal(emulator, shuffle, round_number):
    """Something happens in Pivotal between two runs: a rename, an owner change, a state change,
    a deletion or a move. Returns the project it happened in."""
    state, ana_id, ben_id = emulator.state, PERSON["ana"].pivotal_id, PERSON["ben"].pivotal_id
    stories = [story for project_id in (WEB_APP, BILLING_API) for story in state.stories_in(project_id)]
    story = shuffle.choice(stories)
    project_id = story.project_id
    action = round_number % 5
    if action == 0:
        state.update_story(story.id, name=f"{story.name} (round {round_number})")
    elif action == 1:
        state.update_story(story.id, owner_ids=[ana_id] if ana_id not in story.owner_ids else [ben_id])
    elif action == 2:
        state.update_story(story.id, current_state="accepted" if story.current_state != "accepted" else "started")
    elif action == 3:
        state.delete_story(story.id)  # even with time tracked on it: the time stays
    else:
        state.move_story(story.id, MOBILE)
    return project_id
