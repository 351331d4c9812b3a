"""The production path: a real Celery worker process, a real broker (Redis in CI), the emulator."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from integrations import services
from integrations.models import UserIntegration
from integrations.providers.pivotal.emulator.demo_data import BILLING_API, WEB_APP
from sync.models import SyncRun
from sync.services import queue
from tests.worker import running_worker, wait_until
from tracking.models import Task, TaskAssignment

from .conftest import PERSON, expected, offered, run_sync

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_switching_on_makes_the_persons_stories_appear_as_tasks(client_for, emulator, pivotal_on):
    ana = pivotal_on["ana"]
    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url}):
        client = client_for(ana)
        client.post(reverse("integrations:mine-token", args=["pivotal"]), {"token": PERSON["ana"].api_token})
        client.post(reverse("integrations:mine-switch", args=["pivotal"]), {"on": "1"})

        wait_until(
            lambda: offered(ana) == expected(emulator, "ana"), timeout=60, message="Ana's stories to become tasks"
        )

    for task in Task.objects.offered_to(ana):
        story = emulator.state.story(int(task.external_id))
        assert (task.title, task.state, task.project.external_id) == (
            story.name,
            story.current_state,
            str(story.project_id),
        )
    run = SyncRun.objects.get(user_integration__membership=ana)
    assert run.status == "succeeded" and run.trigger == "switched_on" and run.created_count == len(offered(ana))


def test_a_worker_killed_mid_sync_loses_nothing_and_the_next_run_completes_without_duplicates(
    emulator, pivotal_on, settings
):
    settings.SYNC_LOCK_STALE_SECONDS = 2
    ana = pivotal_on["ana"]
    personal = services.save_user_token(ana, "pivotal", PERSON["ana"].api_token)
    web_app = {str(story.id) for story in emulator.state.stories_in(WEB_APP)} & expected(emulator, "ana")
    # Billing API answers slowly: the worker is killed while waiting for it, Web App already written.
    emulator.faults.add("delay", seconds=30, path=f"/projects/{BILLING_API}/stories")

    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url}) as worker:
        services.enable_user_integration(personal, acting=ana)  # queues the sync on commit
        wait_until(lambda: offered(ana) == web_app, timeout=60, message="the first project to be written")
        worker.kill()
        worker.wait(timeout=10)

    emulator.faults.clear()
    time.sleep(settings.SYNC_LOCK_STALE_SECONDS + 0.5)
    assert run_sync(personal, "schedule") == "succeeded"

    assert offered(ana) == expected(emulator, "ana")
    assert TaskAssignment.objects.filter(membership=ana).count() == len(expected(emulator, "ana"))
    assert Task.objects.count() == Task.objects.values("external_id").distinct().count()
    killed, completed = SyncRun.objects.filter(user_integration=personal).order_by("started_at")
    assert killed.status == "failed" and "worker stopped" in killed.error
    assert completed.status == "succeeded"


@pytest.mark.postgres
def test_a_worker_keeps_its_database_connection_from_sync_to_sync_and_replaces_one_the_server_dropped(
    emulator, pivotal_on
):
    """A new connection a task (Celery's default) cost a sync more than its statements; a dropped
    one must not fail the next sync."""
    personal = UserIntegration.objects.get(membership=pivotal_on["olivia"])

    def sync_through_the_worker():
        done = SyncRun.objects.filter(user_integration=personal, status="succeeded").count()
        assert queue.request_sync(personal, SyncRun.Trigger.MANUAL) == "queued"
        wait_until(
            lambda: SyncRun.objects.filter(user_integration=personal, status="succeeded").count() > done,
            timeout=60,
            message="the sync to succeed",
        )
        return worker.database_sessions()

    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url}) as worker:
        first = sync_through_the_worker()
        assert len(first) == 1 and sync_through_the_worker() == first

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [next(iter(first))])
        third = sync_through_the_worker()

    assert len(third) == 1 and third != first
    assert not SyncRun.objects.filter(user_integration=personal).exclude(status="succeeded").exists()
