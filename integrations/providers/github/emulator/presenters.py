"""Rendering with the state at hand: looks up the people, counts and permissions that the
shapes in `rendering.py` need. Callers hold `state.lock`."""

from __future__ import annotations

from .models import Issue, Org, Repo, User
from .rendering import Urls, issue_json, org_simple_json, private_user_json, repository_json, simple_user_json
from .state import GitHubState


def issue_out(state: GitHubState, urls: Urls, issue: Issue) -> dict:
    repo = state.repo_by_id(issue.repo_id)
    return issue_json(
        urls,
        issue,
        repo,
        user=state.user_by_id(issue.user_id),
        assignees=[state.user_by_id(user_id) for user_id in issue.assignee_ids],
        closed_by=state.user_by_id(issue.closed_by_id),
        author_association=state.author_association(issue, repo),
    )


def repo_out(state: GitHubState, urls: Urls, repo: Repo, *, viewer: User | None = None, full: bool = False) -> dict:
    open_issues = sum(1 for issue in state.issues_in(repo.full_name) if issue.state == "open")
    return repository_json(
        urls,
        repo,
        state.owner(repo.owner),
        open_issues=open_issues,
        permission=state.permission(viewer.login, repo) if viewer else None,
        full=full,
    )


def user_out(urls: Urls, user: User | Org) -> dict:
    return simple_user_json(urls, user)


def me_out(state: GitHubState, urls: Urls, user: User) -> dict:
    visible = state.repos_visible_to(user.login)
    owned = [repo for repo in visible if repo.owner == user.login]
    return private_user_json(
        urls,
        user,
        private_repos=sum(1 for repo in visible if repo.is_private),
        owned_private_repos=sum(1 for repo in owned if repo.is_private),
    )


def org_out(urls: Urls, org: Org) -> dict:
    return org_simple_json(urls, org)
