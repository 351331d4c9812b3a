"""Pivotal stories become tasks: against the emulator over real HTTP, the task run as a worker runs it."""

from datetime import timedelta

import pytest
import responses
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations import services
from integrations.models import Status, TaskScope
from integrations.providers.pivotal.emulator.demo_data import BILLING_API, MOBILE, WEB_APP
from sync.models import SyncClaim, SyncRun
from tracking.models import Task, TaskAssignment, TimeEntry

from .conftest import PERSON, claim, expected, offered, owned_story, run_sync

pytestmark = pytest.mark.django_db


def requests_made(emulator):
    return [(entry["method"], entry["path"]) for entry in emulator.request_log.entries()]


def test_the_first_sync_offers_exactly_the_open_stories_the_person_owns(emulator, link, pivotal_on):
    ana = link("ana")

    assert run_sync(ana) == "succeeded"

    assert offered(pivotal_on["ana"]) == expected(emulator, "ana") != set()
    for task in Task.objects.offered_to(pivotal_on["ana"]).select_related("project"):
        story = emulator.state.story(int(task.external_id))
        assert (task.title, task.state, task.kind, task.url) == (
            story.name,
            story.current_state,
            story.story_type,
            story.url,
        )
        assert task.project.external_id == str(story.project_id)
        assert task.estimate == story.estimate and task.labels == sorted(story.labels)
    run = SyncRun.objects.get(user_integration=ana)
    assert run.status == "succeeded" and run.progress == 100 and run.created_count == len(expected(emulator, "ana"))


def test_a_story_owned_by_two_people_is_one_task_offered_to_both(emulator, link, pivotal_on):
    run_sync(link("ana"))
    run_sync(link("ben"))

    shared = expected(emulator, "ana") & expected(emulator, "ben")
    assert shared, "the demo data has stories owned by both"
    for external_id in shared:
        task = Task.objects.get(external_id=external_id)
        assert set(task.assignees.values_list("user__email", flat=True)) == {"ana@acme.example", "ben@acme.example"}


def test_with_nothing_changed_a_sync_asks_once_and_writes_nothing(emulator, link):
    ana = link("ana")
    run_sync(ana)
    emulator.request_log.clear()

    with CaptureQueriesContext(connection) as queries:
        run_sync(ana)

    assert requests_made(emulator) == [("GET", "/services/v5/projects")]
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
        and (
            "tracking_task" in query["sql"]
            or "tracking_taskassignment" in query["sql"]
            or "tracking_project" in query["sql"]
            or "tracking_synccursor" in query["sql"]
        )
    ]
    assert writes == []


