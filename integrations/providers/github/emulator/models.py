"""Plain records of what GitHub stores, and the vocabulary its REST API uses for them.

Deliberately dumb dataclasses: the rules live in `state.py`, the JSON shapes in `rendering.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Repository permissions, weakest first (GitHub's names; "read"/"write" are accepted aliases).
PERMISSIONS = ("pull", "triage", "push", "maintain", "admin")
PERMISSION_ALIASES = {"read": "pull", "write": "push"}
ORG_ROLES = ("admin", "member")
ISSUE_STATES = ("open", "closed")
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


@dataclass
class User:
    id: int
    login: str
    name: str | None
    email: str | None
    token: str | None
    created_at: datetime
    updated_at: datetime
    is_email_public: bool = True
    site_admin: bool = False


@dataclass
class Org:
    id: int
    login: str
    name: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime
    members: dict[str, str] = field(default_factory=dict)  # login -> "admin" | "member"
    # What members get on every repository without being collaborators: "none" or a permission.
    default_repository_permission: str = "none"


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None
    is_default: bool = False


@dataclass
class Repo:
    id: int
    owner: str  # login of a user or an org
    name: str
    is_private: bool
    description: str | None
    created_at: datetime
    updated_at: datetime
    pushed_at: datetime
    default_branch: str = "main"
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    labels: dict[str, Label] = field(default_factory=dict)  # lower-cased name -> label
    next_number: int = 1

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Issue:
    """An issue or a pull request: they share one number sequence per repository, as on GitHub."""

    id: int
    repo_id: int
    number: int
    title: str
    body: str | None
    user_id: int
    state: str
    created_at: datetime
    updated_at: datetime
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)  # label names, in the order they were set
    assignee_ids: list[int] = field(default_factory=list)
    comments: int = 0
    locked: bool = False
    closed_at: datetime | None = None
    closed_by_id: int | None = None
    html_url: str | None = None  # set through the control API; None = GitHub's usual URL
    is_pull_request: bool = False
    is_draft: bool = False
    merged_at: datetime | None = None


@dataclass
class Webhook:
    id: int
    url: str
    secret: str | None
    events: list[str]
    created_at: datetime
    org: str | None = None  # an org's login, for org hooks
    repo_id: int | None = None  # for repository hooks
    is_active: bool = True

    def wants(self, event: str) -> bool:
        return self.is_active and (event in self.events or "*" in self.events)


@dataclass
class IssueEvent:
    """One change to an issue, as the `issues` webhook event describes it."""

    action: str
    issue: Issue
    repo: Repo
    sender: User
    changes: dict | None = None
    label: Label | None = None
    assignee: User | None = None
    new_issue: Issue | None = None
    new_repo: Repo | None = None
