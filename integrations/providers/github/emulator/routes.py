"""The REST operations the emulator serves, one handler each, in the shapes of GitHub's OpenAPI
description for `api.github.com` (version 2022-11-28). `Call` carries who asks and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from integrations.providers.emulator_kit.clock import parse_iso
from integrations.providers.emulator_kit.web import Request, Response, json_response

from . import errors
from .models import Issue, Repo, User
from .pagination import paginate
from .presenters import issue_out, me_out, org_out, repo_out
from .rate_limits import GRAPHQL_LIMIT, SEARCH_LIMIT, Budget
from .rendering import Urls, root_json
from .state import GitHubState

DOCS_ISSUES = "https://docs.github.com/rest/issues/issues#list-repository-issues"
DOCS_ISSUE = "https://docs.github.com/rest/issues/issues#get-an-issue"
DOCS_REPO = "https://docs.github.com/rest/repos/repos#get-a-repository"
DOCS_USER_REPOS = "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user"
DOCS_ORG_REPOS = "https://docs.github.com/rest/repos/repos#list-organization-repositories"
AFFILIATIONS = ("owner", "collaborator", "organization_member")
REPO_TYPE_AFFILIATIONS = {
    "all": AFFILIATIONS,
    "owner": ("owner",),
    "public": AFFILIATIONS,
    "private": AFFILIATIONS,
    "member": ("collaborator", "organization_member"),
}
REPO_SORT_KEYS = {
    "created": lambda repo: repo.created_at,
    "updated": lambda repo: repo.updated_at,
    "pushed": lambda repo: repo.pushed_at,
    "full_name": lambda repo: repo.full_name.lower(),
}
ISSUE_SORT_KEYS = {
    "created": lambda issue: (issue.created_at, issue.number),
    "updated": lambda issue: (issue.updated_at, issue.number),
    "comments": lambda issue: (issue.comments, issue.number),
}


@dataclass
class Call:
    state: GitHubState
    request: Request
    user: User | None
    urls: Urls
    path: str  # relative to the API root
    budget: Budget

    @property
    def params(self) -> dict[str, str]:
        return self.request.params

    def visible_repo(self, owner: str, name: str, documentation_url: str = DOCS_REPO) -> Repo:
        """Missing and invisible repositories look the same: 404 Not Found."""
        repo = self.state.repo(f"{owner}/{name}")
        if repo is None or not self.state.permission(self.user.login, repo):
            raise errors.not_found(documentation_url)
        return repo

    def choice(self, name: str, choices, default: str | None, resource: str, docs: str) -> str | None:
        value = self.params.get(name, default)
        if value is not None and value not in choices:
            raise errors.validation_failed(name, resource, docs, value)
        return value

    def time(self, name: str, resource: str, docs: str) -> datetime | None:
        if name not in self.params:
            return None
        try:
            return parse_iso(self.params[name])
        except ValueError:
            raise errors.validation_failed(name, resource, docs, self.params[name]) from None

    def page(self, items: list, render) -> Response:
        page, link = paginate(items, self.request.query, self.urls.api + self.path)
        return json_response([render(item) for item in page], headers=[("Link", link)] if link else [])


# The authenticated user and their orgs --------------------------------------------------------


def get_root(call: Call) -> Response:
    return json_response(root_json(call.urls))


def get_authenticated_user(call: Call) -> Response:
    return json_response(me_out(call.state, call.urls, call.user))


def list_user_orgs(call: Call) -> Response:
    return call.page(call.state.orgs_of(call.user.login), lambda org: org_out(call.urls, org))


def get_rate_limit(call: Call) -> Response:
    core = call.budget.as_json()
    reset = core["reset"]
    return json_response(
        {
            "resources": {
                "core": core,
                "search": {"limit": SEARCH_LIMIT, "remaining": SEARCH_LIMIT, "reset": reset, "used": 0},
                "graphql": {"limit": GRAPHQL_LIMIT, "remaining": GRAPHQL_LIMIT, "reset": reset, "used": 0},
            },
            "rate": core,
        }
    )


# Repositories --------------------------------------------------------------------------------


def list_user_repos(call: Call) -> Response:
    docs = DOCS_USER_REPOS
    if "type" in call.params and ({"visibility", "affiliation"} & set(call.params)):
        raise errors.validation_failed("type", "Repository", docs, call.params["type"])
    repo_type = call.choice("type", REPO_TYPE_AFFILIATIONS, "all", "Repository", docs)
    visibility = call.choice("visibility", ("all", "public", "private"), "all", "Repository", docs)
    if repo_type in ("public", "private"):
        visibility = repo_type
    affiliations = REPO_TYPE_AFFILIATIONS[repo_type]
    if "affiliation" in call.params:
        affiliations = tuple(part.strip() for part in call.params["affiliation"].split(","))
        if not all(part in AFFILIATIONS for part in affiliations):
            raise errors.validation_failed("affiliation", "Repository", docs, call.params["affiliation"])
    since, before = call.time("since", "Repository", docs), call.time("before", "Repository", docs)
    repos = [
        repo
        for repo in call.state.repos_visible_to(call.user.login)
        if _affiliated(call, repo, affiliations)
        and visibility in ("all", "private" if repo.is_private else "public")
        and (since is None or repo.updated_at >= since)
        and (before is None or repo.updated_at <= before)
    ]
    return call.page(_sorted_repos(call, repos, "full_name", docs), lambda repo: _repo(call, repo))


def list_org_repos(call: Call, org: str) -> Response:
    docs = DOCS_ORG_REPOS
    found = call.state.org(org)
    if found is None:
        raise errors.not_found(docs)
    repo_type = call.choice(
        "type", ("all", "public", "private", "forks", "sources", "member"), "all", "Repository", docs
    )
    repos = [
        repo
        for repo in call.state.repos_visible_to(call.user.login)
        if repo.owner == found.login
        and repo_type != "forks"
        and (repo_type != "public" or not repo.is_private)
        and (repo_type != "private" or repo.is_private)
    ]
    return call.page(_sorted_repos(call, repos, "created", docs), lambda repo: _repo(call, repo))


def get_repo(call: Call, owner: str, repo: str) -> Response:
    found = call.visible_repo(owner, repo)
    return json_response(repo_out(call.state, call.urls, found, viewer=call.user, full=True))


def _repo(call: Call, repo: Repo) -> dict:
    return repo_out(call.state, call.urls, repo, viewer=call.user)


def _affiliated(call: Call, repo: Repo, affiliations) -> bool:
    login = call.user.login
    org = call.state.org(repo.owner)
    through_org = (
        org is not None
        and login in org.members
        and (org.members[login] == "admin" or org.default_repository_permission != "none")
    )
    return (
        ("owner" in affiliations and repo.owner == login)
        or ("collaborator" in affiliations and login in repo.collaborators)
        or ("organization_member" in affiliations and through_org)
    )


def _sorted_repos(call: Call, repos: list[Repo], default_sort: str, docs: str) -> list[Repo]:
    sort = call.choice("sort", REPO_SORT_KEYS, default_sort, "Repository", docs)
    direction = call.choice("direction", ("asc", "desc"), "asc" if sort == "full_name" else "desc", "Repository", docs)
    return sorted(repos, key=lambda repo: (REPO_SORT_KEYS[sort](repo), repo.id), reverse=direction == "desc")


# Issues ------------------------------------------------------------------------------------


def list_repo_issues(call: Call, owner: str, repo: str) -> Response:
    """Issues and pull requests, filtered as GitHub filters them; 30 a page by default."""
    docs = DOCS_ISSUES
    found = call.visible_repo(owner, repo, docs)
    state = call.choice("state", ("open", "closed", "all"), "open", "Issue", docs)
    sort = call.choice("sort", ISSUE_SORT_KEYS, "created", "Issue", docs)
    direction = call.choice("direction", ("asc", "desc"), "desc", "Issue", docs)
    since = call.time("since", "Issue", docs)
    issues = [
        issue
        for issue in call.state.issues_in(found.full_name)
        if (state == "all" or issue.state == state)
        and (since is None or issue.updated_at >= since)
        and _matches_people_and_labels(call, issue)
    ]
    issues.sort(key=ISSUE_SORT_KEYS[sort], reverse=direction == "desc")
    return call.page(issues, lambda issue: issue_out(call.state, call.urls, issue))


def _matches_people_and_labels(call: Call, issue: Issue) -> bool:
    params, state = call.params, call.state
    assignee = params.get("assignee")
    if assignee == "none" and issue.assignee_ids:
        return False
    if assignee == "*" and not issue.assignee_ids:
        return False
    if assignee not in (None, "none", "*"):
        wanted = state.user(assignee)
        if wanted is None or wanted.id not in issue.assignee_ids:
            return False
    creator = params.get("creator")
    if creator is not None:
        author = state.user_by_id(issue.user_id)
        if author is None or author.login.lower() != creator.lower():
            return False
    mentioned = params.get("mentioned")
    if mentioned is not None and f"@{mentioned.lower()}" not in (issue.body or "").lower():
        return False
    milestone = params.get("milestone")
    if milestone not in (None, "none"):
        return False  # the emulator has no milestones: "*" and any number match nothing
    if params.get("labels"):
        have = {name.lower() for name in issue.labels}
        wanted_labels = {name.strip().lower() for name in params["labels"].split(",") if name.strip()}
        if not wanted_labels <= have:
            return False
    return True


def get_issue(call: Call, owner: str, repo: str, number: str) -> Response:
    """200; 301 to the new URL when the issue was transferred; 410 when it was deleted."""
    found = call.visible_repo(owner, repo, DOCS_ISSUE)
    issue = call.state.issue(found.full_name, int(number))
    if issue is not None:
        return json_response(issue_out(call.state, call.urls, issue))
    moved = call.state.moved_to(found.full_name, int(number))
    if moved is not None:
        target = call.state.repo_by_id(moved.repo_id)
        raise errors.moved_permanently(
            f"{call.urls.api}/repos/{target.full_name}/issues/{moved.number}", errors.DOCS_REDIRECTS
        )
    if call.state.was_deleted(found.full_name, int(number)):
        raise errors.gone("This issue was deleted", DOCS_ISSUE)
    raise errors.not_found(DOCS_ISSUE)
