"""Plain records of what Pivotal Tracker stores, and the vocabulary the API uses for them.

They are deliberately dumb dataclasses: every rule (validation, versioning, activity) lives in
`state.py`, and every JSON shape lives in `rendering.py`, so each concern has one home.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

STORY_TYPES = ("feature", "bug", "chore", "release")
STORY_STATES = (
    "accepted",
    "delivered",
    "finished",
    "started",
    "rejected",
    "planned",
    "unstarted",
    "unscheduled",
)
PROJECT_ROLES = ("owner", "member", "viewer")

# "Done" in Tracker's search language means accepted: those stories are hidden unless includedone:true.
DONE_STATES = frozenset({"accepted"})

STORY_URL = "https://www.pivotaltracker.com/story/show/{id}"

# Tracker lists stories the way its panels show them: done, then current/backlog, then the icebox.
# Within a panel the order is the project's priority order (the story's position).
PANEL_OF_STATE = {
    "accepted": 0,
    "delivered": 1,
    "finished": 1,
    "started": 1,
    "rejected": 1,
    "planned": 2,
    "unstarted": 2,
    "unscheduled": 3,
}


@dataclass
class Person:
    id: int
    name: str
    initials: str
    username: str
    email: str
    api_token: str | None
    time_zone: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Project:
    id: int
    name: str
    created_at: datetime
    updated_at: datetime
    start_time: datetime
    version: int = 1
    account_id: int = 1100123
    description: str | None = None
    iteration_length: int = 1
    week_start_day: str = "Monday"
    point_scale: str = "0,1,2,3"
    point_scale_is_custom: bool = False
    time_zone: str = "America/Los_Angeles"
    public: bool = False
    project_type: str = "private"
    color: str = "8100ea"
    bugs_and_chores_are_estimatable: bool = False
    automatic_planning: bool = True
    enable_tasks: bool = True
    enable_following: bool = True
    enable_incoming_emails: bool = True
    velocity_averaged_over: int = 3
    initial_velocity: int = 10
    number_of_done_iterations_to_show: int = 4
    has_google_domain: bool = False
    atom_enabled: bool = False


@dataclass
class Membership:
    id: int
    person_id: int
    project_id: int
    role: str
    created_at: datetime
    updated_at: datetime
    project_color: str = "8100ea"
    favorite: bool = False
    last_viewed_at: datetime | None = None


@dataclass
class Label:
    id: int
    project_id: int
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Story:
    id: int
    project_id: int
    name: str
    story_type: str
    current_state: str
    requested_by_id: int | None
    created_at: datetime
    updated_at: datetime
    position: int
    owner_ids: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # label names; Label rows live per project
    description: str | None = None
    estimate: float | int | None = None
    accepted_at: datetime | None = None
    deadline: datetime | None = None
    story_priority: str | None = None
    # Tests of hostile values set any link here; Tracker's own is derived from the id.
    url_override: str | None = None

    @property
    def url(self) -> str:
        return self.url_override if self.url_override is not None else STORY_URL.format(id=self.id)

    @property
    def panel(self) -> int:
        return PANEL_OF_STATE[self.current_state]


@dataclass
class Activity:
    """One activity item. `payload` is the rendered item (datetimes kept as datetimes), frozen
    when it happened, as Tracker's feed is a history and does not follow later renames."""

    project_id: int
    project_version: int
    kind: str
    occurred_at: datetime
    performed_by_id: int | None
    story_ids: tuple[int, ...]
    payload: dict


@dataclass
class Transition:
    story_id: int
    project_id: int
    project_version: int
    state: str
    occurred_at: datetime
    performed_by_id: int | None


@dataclass
class Webhook:
    id: int
    project_id: int
    webhook_url: str
    webhook_version: str
    created_at: datetime
    updated_at: datetime
