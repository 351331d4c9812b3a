"""The emulator's in-memory GitHub: users, orgs, repositories, issues, pull requests, webhooks.

One re-entrant lock (`state.lock`, see `emulator_kit.state`) guards everything: the HTTP
threads hold it while they read, and every mutation takes it, so a request never sees half a
change. Mutations behave like GitHub's: each one sets the issue's `updated_at` from the emulator
clock and tells the listeners (the webhook dispatcher) what happened, as an `IssueEvent`.

Repositories are named "owner/name" (case-insensitive, as on GitHub); people by login. Unknown
names raise `LookupError`, invalid values `ValueError`; the control endpoints turn them into 404
and 400.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from integrations.providers.emulator_kit.clock import Clock, format_iso
from integrations.providers.emulator_kit.state import LockedState, locked

from .models import (
    ISSUE_STATES,
    ORG_ROLES,
    PERMISSION_ALIASES,
    PERMISSIONS,
    STATE_REASONS,
    Issue,
    IssueEvent,
    Label,
    Org,
    Repo,
    User,
    Webhook,
)
from .rate_limits import RateLimits

FIRST_IDS = {"user": 1001, "org": 5001, "repo": 700001, "issue": 3000000001, "label": 90001, "hook": 401}
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
REPO_NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,100}")
ISSUE_CHANGES = frozenset(
    {"title", "body", "state", "state_reason", "labels", "assignees", "html_url", "comments", "locked"}
)
HOOK_EVENTS = ("issues", "*")

Listener = Callable[[IssueEvent], None]


def label_color(name: str) -> str:
    """A stable colour for labels created on the fly."""
    return hashlib.sha256(name.lower().encode()).hexdigest()[:6]


class GitHubState(LockedState):
    kept_on_replace = ("lock", "_listeners")  # `replace_with` keeps the lock and the listeners

    def __init__(self, clock: Clock | None = None):
        super().__init__(clock)
        self.rate_limits = RateLimits(self.clock)
        self._listeners: list[Listener] = []
        self._next_ids = dict(FIRST_IDS)
        self._users: dict[str, User] = {}  # lower-cased login -> user
        self._orgs: dict[str, Org] = {}
        self._repos: dict[int, Repo] = {}
        self._issues: dict[int, dict[int, Issue]] = {}  # repo id -> number -> issue (in number order)
        self._moved: dict[tuple[int, int], int] = {}  # (repo id, number) -> new issue id
        self._deleted: set[tuple[int, int]] = set()
        self._hooks: dict[int, Webhook] = {}

    def set_clock(self, clock: Clock) -> None:
        """Use another clock from now on (for timestamps and the rate-limit windows)."""
        self.clock = self.rate_limits.clock = clock

    def subscribe(self, listener: Listener) -> None:
        """`listener(event)` runs, under the lock, after every issue change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # Users -------------------------------------------------------------------------------

    @locked
    def add_user(
        self,
        login: str,
        *,
        name: str | None = None,
        email: str | None = None,
        token: str | None = None,
        id: int | None = None,
        is_email_public: bool = True,
        site_admin: bool = False,
        created_at: datetime | None = None,
    ) -> User:
        self._check_new_login(login)
        if token is not None and self.user_by_token(token):
            raise ValueError("token is already in use")
        created_at = created_at or self.now()
        user = User(
            id=self._new_id("user", id),
            login=login,
            name=name,
            email=email,
            token=token or new_token(),
            created_at=created_at,
            updated_at=created_at,
            is_email_public=is_email_public,
            site_admin=site_admin,
        )
        self._users[login.lower()] = user
        return user

    @locked
    def user(self, login: str) -> User | None:
        return self._users.get(login.lower())

    @locked
    def user_by_id(self, user_id: int | None) -> User | None:
        return next((user for user in self._users.values() if user.id == user_id), None)

    @locked
    def users(self) -> list[User]:
        return sorted(self._users.values(), key=lambda user: user.id)

    @locked
    def user_by_token(self, token: str | None) -> User | None:
        if not token:
            return None
        return next((user for user in self._users.values() if user.token == token), None)

    @locked
    def revoke_token(self, login: str) -> None:
        """The token stops working (401 Bad credentials); the account stays."""
        self._require_user(login).token = None

    @locked
    def rotate_token(self, login: str) -> str:
        user = self._require_user(login)
        user.token = new_token()
        return user.token

    # Orgs --------------------------------------------------------------------------------

    @locked
    def add_org(
        self,
        login: str,
        *,
        name: str | None = None,
        description: str | None = None,
        id: int | None = None,
        members: dict[str, str] | None = None,
        default_repository_permission: str = "none",
        created_at: datetime | None = None,
    ) -> Org:
        self._check_new_login(login)
        if default_repository_permission != "none":
            default_repository_permission = _permission(default_repository_permission)
        created_at = created_at or self.now()
        org = Org(
            self._new_id("org", id),
            login,
            name,
            description,
            created_at,
            created_at,
            default_repository_permission=default_repository_permission,
        )
        self._orgs[login.lower()] = org
        for member, role in (members or {}).items():
            self.set_org_member(login, member, role)
        return org

    @locked
    def org(self, login: str) -> Org | None:
        return self._orgs.get(login.lower())

    @locked
    def orgs(self) -> list[Org]:
        return sorted(self._orgs.values(), key=lambda org: org.id)

    @locked
    def set_org_member(self, org: str, login: str, role: str = "member") -> None:
        if role not in ORG_ROLES:
            raise ValueError(f"role must be one of {', '.join(ORG_ROLES)}")
        self._require_org(org).members[self._require_user(login).login] = role

    @locked
    def remove_org_member(self, org: str, login: str) -> None:
        if self._require_org(org).members.pop(self._require_user(login).login, None) is None:
            raise LookupError(f"{login} is not a member of {org}")

    @locked
    def orgs_of(self, login: str) -> list[Org]:
        """Orgs the user is a member of (outside collaborators are not)."""
        user = self._require_user(login)
        return [org for org in self.orgs() if user.login in org.members]

    # Repositories ------------------------------------------------------------------------

    @locked
    def add_repo(
        self,
        full_name: str,
        *,
        private: bool = True,
        description: str | None = None,
        id: int | None = None,
        collaborators: dict[str, str] | None = None,
        labels: Iterable[str] = (),
        created_at: datetime | None = None,
    ) -> Repo:
        owner_login, _, name = full_name.partition("/")
        owner = self.owner(owner_login)
        if owner is None:
            raise LookupError(f"no user or org {owner_login}")
        if not REPO_NAME_PATTERN.fullmatch(name) or name in (".", ".."):
            raise ValueError("a repository name is 1-100 letters, digits, '.', '-' or '_'")
        if self.repo(full_name) is not None:
            raise ValueError(f"{full_name} already exists")
        created_at = created_at or self.now()
        repo = Repo(
            self._new_id("repo", id),
            owner.login,
            name,
            bool(private),
            description,
            created_at,
            created_at,
            created_at,
        )
        self._repos[repo.id] = repo
        self._issues[repo.id] = {}
        for label in labels:
            self._ensure_label(repo, label)
        for login, permission in (collaborators or {}).items():
            self.add_collaborator(repo.full_name, login, permission)
        return repo

    @locked
    def owner(self, login: str) -> User | Org | None:
        return self.org(login) or self.user(login)

    @locked
    def repo(self, full_name: str) -> Repo | None:
        wanted = full_name.lower()
        return next((repo for repo in self._repos.values() if repo.full_name.lower() == wanted), None)

    @locked
    def repo_by_id(self, repo_id: int) -> Repo | None:
        return self._repos.get(repo_id)

    @locked
    def repos(self) -> list[Repo]:
        return sorted(self._repos.values(), key=lambda repo: repo.id)

    @locked
    def add_collaborator(self, full_name: str, login: str, permission: str = "push") -> None:
        """Give a user access to a repository (or change their permission)."""
        repo = self._require_repo(full_name)
        repo.collaborators[self._require_user(login).login] = _permission(permission)

    @locked
    def remove_collaborator(self, full_name: str, login: str) -> None:
        repo = self._require_repo(full_name)
        if repo.collaborators.pop(self._require_user(login).login, None) is None:
            raise LookupError(f"{login} is not a collaborator on {repo.full_name}")

    @locked
    def add_label(
        self,
        full_name: str,
        name: str,
        *,
        color: str | None = None,
        description: str | None = None,
        is_default: bool = False,
    ) -> Label:
        """Create a label (or restyle the one with that name, whatever its case)."""
        label = self._ensure_label(self._require_repo(full_name), name)
        if color is not None:
            if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
                raise ValueError("color is 6 hex digits, without #")
            label.color = color.lower()
        label.description, label.is_default = _optional_text(description, "description"), bool(is_default)
        return label

    @locked
    def permission(self, login: str, repo: Repo) -> str | None:
        """The user's permission on the repository, or None when they may not see it."""
        user = self.user(login)
        if user is None:
            return None
        if repo.owner == user.login:
            return "admin"
        levels = []
        org = self.org(repo.owner)
        if org is not None and user.login in org.members:
            if org.members[user.login] == "admin":
                return "admin"
            if org.default_repository_permission != "none":
                levels.append(org.default_repository_permission)
        if user.login in repo.collaborators:
            levels.append(repo.collaborators[user.login])
        if not repo.is_private:
            levels.append("pull")
        return max(levels, key=PERMISSIONS.index) if levels else None

    @locked
    def repos_visible_to(self, login: str) -> list[Repo]:
        return [repo for repo in self.repos() if self.permission(login, repo)]

    # Issues and pull requests -----------------------------------------------------------

    @locked
    def create_issue(
        self,
        full_name: str,
        title: str,
        *,
        body: str | None = None,
        user: str | None = None,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        state: str = "open",
        state_reason: str | None = None,
        comments: int = 0,
        html_url: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        closed_at: datetime | None = None,
        id: int | None = None,
        notify: bool = True,
    ) -> Issue:
        """Open an issue (author: `user`, else the repository's owner or first admin) and send
        `opened` unless `notify=False`. Dates default to now; a closed issue is closed at
        `closed_at`, else at `updated_at`."""
        _check_state(state, state_reason)
        repo = self._require_repo(full_name)
        issue = self._new_item(repo, title, body, user, labels, assignees, created_at, updated_at, id)
        issue.comments = _count(comments, "comments")
        issue.html_url = _optional_text(html_url, "html_url")
        author = self.user_by_id(issue.user_id)
        if state == "closed":
            self._close(issue, state_reason or "completed", author, closed_at or issue.updated_at)
        self._store(repo, issue)
        if notify:
            self._emit("opened", issue, repo, author)
        return issue

    @locked
    def create_pull_request(
        self,
        full_name: str,
        title: str,
        *,
        body: str | None = None,
        user: str | None = None,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        draft: bool = False,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        merged_at: datetime | None = None,
    ) -> Issue:
        """A pull request: it shows in the issues list with a `pull_request` key, and sends no
        `issues` webhook event. With `merged_at` it is closed, merged then."""
        repo = self._require_repo(full_name)
        pull = self._new_item(repo, title, body, user, labels, assignees, created_at, updated_at, None)
        pull.is_pull_request, pull.is_draft = True, bool(draft)
        if merged_at is not None:
            self._close(pull, None, self.user_by_id(pull.user_id), merged_at)
            pull.merged_at = merged_at
        self._store(repo, pull)
        return pull

    def _new_item(self, repo: Repo, title, body, user, labels, assignees, created_at, updated_at, id) -> Issue:
        """An open issue with the repository's next number, not stored yet; checks every value."""
        if not isinstance(title, str):
            raise ValueError("title must be a string")
        author = self._require_user(user) if user else self._default_actor(repo)
        created_at = created_at or self.now()
        return Issue(
            id=self._new_id("issue", id),
            repo_id=repo.id,
            number=repo.next_number,
            title=title,
            body=_optional_text(body, "body"),
            user_id=author.id,
            state="open",
            created_at=created_at,
            updated_at=max(updated_at or created_at, created_at),
            labels=self._label_names(repo, labels),
            assignee_ids=self._user_ids(assignees),
        )

    def _store(self, repo: Repo, issue: Issue) -> None:
        repo.next_number += 1
        self._issues[repo.id][issue.number] = issue

    @locked
    def issue(self, full_name: str, number: int) -> Issue | None:
        repo = self.repo(full_name)
        return None if repo is None else self._issues[repo.id].get(number)

    @locked
    def issue_by_id(self, issue_id: int) -> Issue | None:
        return next((i for issues in self._issues.values() for i in issues.values() if i.id == issue_id), None)

    @locked
    def issues_in(self, full_name: str) -> list[Issue]:
        """Issues and pull requests of a repository, by number."""
        repo = self._require_repo(full_name)
        return list(self._issues[repo.id].values())

    @locked
    def moved_to(self, full_name: str, number: int) -> Issue | None:
        """Where a transferred issue lives now (None when it was not transferred)."""
        repo = self.repo(full_name)
        new_id = self._moved.get((repo.id, number)) if repo else None
        return self.issue_by_id(new_id) if new_id else None

    @locked
    def was_deleted(self, full_name: str, number: int) -> bool:
        repo = self.repo(full_name)
        return repo is not None and (repo.id, number) in self._deleted

    @locked
    def update_issue(self, full_name: str, number: int, *, sender: str | None = None, **changes) -> Issue:
        """Change `title`, `body`, `state` (with `state_reason`), `labels`, `assignees` (logins),
        `html_url`, `comments` or `locked`; `updated_at` becomes now. Sends `edited`, `closed`,
        `reopened`, `labeled`/`unlabeled` and `assigned`/`unassigned` events as GitHub does."""
        repo, issue = self._require_issue(full_name, number)
        actor = self._require_user(sender) if sender else self.user_by_id(issue.user_id)
        new = self._checked_changes(repo, issue, changes)
        events = self._change_events(repo, issue, new)
        now = self.now()
        if new["state"] != issue.state and new["state"] == "closed":
            self._close(issue, new["state_reason"] or "completed", actor, now)
        elif new["state"] != issue.state:
            issue.state, issue.state_reason, issue.closed_at, issue.closed_by_id = "open", "reopened", None, None
        elif new["state_reason"] is not None:
            issue.state_reason = new["state_reason"]
        for field in ("title", "body", "labels", "assignee_ids", "html_url", "comments", "locked"):
            setattr(issue, field, new[field])
        issue.updated_at = now
        for action, extra in events:
            self._emit(action, issue, repo, actor, **extra)
        return issue

    def _checked_changes(self, repo: Repo, issue: Issue, changes: dict) -> dict:
        """Every changeable field's new value; ValueError/LookupError before anything changes."""
        unknown = set(changes) - ISSUE_CHANGES
        if unknown:
            raise ValueError(f"cannot change issue fields: {', '.join(sorted(unknown))}")
        if "title" in changes and not isinstance(changes["title"], str):
            raise ValueError("title must be a string")
        state, reason = changes.get("state", issue.state), changes.get("state_reason")
        _check_state(state, reason)
        return {
            "title": changes.get("title", issue.title),
            "body": _optional_text(changes.get("body", issue.body), "body"),
            "state": state,
            "state_reason": reason,
            "labels": self._label_names(repo, changes["labels"]) if "labels" in changes else list(issue.labels),
            "assignee_ids": (
                self._user_ids(changes["assignees"]) if "assignees" in changes else list(issue.assignee_ids)
            ),
            "html_url": _optional_text(changes.get("html_url", issue.html_url), "html_url"),
            "comments": _count(changes.get("comments", issue.comments), "comments"),
            "locked": bool(changes.get("locked", issue.locked)),
        }

    def _change_events(self, repo: Repo, issue: Issue, new: dict) -> list[tuple[str, dict]]:
        """The webhook actions a change makes, in GitHub's order, with their extra keys."""
        events = []
        edited = {
            field: {"from": getattr(issue, field) or ""}
            for field in ("title", "body")
            if new[field] != getattr(issue, field)
        }
        if edited:
            events.append(("edited", {"changes": edited}))
        if new["state"] != issue.state:
            events.append(("closed" if new["state"] == "closed" else "reopened", {}))
        old_labels = {name.lower() for name in issue.labels}
        new_labels = {name.lower() for name in new["labels"]}
        events += [("labeled", {"label": repo.labels[n.lower()]}) for n in new["labels"] if n.lower() not in old_labels]
        events += [
            ("unlabeled", {"label": repo.labels[n.lower()]}) for n in issue.labels if n.lower() not in new_labels
        ]
        old_ids, new_ids = issue.assignee_ids, new["assignee_ids"]
        events += [("assigned", {"assignee": self.user_by_id(i)}) for i in new_ids if i not in old_ids]
        events += [("unassigned", {"assignee": self.user_by_id(i)}) for i in old_ids if i not in new_ids]
        return events

    @locked
    def transfer_issue(self, full_name: str, number: int, to: str, *, sender: str | None = None) -> Issue:
        """Move an issue to another repository; it gets a new id and number there, and the old
        URL answers 301 to the new one. Labels that exist in the target, and assignees who can
        see it, come along. Returns the new issue."""
        repo, issue = self._require_issue(full_name, number)
        if issue.is_pull_request:
            raise ValueError("pull requests cannot be transferred")
        target = self._require_repo(to)
        if target.id == repo.id:
            raise ValueError("the issue is already in that repository")
        actor = self._require_user(sender) if sender else self.user_by_id(issue.user_id)
        moved = Issue(
            id=self._new_id("issue"),
            repo_id=target.id,
            number=target.next_number,
            title=issue.title,
            body=issue.body,
            user_id=issue.user_id,
            state=issue.state,
            state_reason=issue.state_reason,
            created_at=issue.created_at,
            updated_at=self.now(),
            labels=[name for name in issue.labels if name.lower() in target.labels],
            assignee_ids=[
                user_id for user_id in issue.assignee_ids if self.permission(self.user_by_id(user_id).login, target)
            ],
            comments=issue.comments,
            closed_at=issue.closed_at,
            closed_by_id=issue.closed_by_id,
        )
        del self._issues[repo.id][number]
        self._store(target, moved)
        self._moved[(repo.id, number)] = moved.id
        self._emit("transferred", issue, repo, actor, new_issue=moved, new_repo=target)
        self._emit("opened", moved, target, actor)
        return moved

    @locked
    def delete_issue(self, full_name: str, number: int, *, sender: str | None = None) -> None:
        """Gone for good: the issue's URL answers 410 afterwards."""
        repo, issue = self._require_issue(full_name, number)
        actor = self._require_user(sender) if sender else self._default_actor(repo)
        del self._issues[repo.id][number]
        self._deleted.add((repo.id, number))
        if not issue.is_pull_request:
            self._emit("deleted", issue, repo, actor)

    @locked
    def author_association(self, issue: Issue, repo: Repo) -> str:
        author = self.user_by_id(issue.user_id)
        if author is None:
            return "NONE"
        if repo.owner == author.login:
            return "OWNER"
        org = self.org(repo.owner)
        if org is not None and author.login in org.members:
            return "MEMBER"
        return "COLLABORATOR" if author.login in repo.collaborators else "NONE"

    # Webhooks ----------------------------------------------------------------------------

    @locked
    def add_webhook(
        self,
        url: str,
        *,
        secret: str | None = None,
        events: Iterable[str] = ("issues",),
        org: str | None = None,
        repo: str | None = None,
    ) -> Webhook:
        """A hook on an org (all its repositories) or on one repository ("owner/name")."""
        if (org is None) == (repo is None):
            raise ValueError("a webhook belongs to exactly one of org or repo")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError("url must be an http(s) URL")
        events = list(events)
        if not events or any(event not in HOOK_EVENTS for event in events):
            raise ValueError("events must list 'issues' or '*'")
        hook = Webhook(
            self._new_id("hook"),
            url,
            secret or None,
            events,
            self.now(),
            org=self._require_org(org).login if org else None,
            repo_id=self._require_repo(repo).id if repo else None,
        )
        self._hooks[hook.id] = hook
        return hook

    @locked
    def remove_webhook(self, hook_id: int) -> None:
        if self._hooks.pop(hook_id, None) is None:
            raise LookupError(f"no webhook {hook_id}")

    @locked
    def webhooks(self) -> list[Webhook]:
        return sorted(self._hooks.values(), key=lambda hook: hook.id)

    @locked
    def webhooks_for(self, repo: Repo) -> list[Webhook]:
        return [hook for hook in self.webhooks() if hook.repo_id == repo.id or hook.org == repo.owner]

    # Inspection --------------------------------------------------------------------------

    @locked
    def summary(self) -> dict:
        return {
            "now": format_iso(self.now()),
            "clock_frozen": self.clock.is_frozen,
            "users": [{"login": u.login, "id": u.id, "has_token": u.token is not None} for u in self.users()],
            "orgs": [{"login": o.login, "id": o.id, "members": dict(o.members)} for o in self.orgs()],
            "repos": [
                {
                    "full_name": r.full_name,
                    "id": r.id,
                    "private": r.is_private,
                    "collaborators": dict(r.collaborators),
                    "issue_count": sum(1 for i in self._issues[r.id].values() if not i.is_pull_request),
                    "pull_request_count": sum(1 for i in self._issues[r.id].values() if i.is_pull_request),
                }
                for r in self.repos()
            ],
            "transferred_count": len(self._moved),
            "deleted_count": len(self._deleted),
            "webhook_count": len(self._hooks),
            "rate_limit": self.rate_limits.summary(),
        }

    # Helpers -----------------------------------------------------------------------------

    def _new_id(self, kind: str, explicit: int | None = None) -> int:
        if explicit is not None:
            if not isinstance(explicit, int) or isinstance(explicit, bool) or explicit < 1:
                raise ValueError("id must be a positive integer")
            self._next_ids[kind] = max(self._next_ids[kind], explicit + 1)
            return explicit
        value = self._next_ids[kind]
        self._next_ids[kind] += 1
        return value

    def _check_new_login(self, login: str) -> None:
        if not isinstance(login, str) or not LOGIN_PATTERN.fullmatch(login):
            raise ValueError("a login is 1-39 letters, digits or single hyphens inside")
        if login.lower() in self._users or login.lower() in self._orgs:
            raise ValueError(f"login {login} is already taken")

    def _close(self, issue: Issue, reason: str | None, actor: User | None, when: datetime) -> None:
        issue.state, issue.state_reason = "closed", reason
        issue.closed_at, issue.closed_by_id = when, actor.id if actor else None

    def _emit(self, action: str, issue: Issue, repo: Repo, sender: User | None, **extra) -> None:
        event = IssueEvent(action, issue, repo, sender or self._default_actor(repo), **extra)
        for listener in list(self._listeners):
            listener(event)

    def _default_actor(self, repo: Repo) -> User:
        owner = self.user(repo.owner)
        if owner is not None:
            return owner
        admins = [login for login, role in self._require_org(repo.owner).members.items() if role == "admin"]
        if not admins:
            raise ValueError(f"{repo.owner} has no admin to act for it: name a user")
        return self._require_user(admins[0])

    def _label_names(self, repo: Repo, names: Iterable[str]) -> list[str]:
        if isinstance(names, str):
            raise ValueError("labels must be a list of names")
        result = []
        for name in names:
            label = self._ensure_label(repo, name)
            if label.name not in result:
                result.append(label.name)
        return result

    def _ensure_label(self, repo: Repo, name: str) -> Label:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a label name must be a non-empty string")
        label = repo.labels.get(name.lower())
        if label is None:
            label = repo.labels[name.lower()] = Label(self._new_id("label"), name, label_color(name))
        return label

    def _user_ids(self, logins: Iterable[str]) -> list[int]:
        if isinstance(logins, str):
            raise ValueError("assignees must be a list of logins")
        return list(dict.fromkeys(self._require_user(login).id for login in logins))

    def _require_user(self, login: str) -> User:
        user = self.user(login) if isinstance(login, str) else None
        if user is None:
            raise LookupError(f"no user {login}")
        return user

    def _require_org(self, login: str) -> Org:
        org = self.org(login) if isinstance(login, str) else None
        if org is None:
            raise LookupError(f"no org {login}")
        return org

    def _require_repo(self, full_name: str) -> Repo:
        repo = self.repo(full_name) if isinstance(full_name, str) else None
        if repo is None:
            raise LookupError(f"no repository {full_name}")
        return repo

    def _require_issue(self, full_name: str, number: int) -> tuple[Repo, Issue]:
        repo = self._require_repo(full_name)
        issue = self._issues[repo.id].get(number)
        if issue is None:
            raise LookupError(f"no issue {repo.full_name}#{number}")
        return repo, issue


def new_token() -> str:
    """A random token with the shape of a classic personal access token."""
    return "ghp_" + secrets.token_hex(18)


def _permission(value: str) -> str:
    value = PERMISSION_ALIASES.get(value, value)
    if value not in PERMISSIONS:
        raise ValueError(f"permission must be one of {', '.join(PERMISSIONS)}")
    return value


def _check_state(state: str, reason: str | None) -> None:
    if state not in ISSUE_STATES:
        raise ValueError("state must be open or closed")
    if reason is not None and reason not in STATE_REASONS:
        raise ValueError(f"state_reason must be one of {', '.join(STATE_REASONS)}")


def _optional_text(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null")
    return value


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0")
    return value
