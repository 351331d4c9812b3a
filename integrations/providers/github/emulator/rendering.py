"""JSON shapes of GitHub's REST resources (api.github.com, version 2022-11-28).

Every builder produces all the properties GitHub's OpenAPI description marks as required for
the schema named in its docstring, nullable ones as `None`. URLs are absolute and point back
at the emulator: `Urls.api` is the API root (with `/api/v3` for the Enterprise-style root) and
`Urls.web` the web root that `html_url`s use, as on GitHub Enterprise Server.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from integrations.providers.emulator_kit.clock import format_iso

from .models import PERMISSIONS, Issue, Label, Org, Repo, User

REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")


@dataclass(frozen=True)
class Urls:
    api: str  # e.g. http://127.0.0.1:8112 or http://127.0.0.1:8112/api/v3
    web: str  # e.g. http://127.0.0.1:8112


def iso(when: datetime | None) -> str | None:
    return None if when is None else format_iso(when)


def node_id(kind: str, id: int) -> str:
    """GitHub's legacy global ids: base64 of "<len(kind):02d>:<Kind><id>", e.g. MDU6SXNzdWUx."""
    return base64.b64encode(f"{len(kind):02d}:{kind}{id}".encode()).decode()


# People and organizations ------------------------------------------------------------------


def simple_user_json(urls: Urls, user: User | Org) -> dict:
    """ "simple-user": also used for an org as a repository owner (type Organization)."""
    login = user.login
    api = urls.api
    is_org = isinstance(user, Org)
    return {
        "login": login,
        "id": user.id,
        "node_id": node_id("Organization" if is_org else "User", user.id),
        "avatar_url": f"{urls.web}/avatars/u/{user.id}?v=4",
        "gravatar_id": "",
        "url": f"{api}/{'orgs' if is_org else 'users'}/{login}",
        "html_url": f"{urls.web}/{login}",
        "followers_url": f"{api}/users/{login}/followers",
        "following_url": f"{api}/users/{login}/following{{/other_user}}",
        "gists_url": f"{api}/users/{login}/gists{{/gist_id}}",
        "starred_url": f"{api}/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/users/{login}/subscriptions",
        "organizations_url": f"{api}/users/{login}/orgs",
        "repos_url": f"{api}/users/{login}/repos",
        "events_url": f"{api}/users/{login}/events{{/privacy}}",
        "received_events_url": f"{api}/users/{login}/received_events",
        "type": "Organization" if is_org else "User",
        "user_view_type": "public",
        "site_admin": bool(getattr(user, "site_admin", False)),
    }


def private_user_json(urls: Urls, user: User, *, private_repos: int, owned_private_repos: int) -> dict:
    """ "private-user": what `GET /user` shows the token's owner."""
    return {
        **simple_user_json(urls, user),
        "name": user.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": user.email if user.is_email_public else None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "notification_email": user.email,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
        "private_gists": 0,
        "total_private_repos": private_repos,
        "owned_private_repos": owned_private_repos,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
        "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
    }


def org_simple_json(urls: Urls, org: Org) -> dict:
    """ "organization-simple"."""
    api = f"{urls.api}/orgs/{org.login}"
    return {
        "login": org.login,
        "id": org.id,
        "node_id": node_id("Organization", org.id),
        "url": api,
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events",
        "hooks_url": f"{api}/hooks",
        "issues_url": f"{api}/issues",
        "members_url": f"{api}/members{{/member}}",
        "public_members_url": f"{api}/public_members{{/member}}",
        "avatar_url": f"{urls.web}/avatars/u/{org.id}?v=4",
        "description": org.description,
    }


# Repositories --------------------------------------------------------------------------------


def repository_json(
    urls: Urls,
    repo: Repo,
    owner: User | Org,
    *,
    open_issues: int,
    permission: str | None = None,
    full: bool = False,
) -> dict:
    """ "repository" (a superset of "minimal-repository"); `full=True` adds what
    "full-repository" requires. `permission` is the caller's, for the `permissions` object."""
    api = f"{urls.api}/repos/{repo.full_name}"
    web = f"{urls.web}/{repo.full_name}"
    host = urls.web.split("://", 1)[-1]
    data = {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.is_private,
        "owner": simple_user_json(urls, owner),
        "html_url": web,
        "description": repo.description,
        "fork": False,
        "url": api,
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.updated_at),
        "pushed_at": iso(repo.pushed_at),
        "git_url": f"git://{host}/{repo.full_name}.git",
        "ssh_url": f"git@{host.split(':')[0]}:{repo.full_name}.git",
        "clone_url": f"{web}.git",
        "svn_url": web,
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": True,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_issues,
        "license": None,
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": [],
        "visibility": "private" if repo.is_private else "public",
        "forks": 0,
        "open_issues": open_issues,
        "watchers": 0,
        "default_branch": repo.default_branch,
    }
    if permission is not None:
        data["permissions"] = permissions_json(permission)
    if full:
        data["network_count"] = 0
        data["subscribers_count"] = len(repo.collaborators)
        if isinstance(owner, Org):
            data["organization"] = simple_user_json(urls, owner)
    return data


