"""GitHub through the production path: a real Celery worker process and broker (Redis in CI), the
GitHub emulator over HTTP, and the same faults as Pivotal's suite. Whatever happens, the tasks end
up matching the emulator exactly, with no duplicates and no lost time."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations import services
from integrations.models import Status, UserIntegration
from sync.models import SyncRun
from tests.sync.conftest import GITHUB_USERS, expected_issues, offered_issues, run_sync
from tests.worker import running_worker, wait_until
from tracking.models import Task, TaskAssignment, TimeEntry


def assert_matches_github(github, membership, login):
    assert offered_issues(membership) == expected_issues(github, login)
    assert Task.objects.count() == Task.objects.values("company", "provider", "external_id").distinct().count()
    for task in Task.objects.offered_to(membership).select_related("project"):
        issue = github.state.issue_by_id(int(task.external_id))
        assert (task.title, task.state, task.project.name) == (
            issue.title,
            issue.state,
            github.state.repo_by_id(issue.repo_id).full_name,
        )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_switching_github_on_in_the_browser_makes_the_assigned_issues_appear(client_for, github, github_on):
    ana = github_on["ana"]
    with running_worker(extra_env={"GITHUB_API_URL": github.base_url}):
        client = client_for(ana)
        client.post(reverse("integrations:mine-token", args=["github"]), {"token": GITHUB_USERS["ana"].token})
        client.post(reverse("integrations:mine-switch", args=["github"]), {"on": "1"})

        wait_until(
            lambda: offered_issues(ana) == expected_issues(github, "ana") != set(),
            timeout=60,
            message="Ana's GitHub issues to become tasks",
        )

    assert_matches_github(github, ana, "ana")
    run = SyncRun.objects.get(
        user_integration__membership=ana, user_integration__company_integration__provider="github"
    )
    assert run.status == "succeeded" and run.trigger == "switched_on"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sync_loses_nothing_and_the_next_run_completes(github, github_on, settings):
    settings.SYNC_LOCK_STALE_SECONDS = 2
    ana = github_on["ana"]
    personal = services.save_user_token(ana, "github", GITHUB_USERS["ana"].token)
    github.faults.add("delay", seconds=30, path="/repos/acme-corp/web-app/issues")  # killed while waiting

    with running_worker(extra_env={"GITHUB_API_URL": github.base_url}) as worker:
        services.enable_user_integration(personal, acting=ana)
        wait_until(
            lambda: SyncRun.objects.filter(user_integration=personal, status="running").exists(),
            timeout=60,
            message="the run to start",
        )
        time.sleep(1)
        worker.kill()
        worker.wait(timeout=10)

    github.faults.clear()
    time.sleep(settings.SYNC_LOCK_STALE_SECONDS + 0.5)
    assert run_sync(personal, "schedule") == "succeeded"

    assert_matches_github(github, ana, "ana")
    assert TaskAssignment.objects.filter(membership=ana).count() == len(expected_issues(github, "ana"))
    killed, completed = SyncRun.objects.filter(user_integration=personal).order_by("started_at")
    assert killed.status == "failed" and "worker stopped" in killed.error and completed.status == "succeeded"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 502, "count": 8},
        {"kind": "malformed", "count": 4},
        {"kind": "secondary_rate_limit", "retry_after": 0, "count": 2},
        {"kind": "drop", "count": 2},
    ],
)
def test_a_misbehaving_github_is_retried_until_the_tasks_match(github, link_github, github_on, fault):
    ana = link_github("ana")
    run_sync(ana)
    times = dict(TimeEntry.objects.values_list("pk", "task_id"))
    repo = "acme-corp/web-app"
    issue = next(issue for issue in github.state.issues_in(repo) if not issue.is_pull_request)
    github.state.update_issue(
        repo, issue.number, title="Changed while GitHub misbehaves", assignees=["ana"], state="open"
    )
    github.faults.add(fault.pop("kind"), path="/repos/*/issues", **fault)

    assert run_sync(ana) == "succeeded"

    assert_matches_github(github, github_on["ana"], "ana")
    assert dict(TimeEntry.objects.values_list("pk", "task_id")) == times


@pytest.mark.django_db
def test_time_tracked_on_issues_survives_every_change_github_makes(github, link_github, github_on):
    ana = link_github("ana")
    run_sync(ana)
    start = timezone.now() - timedelta(days=3)
    for number, task in enumerate(Task.objects.offered_to(github_on["ana"]).order_by("pk")):
        TimeEntry.objects.create(
            company=task.company,
            membership=github_on["ana"],
            task=task,
            source="desktop",
            started_at=start + timedelta(hours=2 * number),
            ended_at=start + timedelta(hours=2 * number + 1),
        )
    tracked = dict(TimeEntry.objects.values_list("pk", "task_id"))
    issues = [
        issue
        for repo in ("acme-corp/web-app", "acme-corp/billing-api")
        for issue in github.state.issues_in(repo)
        if not issue.is_pull_request and GITHUB_USERS["ana"].id in issue.assignee_ids and issue.state == "open"
    ]
    assert len(issues) >= 3
    first, second, third = issues[:3]
    github.state.update_issue(github.state.repo_by_id(first.repo_id).full_name, first.number, state="closed")
    github.state.delete_issue(github.state.repo_by_id(second.repo_id).full_name, second.number)
    github.state.transfer_issue(github.state.repo_by_id(third.repo_id).full_name, third.number, "acme-corp/mobile-app")

    assert run_sync(ana) == "succeeded"

    assert_matches_github(github, github_on["ana"], "ana")
    assert dict(TimeEntry.objects.values_list("pk", "task_id")) == tracked


@pytest.mark.django_db
def test_a_revoked_token_stops_the_sync_and_tells_the_person(
    github, link_github, mailoutbox, django_capture_on_commit_callbacks
):
    ana = link_github("ana")
    run_sync(ana)
    github.state.revoke_token("ana")

    with django_capture_on_commit_callbacks(execute=True):
        assert run_sync(ana) == "token_rejected"

    assert UserIntegration.objects.get(pk=ana.pk).status == Status.TOKEN_REJECTED
    assert mailoutbox[-1].subject == "Your GitHub Issues token was rejected: syncing stopped"
    assert GITHUB_USERS["ana"].token not in mailoutbox[-1].body
    assert offered_issues(ana.membership) == expected_issues(github, "ana")  # nothing lost
