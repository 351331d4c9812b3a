"""Deterministic demo data: the Acme Corp team, three Tracker projects and ~60 stories.

The Django side seeds its demo company from `DEMO_PEOPLE`, so every company member here has a
Tracker person with the same email. Sam Stranger has a Tracker account but is not in the
company: pasting his token shows the "wrong Pivotal account" warning.

Tokens are derived, never written down: `demo_token(username)` is the first 32 hex characters
of sha256("pivotal-demo:<username>"), which has the 32-lowercase-hex shape of real tokens.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from integrations.providers.emulator_kit.clock import Clock

from .state import EmulatorState

# Everything is dated relative to this instant, so the data is the same on every run.
DEMO_NOW = datetime(2025, 4, 25, 16, 0, tzinfo=UTC)


def demo_token(username: str) -> str:
    return hashlib.sha256(f"pivotal-demo:{username}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class DemoPerson:
    pivotal_id: int
    name: str
    email: str
    username: str
    initials: str
    role: str | None  # our company role (owner/admin/manager/user); None = not in the company
    time_zone: str

    @property
    def api_token(self) -> str:
        return demo_token(self.username)


DEMO_PEOPLE = [
    DemoPerson(101, "Olivia Owner", "owner@acme.example", "olivia", "OO", "owner", "America/New_York"),
    DemoPerson(102, "Adam Admin", "admin@acme.example", "adam", "AA", "admin", "Europe/London"),
    DemoPerson(103, "Maya Manager", "manager@acme.example", "maya", "MM", "manager", "Europe/Berlin"),
    DemoPerson(104, "Ana Ruiz", "ana@acme.example", "ana", "AR", "user", "Europe/Madrid"),
    DemoPerson(105, "Ben Okafor", "ben@acme.example", "ben", "BO", "user", "Africa/Lagos"),
    DemoPerson(106, "Chloe Martin", "chloe@acme.example", "chloe", "CM", "user", "Europe/Paris"),
    DemoPerson(107, "Sam Stranger", "sam@elsewhere.example", "sam", "SS", None, "Asia/Tokyo"),
]
DEMO_COMPANY_PEOPLE = [person for person in DEMO_PEOPLE if person.role is not None]
DEMO_PEOPLE_BY_USERNAME = {person.username: person for person in DEMO_PEOPLE}

WEB_APP, MOBILE, BILLING_API = 2561001, 2561002, 2561003
DEMO_PROJECTS = {
    WEB_APP: {"name": "Web App", "color": "3d85c6", "description": "The customer-facing web dashboard."},
    MOBILE: {"name": "Mobile", "color": "e69138", "description": "iOS and Android apps."},
    BILLING_API: {"name": "Billing API", "color": "6aa84f", "description": "Plans, invoices and payments."},
}
# Who sees what. Ana cannot see Mobile, Ben cannot see Billing API, Chloe cannot see Web App,
# Maya cannot see Billing API. Sam (outside the company) works on Mobile.
DEMO_MEMBERSHIPS = {
    WEB_APP: {"olivia": "owner", "adam": "owner", "maya": "member", "ana": "member", "ben": "member"},
    MOBILE: {"olivia": "owner", "maya": "owner", "ben": "member", "chloe": "member", "sam": "member"},
    BILLING_API: {"olivia": "owner", "adam": "member", "ana": "member", "chloe": "viewer"},
}

# (title, type, state, estimate, owners, requester, labels, created days ago, updated days ago)
# Releases carry a deadline instead of an estimate: ("+n" = n days after DEMO_NOW).
_STORIES = {
    WEB_APP: [
        (
            "Sign-up form validates email before submit",
            "feature",
            "accepted",
            2,
            "ana",
            "maya",
            "frontend,onboarding",
            40,
            30,
        ),
        (
            "Password reset link expires after 24 hours",
            "feature",
            "accepted",
            1,
            "ben",
            "maya",
            "security,backend",
            38,
            28,
        ),
        (
            "Dashboard loads slowly for accounts with 5k+ projects",
            "bug",
            "accepted",
            None,
            "ben,ana",
            "olivia",
            "performance",
            35,
            25,
        ),
        ("Upgrade Django to the latest LTS", "chore", "accepted", None, "ana", "adam", "backend", 33, 24),
        ("Release 2.4", "release", "accepted", None, "", "maya", "", 30, 20),
        ("Team admins can invite members by email", "feature", "delivered", 3, "ana", "maya", "onboarding", 26, 3),
        ("CSV export of the activity report", "feature", "finished", 2, "ben", "olivia", "backend", 22, 2),
        ("Dark mode for the dashboard", "feature", "started", 3, "ana,ben", "maya", "frontend,ux", 20, 1),
        ("Onboarding checklist for new teams", "feature", "started", 5, "ana", "maya", "onboarding,ux", 11, 0),
        ("Avatar upload fails for PNG files over 2 MB", "bug", "started", None, "ben", "adam", "frontend", 9, 1),
        ("Session cookie missing SameSite attribute", "bug", "rejected", None, "ana", "adam", "security", 12, 2),
        ("Keyboard shortcuts for the story board", "feature", "unstarted", 2, "", "maya", "ux", 18, 18),
        ("Two-factor authentication with TOTP apps", "feature", "unstarted", 5, "ana", "olivia", "security", 16, 10),
        ("Paginate the audit log page", "feature", "unstarted", 1, "ben", "adam", "backend,performance", 15, 15),
        ("Rotate staging database credentials", "chore", "unstarted", None, "", "adam", "security", 14, 14),
        ("Empty state illustration for new workspaces", "feature", "unstarted", 1, "", "maya", "ux,onboarding", 13, 13),
        ("Search results ignore accented characters", "bug", "unstarted", None, "ana", "maya", "backend", 8, 8),
        ("Release 2.5", "release", "unstarted", "+14", "", "maya", "", 10, 10),
        ("Saved filters on the reports page", "feature", "unscheduled", None, "", "olivia", "frontend", 45, 45),
        ("Slack notifications when a story is accepted", "feature", "unscheduled", 3, "", "maya", "", 44, 44),
        ("Localise the app into Spanish", "feature", "unscheduled", None, "", "olivia", "frontend", 50, 50),
        ("Print-friendly invoice view", "feature", "unscheduled", None, "", "maya", "ux", 42, 42),
        ("Remove the legacy v1 REST endpoints", "chore", "unscheduled", None, "", "adam", "backend", 41, 41),
        ("Tooltip overlaps the sidebar on narrow screens", "bug", "unscheduled", None, "", "maya", "frontend,ux", 7, 7),
    ],
    MOBILE: [
        ("Offline mode caches the last 50 stories", "feature", "accepted", 5, "chloe", "maya", "offline", 48, 33),
        ("Push notification when assigned to a story", "feature", "accepted", 3, "ben", "maya", "push", 46, 31),
        (
            "App crashes when rotating on the login screen",
            "bug",
            "accepted",
            None,
            "chloe",
            "olivia",
            "android",
            40,
            29,
        ),
        ("Mobile 1.8", "release", "accepted", "-21", "", "maya", "release", 35, 21),
        ("Biometric login on iOS", "feature", "delivered", 3, "ben,chloe", "maya", "ios", 24, 4),
        ("Pull to refresh on the story list", "feature", "finished", 1, "sam", "maya", "ios,android", 21, 3),
        ("Timer keeps running after logout", "bug", "started", None, "chloe", "olivia", "android", 6, 1),
        ("Widget showing today's tracked time", "feature", "started", 5, "ben", "maya", "ios", 19, 2),
        ("Update the Android target SDK", "chore", "started", None, "sam", "maya", "android,release", 10, 1),
        ("Rename the Projects tab to Workspaces", "feature", "rejected", 1, "ben", "maya", "", 14, 2),
        ("Deep links open the wrong project", "bug", "unstarted", None, "ben", "maya", "ios,android", 9, 9),
        ("Tablet layout for the story board", "feature", "unstarted", 8, "chloe", "maya", "", 17, 17),
        ("Sync conflicts when editing offline", "bug", "unstarted", None, "", "olivia", "offline", 12, 12),
        (
            "Login button hidden behind the keyboard on small phones",
            "bug",
            "unstarted",
            None,
            "chloe",
            "sam",
            "android",
            5,
            5,
        ),
        ("Mobile 1.9", "release", "unstarted", "+21", "", "maya", "release", 15, 15),
        ("Reduce app bundle size below 30 MB", "chore", "unstarted", None, "", "maya", "release", 13, 13),
        ("Apple Watch companion app", "feature", "unscheduled", None, "", "olivia", "ios", 60, 60),
        ("Haptic feedback when a timer starts", "feature", "unscheduled", 1, "", "maya", "ios", 30, 30),
        ("Crash reports include the device locale", "chore", "unscheduled", None, "", "maya", "", 28, 28),
        ("Voice notes on stories", "feature", "unscheduled", None, "", "chloe", "", 27, 27),
    ],
    BILLING_API: [
        (
            "Stripe webhook signature verification",
            "feature",
            "accepted",
            3,
            "adam",
            "olivia",
            "payments,security",
            55,
            40,
        ),
        ("Generate PDF invoices", "feature", "accepted", 5, "ana", "olivia", "invoicing", 52, 36),
        (
            "Rounding error on invoices with three or more tax rates",
            "bug",
            "accepted",
            None,
            "ana,adam",
            "olivia",
            "invoicing",
            39,
            27,
        ),
        ("Billing API v2", "release", "accepted", "-26", "", "olivia", "", 37, 26),
        ("Idempotency keys on POST /charges", "feature", "delivered", 2, "adam", "olivia", "api,payments", 25, 5),
        ("Prorate plan upgrades mid-cycle", "feature", "finished", 5, "ana", "olivia", "payments", 23, 2),
        (
            "EU VAT reverse charge on B2B invoices",
            "feature",
            "started",
            3,
            "ana",
            "olivia",
            "invoicing,compliance",
            20,
            1,
        ),
        (
            "Refunds endpoint returns 500 for partial refunds",
            "bug",
            "started",
            None,
            "adam",
            "ana",
            "api,payments",
            4,
            0,
        ),
        ("Rotate the Stripe restricted keys", "chore", "unstarted", None, "adam", "olivia", "payments", 11, 11),
        ("Dunning emails for failed payments", "feature", "unstarted", 3, "", "olivia", "payments", 18, 18),
        ("Rate-limit the public invoices endpoint", "feature", "unstarted", 2, "adam", "adam", "api", 16, 16),
        ("Webhook retries give up after three attempts", "bug", "unstarted", None, "", "ana", "api", 6, 6),
        ("Export invoices to the accounting system", "feature", "unscheduled", None, "", "olivia", "invoicing", 50, 50),
        ("Multi-currency price lists", "feature", "unscheduled", 8, "", "olivia", "payments", 47, 47),
        ("Archive invoices older than ten years", "chore", "unscheduled", None, "", "ana", "compliance", 44, 44),
        ("Billing API v3", "release", "unscheduled", None, "", "olivia", "", 30, 30),
    ],
}

_DESCRIPTIONS = {
    "Dashboard loads slowly for accounts with 5k+ projects": "The dashboard takes over 8 s to render for large accounts. Profile the project list query.",
    "Avatar upload fails for PNG files over 2 MB": "Steps: upload a 3 MB PNG on the profile page. Expected: it is resized. Actual: 413 error.",
    "Session cookie missing SameSite attribute": "Security review finding. Set SameSite=Lax on the session cookie.",
    "Two-factor authentication with TOTP apps": "Users can enrol an authenticator app and must enter a code at sign-in.",
    "Dark mode for the dashboard": "Follow the OS preference, with a manual toggle in settings.",
    "Timer keeps running after logout": "Logging out on Android leaves the foreground timer notification running.",
    "Biometric login on iOS": "Face ID / Touch ID unlock after the first password sign-in.",
    "Refunds endpoint returns 500 for partial refunds": "POST /refunds with an amount lower than the charge fails with a 500.",
    "EU VAT reverse charge on B2B invoices": "Invoices to EU businesses with a valid VAT id show 'reverse charge' and 0% VAT.",
    "Idempotency keys on POST /charges": "Accept an Idempotency-Key header and return the first response for repeats.",
}
_PRIORITIES = {
    "Refunds endpoint returns 500 for partial refunds": "p1",
    "Timer keeps running after logout": "p1",
    "Session cookie missing SameSite attribute": "p2",
    "Avatar upload fails for PNG files over 2 MB": "p2",
    "Two-factor authentication with TOTP apps": "p3",
}


def build_demo_state(clock: Clock | None = None) -> EmulatorState:
    """The demo: 7 people, 3 projects, 60 stories with their creation in each activity feed."""
    state = _people_and_projects(clock)
    rows = [
        (project_id, position, row)
        for project_id, project_rows in _STORIES.items()
        for position, row in enumerate(project_rows)
    ]
    # Create in creation-date order, so each feed's versions follow its dates, as in Tracker.
    pending = sorted(rows, key=lambda item: (-item[2][7], item[0], item[1]))
    created = {}
    for project_id, position, row in pending:
        created[(project_id, position)] = _add_demo_story(state, project_id, row)
    # Priority order within each project follows the table, whatever the creation order was.
    for (_project_id, position), story in created.items():
        story.position = position + 1
    return state


def build_large_state(stories_per_project: int = 2000, *, record_activity: bool = False) -> EmulatorState:
    """Demo people and projects with many generated stories, for pagination tests and
    benchmarks. Cheap to build: creation activity is skipped unless asked for."""
    state = _people_and_projects(None)
    types = itertools.cycle(["feature", "feature", "bug", "feature", "chore"])
    states = itertools.cycle(["accepted", "started", "unstarted", "finished", "unscheduled", "delivered"])
    verbs = ["Add", "Fix", "Polish", "Refactor", "Document", "Speed up", "Test"]
    nouns = ["login", "report", "timer", "invoice", "search", "export", "settings", "sidebar"]
    for project_id in DEMO_PROJECTS:
        workers = _workers(project_id)
        for n in range(stories_per_project):
            story_type, current_state = next(types), next(states)
            created_at = DEMO_NOW - timedelta(days=90) + timedelta(minutes=n * 30)
            state.add_story(
                project_id,
                f"{verbs[n % len(verbs)]} {nouns[n % len(nouns)]} #{n + 1}",
                story_type,
                current_state,
                requested_by_id=workers[n % len(workers)],
                owner_ids=[] if n % 7 == 0 else [workers[(n + 1) % len(workers)]],
                labels=[nouns[n % len(nouns)]],
                estimate=(n % 4) if story_type == "feature" else None,
                created_at=created_at,
                updated_at=created_at + timedelta(hours=n % 48),
                record_activity=record_activity,
            )
    return state


def _people_and_projects(clock: Clock | None) -> EmulatorState:
    state = EmulatorState(clock)
    for person in DEMO_PEOPLE:
        state.add_person(
            person.name,
            person.email,
            person.username,
            initials=person.initials,
            api_token=person.api_token,
            time_zone=person.time_zone,
            id=person.pivotal_id,
            created_at=DEMO_NOW - timedelta(days=400 - person.pivotal_id % 100 * 10),
        )
    for index, (project_id, details) in enumerate(DEMO_PROJECTS.items()):
        created_at = DEMO_NOW - timedelta(days=380 - index * 30)
        state.add_project(
            details["name"],
            id=project_id,
            created_at=created_at,
            start_time=_monday(created_at),
            color=details["color"],
            description=details["description"],
            time_zone="America/New_York",
        )
        for username, role in DEMO_MEMBERSHIPS[project_id].items():
            person_id = DEMO_PEOPLE_BY_USERNAME[username].pivotal_id
            state.add_membership(
                person_id,
                project_id,
                role,
                created_at=created_at + timedelta(days=1),
                last_viewed_at=DEMO_NOW - timedelta(hours=person_id % 10 + index),
            )
    return state


def _add_demo_story(state: EmulatorState, project_id: int, row):
    title, story_type, current_state, extra, owners, requester, labels, created, updated = row
    created_at = DEMO_NOW - timedelta(days=created, hours=project_id % 7)
    updated_at = DEMO_NOW - timedelta(days=updated, hours=project_id % 5)
    estimate = deadline = None
    if story_type == "release" and extra is not None:
        deadline = DEMO_NOW + timedelta(days=int(extra))
    elif extra is not None:
        estimate = extra
    return state.add_story(
        project_id,
        title,
        story_type,
        current_state,
        requested_by_id=DEMO_PEOPLE_BY_USERNAME[requester].pivotal_id,
        owner_ids=[DEMO_PEOPLE_BY_USERNAME[u].pivotal_id for u in owners.split(",") if u],
        labels=[label for label in labels.split(",") if label],
        description=_DESCRIPTIONS.get(title),
        estimate=estimate,
        deadline=deadline,
        story_priority=_PRIORITIES.get(title),
        created_at=created_at,
        updated_at=max(updated_at, created_at),
    )


def _workers(project_id: int) -> list[int]:
    """People who can own stories in a project (viewers cannot)."""
    return [
        DEMO_PEOPLE_BY_USERNAME[username].pivotal_id
        for username, role in DEMO_MEMBERSHIPS[project_id].items()
        if role != "viewer"
    ]


def _monday(when: datetime) -> datetime:
    monday = when - timedelta(days=when.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)