def test_later_syncs_only_ask_for_stories_updated_since_the_cursor(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.update_story(story.id, name="Export CSV, now with filters")
    emulator.request_log.clear()

    run_sync(ana)

    paths = requests_made(emulator)
    assert paths[0] == ("GET", "/services/v5/projects")
    assert ("GET", f"/services/v5/projects/{WEB_APP}/stories") in paths
    assert all(str(BILLING_API) not in path for _, path in paths)  # unchanged project: not read
    stories_call = next(entry for entry in emulator.request_log.entries() if entry["path"].endswith("/stories"))
    assert "updated_after" in stories_call["query"]
    assert Task.objects.get(external_id=str(story.id)).title == "Export CSV, now with filters"


def test_a_story_given_to_someone_else_is_no_longer_offered_but_its_task_and_time_stay(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    task = Task.objects.get(external_id=str(story.id))
    TimeEntry.objects.create(
        company=task.company,
        membership=pivotal_on["ana"],
        task=task,
        source="web",
        started_at=timezone.now() - timedelta(hours=1),
        ended_at=timezone.now(),
    )

    emulator.state.update_story(story.id, owner_ids=[PERSON["ben"].pivotal_id])
    run_sync(ana)

    assert str(story.id) not in offered(pivotal_on["ana"])
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")
    assert TimeEntry.objects.get().task == task
    assert SyncRun.objects.filter(user_integration=ana).first().closed_count == 1


def test_a_story_newly_given_to_the_person_appears(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ben", project_id=WEB_APP)
    assert str(story.id) not in offered(pivotal_on["ana"]) or PERSON["ana"].pivotal_id in story.owner_ids

    emulator.state.update_story(story.id, owner_ids=[PERSON["ana"].pivotal_id])
    run_sync(ana)

    assert str(story.id) in offered(pivotal_on["ana"])


def test_an_accepted_story_closes_unless_the_company_includes_accepted_ones(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=WEB_APP)

    emulator.state.update_story(story.id, current_state="accepted")
    run_sync(ana)

    task = Task.objects.get(external_id=str(story.id))
    assert not task.is_open and task.state == "accepted"
    assert str(story.id) not in offered(pivotal_on["ana"])
    services.change_task_scope(ana.company_integration, TaskScope.OWNED_ALL, acting=pivotal_on["olivia"])
    run_sync(ana)
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana", include_accepted=True)


def test_the_projects_scope_offers_every_story_of_the_persons_projects(emulator, link, pivotal_on):
    ana = link("ana")
    services.change_task_scope(ana.company_integration, TaskScope.PROJECTS_ALL, acting=pivotal_on["olivia"])

    run_sync(ana)

    all_visible = {
        str(story.id) for project_id in (WEB_APP, BILLING_API) for story in emulator.state.stories_in(project_id)
    }
    assert offered(pivotal_on["ana"]) == all_visible


def test_a_deleted_story_keeps_its_task_and_its_tracked_time(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=BILLING_API)
    task = Task.objects.get(external_id=str(story.id))
    now = timezone.now()
    entry = TimeEntry.objects.create(
        company=task.company,
        membership=pivotal_on["ana"],
        task=task,
        source="desktop",
        started_at=now - timedelta(hours=2),
        ended_at=now,
    )

    emulator.state.delete_story(story.id)
    run_sync(ana)

    task.refresh_from_db()
    assert task.is_deleted_upstream and not task.is_open
    assert str(story.id) not in offered(pivotal_on["ana"])
    entry.refresh_from_db()
    assert entry.task == task and entry.ended_at - entry.started_at == timedelta(hours=2)


def test_a_story_moved_to_a_project_the_person_cannot_see_closes_for_them_only(emulator, link, pivotal_on):
    ana, ben = link("ana"), link("ben")
    story = next(
        story
        for story in emulator.state.stories_in(WEB_APP)
        if {PERSON["ana"].pivotal_id, PERSON["ben"].pivotal_id} <= set(story.owner_ids)
        and story.current_state != "accepted"
    )
    run_sync(ana), run_sync(ben)

    emulator.state.move_story(story.id, MOBILE)  # Ben sees Mobile, Ana does not
    run_sync(ana), run_sync(ben)

    assert str(story.id) not in offered(pivotal_on["ana"])
    assert str(story.id) in offered(pivotal_on["ben"])
    task = Task.objects.get(external_id=str(story.id))
    assert task.project.external_id == str(MOBILE) and not task.is_deleted_upstream
    assert Task.objects.filter(external_id=str(story.id)).count() == 1


def test_a_story_moved_between_projects_the_person_sees_follows_them(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=WEB_APP)

    emulator.state.move_story(story.id, BILLING_API)
    run_sync(ana)

    task = Task.objects.get(external_id=str(story.id))
    assert task.project.external_id == str(BILLING_API) and str(story.id) in offered(pivotal_on["ana"])


def test_losing_access_to_a_project_closes_its_tasks_for_that_person(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    billing = {str(story.id) for story in emulator.state.stories_in(BILLING_API)}

    emulator.state.remove_membership(PERSON["ana"].pivotal_id, BILLING_API)
    run_sync(ana)

    assert offered(pivotal_on["ana"]) & billing == set()
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana") != set()
    assert Task.objects.filter(external_id__in=billing).exists()


def test_a_project_answering_unauthorized_operation_closes_only_its_tasks(emulator, link, pivotal_on):
    ana = link("ana")
    run_sync(ana)
    story = owned_story(emulator, "ana", project_id=BILLING_API)
    emulator.state.update_story(story.id, name="Touch Billing so it is read again")
    emulator.faults.add("status", status=403, path=f"/projects/{BILLING_API}/stories")

    assert run_sync(ana) == "succeeded"

    billing = {str(s.id) for s in emulator.state.stories_in(BILLING_API)}
    assert offered(pivotal_on["ana"]) & billing == set()
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana") - billing


def test_a_lost_project_read_ahead_of_the_others_does_not_stop_the_projects_after_it(emulator, link, pivotal_on):
    """Projects are read ahead while earlier ones are written: a 403 on one of them closes that
    project alone, and every project after it is still read and written."""
    ana = link("ana")
    run_sync(ana)
    renamed, offered_before = {}, expected(emulator, "ana")
    for project in emulator.state.projects():  # listed by id: the order they are read in
        owned = [s for s in emulator.state.stories_in(project.id) if str(s.id) in offered_before]
        if owned:
            emulator.state.update_story(owned[0].id, name=f"Renamed in {project.id}")
            renamed[project.id] = str(owned[0].id)
    assert len(renamed) >= 2, "the demo data has stories of ana's in two projects or more"
    first = min(renamed)
    emulator.faults.add("status", status=403, path=f"/projects/{first}/stories")

    assert run_sync(ana) == "succeeded"

    lost = {str(s.id) for s in emulator.state.stories_in(first)}
    assert offered(pivotal_on["ana"]) & lost == set()
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana") - lost
    for project_id in set(renamed) - {first}:
        assert Task.objects.get(external_id=renamed[project_id]).title == f"Renamed in {project_id}"


def test_a_revoked_token_stops_syncing_without_retry_and_tells_the_person(
    emulator, link, pivotal_on, django_capture_on_commit_callbacks
):
    ana = link("ana")
    run_sync(ana)
    emulator.state.revoke_token(PERSON["ana"].pivotal_id)
    emulator.request_log.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_sync(ana)

    ana.refresh_from_db()
    assert outcome == "token_rejected" and ana.status == Status.TOKEN_REJECTED
    assert len(emulator.request_log.entries()) == 1  # no retry
    run = SyncRun.objects.filter(user_integration=ana).first()
    assert run.status == "failed" and "rejected" in run.error
    assert mail.outbox[-1].to == ["ana@acme.example"] and "rejected" in mail.outbox[-1].subject
    assert PERSON["ana"].api_token not in mail.outbox[-1].body
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")  # nothing lost
    assert run_sync(ana) == "inactive"


def test_a_429_with_retry_after_is_waited_out_and_the_run_succeeds(emulator, link, pivotal_on):
    ana = link("ana")
    emulator.request_log.clear()
    emulator.faults.add("rate_limit", retry_after=1, path="/projects")

    assert run_sync(ana) == "succeeded"

    assert [entry["status"] for entry in emulator.request_log.entries()][:2] == [429, 200]
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")


def test_server_errors_then_success_complete_the_run(emulator, link, pivotal_on):
    ana = link("ana")
    emulator.faults.add("status", status=503, path=f"/projects/{WEB_APP}/stories", count=2)

    assert run_sync(ana) == "succeeded"

    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")


def test_persistent_garbage_is_retried_then_recorded_as_a_clear_failure(emulator, link, pivotal_on, settings):
    ana = link("ana")
    emulator.faults.add("malformed", path="/projects", count=1000)

    assert run_sync(ana) == "failed"

    run = SyncRun.objects.get(user_integration=ana)
    assert run.status == "failed" and run.attempts == settings.SYNC_MAX_RETRIES + 1
    assert "Gave up after 6 attempts" in run.error and "not valid JSON" in run.error
    ana.refresh_from_db()
    assert claim(ana).state == "idle" and ana.status == Status.OK


def test_more_than_500_stories_are_read_page_by_page_with_constant_statements_per_page(emulator, link, pivotal_on):
    ana_id = PERSON["ana"].pivotal_id

    def add_stories(count):
        for number in range(count):
            emulator.state.add_story(
                WEB_APP, f"Bulk story {number}", "chore", "started", owner_ids=[ana_id], record_activity=False
            )

    def full_sync_queries():
        ana.cursors.all().delete()
        with CaptureQueriesContext(connection) as queries:
            run_sync(ana)
        return len(queries.captured_queries)

    ana = link("ana")
    add_stories(480)  # Web App: < 1,000 stories → 2 pages
    two_pages = full_sync_queries()
    add_stories(520)  # > 1,000 → 3 pages
    three_pages = full_sync_queries()

    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")
    assert len(offered(pivotal_on["ana"])) > 1000
    per_page = three_pages - two_pages
    assert 0 < per_page <= 12, per_page
    assert [
        entry["query"].get("offset")
        for entry in emulator.request_log.entries()
        if entry["path"].endswith(f"{WEB_APP}/stories")
    ][-3:] == ["0", "500", "1000"]


def test_two_triggers_at_once_make_one_run_and_a_trigger_during_a_run_makes_one_follow_up(
    link, django_capture_on_commit_callbacks
):
    from sync.services.queue import request_sync
    from sync.services.runs import begin_run, release

    ana = link("ana")
    release(ana.pk, "")  # forget the sync that switching on asked for
    with django_capture_on_commit_callbacks() as queued:
        assert request_sync(ana, "manual") == "queued"
        assert request_sync(ana, "webhook") == "coalesced"
    assert len(queued) == 1

    run = begin_run(ana.pk, "task-1", "manual")
    assert begin_run(ana.pk, "task-2", "webhook") is None  # one at a time
    with django_capture_on_commit_callbacks() as queued_during_run:
        assert request_sync(ana, "manual") == "follow_up"
        assert request_sync(ana, "webhook") == "follow_up"
    assert queued_during_run == []
    from sync.services.runs import finish_run

    assert finish_run(run).follow_up_due and claim(ana).state == "queued"  # the task queues it on commit


def test_a_claim_left_by_a_killed_worker_is_taken_over_once_stale(link, settings):
    from sync.services.runs import begin_run

    ana = link("ana")
    begin_run(ana.pk, "killed-task", "manual")
    assert begin_run(ana.pk, "next-task", "schedule") is None
    SyncClaim.objects.filter(user_integration=ana).update(
        state_at=timezone.now() - timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS + 1)
    )

    assert begin_run(ana.pk, "next-task", "schedule") is not None


def test_a_redelivered_task_continues_its_own_run(link):
    from sync.services.runs import begin_run

    ana = link("ana")
    first = begin_run(ana.pk, "same-task", "manual")

    again = begin_run(ana.pk, "same-task", "manual")

    assert again.pk == first.pk and again.attempts == 2


def test_nothing_syncs_while_the_company_integration_is_off(emulator, link, pivotal_on):
    ana = link("ana")
    services.disable_company_integration(ana.company_integration, acting=pivotal_on["olivia"])
    emulator.request_log.clear()

    assert run_sync(ana) == "inactive"

    assert emulator.request_log.entries() == [] and not TaskAssignment.objects.exists()


def test_the_schedule_queues_one_sync_per_active_integration(link, pivotal_on, django_capture_on_commit_callbacks):
    from sync.tasks import sync_all_active_integrations

    link("ana"), link("ben")
    services.disable_user_integration(link("chloe"), acting=pivotal_on["chloe"])
    SyncClaim.objects.update(state="idle")  # as after their first syncs

    with django_capture_on_commit_callbacks() as queued:
        count = sync_all_active_integrations()

    assert count == 3 and len(queued) == 3  # Olivia (default), Ana, Ben; not Chloe


def test_pivotal_sync_command_runs_a_person_in_the_foreground(emulator, link, pivotal_on):
    from io import StringIO

    from django.core.management import call_command

    link("ana")
    out = StringIO()

    call_command("sync_tasks", "--company", "acme", "--email", "ana@acme.example", stdout=out)

    assert "ana@acme.example (pivotal): succeeded" in out.getvalue()
    assert offered(pivotal_on["ana"]) == expected(emulator, "ana")


def test_a_scope_change_during_a_run_is_applied_by_the_next_run(emulator, link, pivotal_on):
    from sync.services.engine import PersonalSync

    ana = link("ana")
    run_sync(ana)
    started_before_the_change = PersonalSync(type(ana).objects.get(pk=ana.pk))  # still under the old scope
    services.change_task_scope(ana.company_integration, TaskScope.PROJECTS_ALL, acting=pivotal_on["olivia"])
    started_before_the_change.execute()  # finishes afterwards, saving cursors of the old scope

    run_sync(ana)

    all_visible = {
        str(story.id) for project_id in (WEB_APP, BILLING_API) for story in emulator.state.stories_in(project_id)
    }
    assert offered(pivotal_on["ana"]) == all_visible


def test_a_run_that_was_taken_over_stops_and_leaves_the_claim_to_the_new_one(link, settings):
    from sync.services.queue import request_sync
    from sync.services.runs import ClaimLost, begin_run, finish_run, heartbeat

    ana = link("ana")
    old_run = begin_run(ana.pk, "old-task", "manual")
    SyncClaim.objects.filter(user_integration=ana).update(
        state_at=timezone.now() - timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS + 1)
    )
    begin_run(ana.pk, "new-task", "schedule")

    with pytest.raises(ClaimLost):
        heartbeat(ana.pk, "old-task")
    finish_run(SyncRun.objects.get(pk=old_run.pk), error="Stopped: another run took over this integration.")

    ana.refresh_from_db()
    assert (claim(ana).state, claim(ana).task_id) == ("running", "new-task")
    assert request_sync(ana, "manual") == "follow_up"


def test_an_unexpected_error_is_recorded_and_frees_the_integration(link, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from sync.services.engine import PersonalSync

    ana = link("ana")

    def time_runs_out(self):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(PersonalSync, "execute", time_runs_out)  # what Celery's time limit does mid-run

    with pytest.raises(SoftTimeLimitExceeded):
        run_sync(ana)

    ana.refresh_from_db()
    run = SyncRun.objects.get(user_integration=ana)
    assert run.status == "failed" and "unexpected error" in run.error
    assert claim(ana).state == "idle"


@responses.activate
def test_a_project_of_an_unexpected_shape_is_a_retryable_provider_error(settings):
    from integrations.providers.base import ProviderUnavailable
    from integrations.providers.pivotal.client import PivotalClient
    from integrations.providers.pivotal.provider import PivotalProvider

    responses.get(f"{settings.PIVOTAL_API_URL}/projects", json=[{"name": "A project without an id"}])

    with pytest.raises(ProviderUnavailable, match="unexpected shape"):
        PivotalProvider().list_projects(PivotalClient("token", max_attempts=1))


def test_a_broker_that_is_down_does_not_leave_the_integration_queued(
    link, django_capture_on_commit_callbacks, monkeypatch
):
    from sync.services.queue import request_sync
    from sync.services.runs import release
    from sync.tasks import sync_user_integration

    ana = link("ana")
    release(ana.pk, "")

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("the broker is down")

    monkeypatch.setattr(sync_user_integration, "delay", broker_down)  # the broker, not our code, fails
    with django_capture_on_commit_callbacks(execute=True):
        assert request_sync(ana, "manual") == "queued"

    ana.refresh_from_db()
    assert claim(ana).state == "idle"
