"""GitHub issues become tasks through the same engine as Pivotal stories: against the GitHub
emulator over real HTTP, the Celery task run as a worker runs it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from integrations import services
from integrations.models import CompanyIntegration, Status, TaskScope, UserIntegration
from integrations.providers.github import provider as github_provider
from sync.models import SyncRun
from sync.tasks import retry_countdown
from tracking.models import Task, TimeEntry

from .conftest import GITHUB_USERS as USERS
from .conftest import claim, expected_issues, offered_issues, run_sync

pytestmark = pytest.mark.django_db


def an_open_issue_of(github, login, *, repo=None):
    user = github.state.user(login)
    for visible in github.state.repos_visible_to(login):
        if repo and visible.full_name != repo:
            continue
        for issue in github.state.issues_in(visible.full_name):
            if not issue.is_pull_request and issue.state == "open" and user.id in issue.assignee_ids:
                return visible.full_name, issue
    raise LookupError(f"{login} has no open issue")


def api_requests(github):
    return [(entry["method"], entry["path"], entry["status"]) for entry in github.request_log.entries()]


def test_switching_github_on_offers_exactly_the_open_issues_assigned_to_the_person(github, link_github):
    ana = link_github("ana")

    assert run_sync(ana) == "succeeded"

    assert offered_issues(ana.membership) == expected_issues(github, "ana") != set()
    pulls = {
        str(issue.id)
        for repo in github.state.repos()
        for issue in github.state.issues_in(repo.full_name)
        if issue.is_pull_request
    }
    assert not Task.objects.filter(external_id__in=pulls).exists()  # pull requests are not tasks
    for task in Task.objects.offered_to(ana.membership).filter(provider="github").select_related("project"):
        assert task.kind == "issue" and task.url.startswith("http")


def test_with_nothing_changed_every_repository_answers_304_and_no_rate_limit_is_spent(github, link_github):
    ana = link_github("ana")
    run_sync(ana)
    github.request_log.clear()
    before = github.state.rate_limits.budget("ana").remaining

    run_sync(ana)

    statuses = [status for method, path, status in api_requests(github) if path.endswith("/issues")]
    repository_pages = [path for method, path, status in api_requests(github) if path == "/user/repos"]
    assert statuses and set(statuses) == {304}
    assert github.state.rate_limits.budget("ana").remaining == before - len(repository_pages)  # 304s are free


@pytest.mark.parametrize("change", ["close", "unassign", "transfer", "delete"])
def test_an_issue_that_leaves_the_person_leaves_the_offer_and_keeps_its_task_and_time(github, link_github, change):
    ana = link_github("ana")
    run_sync(ana)
    repo, issue = an_open_issue_of(github, "ana")
    task = Task.objects.get(provider="github", external_id=str(issue.id))
    TimeEntry.objects.create(
        company=task.company,
        membership=ana.membership,
        task=task,
        source="manual",
        started_at=task.created_at - timedelta(hours=2),
        ended_at=task.created_at,
    )
    if change == "close":
        github.state.update_issue(repo, issue.number, state="closed", state_reason="completed")
    elif change == "unassign":
        github.state.update_issue(repo, issue.number, assignees=[])
    elif change == "transfer":
        github.state.transfer_issue(repo, issue.number, "acme-corp/mobile-app")  # a repository Ana cannot see
    else:
        github.state.delete_issue(repo, issue.number)

    assert run_sync(ana) == "succeeded"

    assert str(issue.id) not in offered_issues(ana.membership)
    assert offered_issues(ana.membership) == expected_issues(github, "ana")
    assert TimeEntry.objects.get().task_id == task.pk  # the task and its time stay


def test_a_repository_the_person_lost_access_to_leaves_their_offer(github, link_github):
    ana = link_github("ana")
    run_sync(ana)
    repo, issue = an_open_issue_of(github, "ana")
    github.state.remove_collaborator(repo, "ana")
    assert repo not in {visible.full_name for visible in github.state.repos_visible_to("ana")}

    run_sync(ana)

    assert str(issue.id) not in offered_issues(ana.membership)
    assert offered_issues(ana.membership) == expected_issues(github, "ana")


def test_a_newly_assigned_issue_appears_and_a_reassigned_one_moves_to_its_new_assignee(github, link_github):
    ana, ben = link_github("ana"), link_github("ben")
    run_sync(ana), run_sync(ben)
    repo, issue = an_open_issue_of(github, "ana", repo="acme-corp/web-app")

    github.state.update_issue(repo, issue.number, assignees=["ben"])
    run_sync(ana), run_sync(ben)

    assert str(issue.id) not in offered_issues(ana.membership)
    assert str(issue.id) in offered_issues(ben.membership)
    assert Task.objects.filter(external_id=str(issue.id)).count() == 1


def test_closed_issues_count_when_the_company_includes_done_ones(github, link_github, github_on):
    ana = link_github("ana")
    integration = CompanyIntegration.objects.get(provider="github")
    services.change_task_scope(integration, TaskScope.OWNED_ALL, acting=github_on["olivia"])

    run_sync(ana)

    assert offered_issues(ana.membership) == expected_issues(github, "ana", state="all")


def test_the_repositories_setting_limits_what_becomes_tasks(github, link_github, github_on):
    services.update_installation_settings(
        github_on["olivia"].company,
        "github",
        {"base_url": github.base_url, "repositories": ["acme-corp/web-app"]},
        acting=github_on["olivia"],
    )
    ana = link_github("ana")

    run_sync(ana)

    projects = set(Task.objects.offered_to(ana.membership).values_list("project__name", flat=True))
    assert projects == {"acme-corp/web-app"}


def test_an_issue_changed_between_two_page_reads_is_not_skipped(github, link_github, monkeypatch):
    monkeypatch.setattr(github_provider, "PAGE_SIZE", 2)
    ana = link_github("ana")
    repo, issue = an_open_issue_of(github, "ana", repo="acme-corp/web-app")
    served = {"pages": 0}

    def change_between_pages(entry):
        if entry["path"].endswith("/web-app/issues") and served["pages"] == 0:
            served["pages"] += 1
            github.state.update_issue(repo, issue.number, title="Edited while the list was read")

    github.on_request(change_between_pages)

    run_sync(ana)

    assert offered_issues(ana.membership) == expected_issues(github, "ana")
    assert Task.objects.get(external_id=str(issue.id)).title == "Edited while the list was read"


def test_a_revoked_token_marks_the_integration_rejected_like_pivotal(github, link_github):
    ana = link_github("ana")
    github.state.revoke_token("ana")

    assert run_sync(ana) == "token_rejected"

    assert UserIntegration.objects.get(pk=ana.pk).status == Status.TOKEN_REJECTED
    assert claim(ana).state == "idle"


def test_a_rate_limit_that_resets_later_is_retried_after_the_reset_not_spun_on(github, link_github):
    ana = link_github("ana")
    github.faults.add("rate_limit_exhausted", path="*/issues", reset_in=3600, count=1)
    github.request_log.clear()

    outcome = run_sync(ana)  # eagerly, Celery runs the retry at once; a worker waits for its countdown

    hits = [status for method, path, status in api_requests(github) if path.endswith("/issues")]
    assert hits.count(403) == 1  # asked once, then left to the task's retry: never spun on
    run = SyncRun.objects.filter(user_integration=ana).first()
    assert outcome == "succeeded" and run.attempts == 2
    assert retry_countdown(0, retry_after=3600) >= 3600  # the countdown a worker would wait


def test_a_github_webhook_with_a_valid_signature_queues_the_assignees_sync(
    github, link_github, github_on, client, django_capture_on_commit_callbacks
):
    import hashlib
    import hmac
    import json

    ana = link_github("ana")
    run_sync(ana)
    integration = CompanyIntegration.objects.get(provider="github")
    _, secret = services.new_webhook_signing_secret(integration, acting=github_on["olivia"])
    integration.refresh_from_db()
    repo, issue = an_open_issue_of(github, "ana")
    body = json.dumps(
        {
            "action": "edited",
            "issue": {"id": issue.id, "number": issue.number, "assignees": [{"id": USERS["ana"].id, "login": "ana"}]},
            "repository": {"id": 1, "full_name": repo},
            "sender": {"id": USERS["ana"].id},
        }
    ).encode()
    url = reverse("sync:webhook", args=["github", integration.webhook_secret])
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    bad = client.post(
        url,
        body,
        content_type="application/json",
        HTTP_X_GITHUB_EVENT="issues",
        HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64,
    )
    missing = client.post(url, body, content_type="application/json", HTTP_X_GITHUB_EVENT="issues")
    with django_capture_on_commit_callbacks() as queued:
        good = client.post(
            url, body, content_type="application/json", HTTP_X_GITHUB_EVENT="issues", HTTP_X_HUB_SIGNATURE_256=signature
        )

    assert (bad.status_code, missing.status_code) == (404, 404)
    assert good.status_code == 202 and good.json() == {"queued": 1} and len(queued) == 1


def test_hostile_issue_values_are_stored_clean_and_links_only_when_http(github, link_github):
    ana = link_github("ana")
    repo, issue = an_open_issue_of(github, "ana")
    github.state.update_issue(repo, issue.number, title="Null\x00byte " + "é" * 400, html_url="javascript:alert(1)")

    assert run_sync(ana) == "succeeded"

    task = Task.objects.get(provider="github", external_id=str(issue.id))
    assert task.title == "Nullbyte " + "é" * 400 and task.url == ""
    assert offered_issues(ana.membership) == expected_issues(github, "ana")