def permissions_json(permission: str) -> dict:
    level = PERMISSIONS.index(permission)
    return {name: level >= PERMISSIONS.index(name) for name in ("admin", "maintain", "push", "triage", "pull")}


# Issues ------------------------------------------------------------------------------------


def label_json(urls: Urls, repo: Repo, label: Label) -> dict:
    return {
        "id": label.id,
        "node_id": node_id("Label", label.id),
        "url": f"{urls.api}/repos/{repo.full_name}/labels/{quote(label.name, safe='')}",
        "name": label.name,
        "color": label.color,
        "default": label.is_default,
        "description": label.description,
    }


def issue_json(
    urls: Urls,
    issue: Issue,
    repo: Repo,
    *,
    user: User | None,
    assignees: list[User],
    closed_by: User | None,
    author_association: str,
) -> dict:
    """ "issue": for a pull request also `pull_request` and `draft`, as the issues list shows them."""
    api = f"{urls.api}/repos/{repo.full_name}/issues/{issue.number}"
    kind = "pull" if issue.is_pull_request else "issues"
    html_url = issue.html_url or f"{urls.web}/{repo.full_name}/{kind}/{issue.number}"
    labels = [repo.labels[name.lower()] for name in issue.labels if name.lower() in repo.labels]
    data = {
        "url": api,
        "repository_url": f"{urls.api}/repos/{repo.full_name}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": html_url,
        "id": issue.id,
        "node_id": node_id("PullRequest" if issue.is_pull_request else "Issue", issue.id),
        "number": issue.number,
        "title": issue.title,
        "user": simple_user_json(urls, user) if user else None,
        "labels": [label_json(urls, repo, label) for label in labels],
        "state": issue.state,
        "locked": issue.locked,
        "assignee": simple_user_json(urls, assignees[0]) if assignees else None,
        "assignees": [simple_user_json(urls, person) for person in assignees],
        "milestone": None,
        "comments": issue.comments,
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at),
        "author_association": author_association,
        "type": None,
        "active_lock_reason": None,
        "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
        "body": issue.body,
        "closed_by": simple_user_json(urls, closed_by) if closed_by else None,
        "reactions": {"url": f"{api}/reactions", "total_count": 0, **dict.fromkeys(REACTIONS, 0)},
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": issue.state_reason,
    }
    if issue.is_pull_request:
        pulls = f"{urls.api}/repos/{repo.full_name}/pulls/{issue.number}"
        data["draft"] = issue.is_draft
        data["pull_request"] = {
            "url": pulls,
            "html_url": html_url,
            "diff_url": f"{html_url}.diff",
            "patch_url": f"{html_url}.patch",
            "merged_at": iso(issue.merged_at),
        }
    return data


# The API root ------------------------------------------------------------------------------

ROOT_LINKS = {
    "current_user_url": "/user",
    "authorizations_url": "/authorizations",
    "code_search_url": "/search/code?q={query}{&page,per_page,sort,order}",
    "commit_search_url": "/search/commits?q={query}{&page,per_page,sort,order}",
    "emails_url": "/user/emails",
    "emojis_url": "/emojis",
    "events_url": "/events",
    "feeds_url": "/feeds",
    "followers_url": "/user/followers",
    "following_url": "/user/following{/target}",
    "gists_url": "/gists{/gist_id}",
    "issue_search_url": "/search/issues?q={query}{&page,per_page,sort,order}",
    "issues_url": "/issues",
    "keys_url": "/user/keys",
    "label_search_url": "/search/labels?q={query}&repository_id={repository_id}{&page,per_page}",
    "notifications_url": "/notifications",
    "organization_url": "/orgs/{org}",
    "organization_repositories_url": "/orgs/{org}/repos{?type,page,per_page,sort}",
    "organization_teams_url": "/orgs/{org}/teams",
    "public_gists_url": "/gists/public",
    "rate_limit_url": "/rate_limit",
    "repository_url": "/repos/{owner}/{repo}",
    "repository_search_url": "/search/repositories?q={query}{&page,per_page,sort,order}",
    "current_user_repositories_url": "/user/repos{?type,page,per_page,sort}",
    "starred_url": "/user/starred{/owner}{/repo}",
    "starred_gists_url": "/gists/starred",
    "user_url": "/users/{user}",
    "user_organizations_url": "/user/orgs",
    "user_repositories_url": "/users/{user}/repos{?type,page,per_page,sort}",
    "user_search_url": "/search/users?q={query}{&page,per_page,sort,order}",
}


def root_json(urls: Urls) -> dict:
    """ "root": `GET /`, the hypermedia entry point."""
    return {
        "current_user_authorizations_html_url": f"{urls.web}/settings/connections/applications{{/client_id}}",
        **{name: urls.api + path for name, path in ROOT_LINKS.items()},
    }


# Errors --------------------------------------------------------------------------------------

DOCS = "https://docs.github.com/rest"


def error_json(message: str, status: int, documentation_url: str = DOCS, **extra) -> dict:
    """ "basic-error": GitHub's error body, with `status` as a string as GitHub sends it."""
    return {"message": message, **extra, "documentation_url": documentation_url, "status": str(status)}
