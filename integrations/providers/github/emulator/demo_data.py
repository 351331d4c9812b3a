"""Deterministic demo data: the Acme Corp team, the `acme-corp` org, three repositories and 40
issues (plus a few pull requests, one issue transferred and one deleted).

The people are the ones of the Pivotal demo (same names and emails), so the Django demo company
matches them by email. Sam Stranger has a GitHub account but is not in the company: he is an
outside collaborator on `mobile-app`, and pasting his token shows the "wrong account" warning.

Tokens are derived, never written down: `demo_token(login)` is "ghp_" followed by the first 36
hex characters of sha256("github-demo:<login>"), the shape of a classic personal access token.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from integrations.providers.emulator_kit.clock import Clock

from .state import GitHubState

# Everything is dated relative to this instant, so the data is the same on every run.
DEMO_NOW = datetime(2025, 4, 25, 16, 0, tzinfo=UTC)
ORG = "acme-corp"
WEB_APP, MOBILE_APP, BILLING_API = f"{ORG}/web-app", f"{ORG}/mobile-app", f"{ORG}/billing-api"


def demo_token(login: str) -> str:
    return "ghp_" + hashlib.sha256(f"github-demo:{login}".encode()).hexdigest()[:36]


@dataclass(frozen=True)
class DemoUser:
    id: int
    login: str
    name: str
    email: str
    role: str | None  # our company role (owner/admin/manager/user); None = not in the company

    @property
    def token(self) -> str:
        return demo_token(self.login)


DEMO_USERS = [
    DemoUser(1001, "olivia", "Olivia Owner", "owner@acme.example", "owner"),
    DemoUser(1002, "adam", "Adam Admin", "admin@acme.example", "admin"),
    DemoUser(1003, "maya", "Maya Manager", "manager@acme.example", "manager"),
    DemoUser(1004, "ana", "Ana Ruiz", "ana@acme.example", "user"),
    DemoUser(1005, "ben", "Ben Okafor", "ben@acme.example", "user"),
    DemoUser(1006, "chloe", "Chloe Martin", "chloe@acme.example", "user"),
    DemoUser(1007, "sam", "Sam Stranger", "sam@elsewhere.example", None),
]
DEMO_COMPANY_USERS = [user for user in DEMO_USERS if user.role is not None]
DEMO_USERS_BY_LOGIN = {user.login: user for user in DEMO_USERS}

# Olivia owns the org and sees everything; the others see the repositories they collaborate on,
# like the Pivotal memberships: Ana cannot see mobile-app, Ben cannot see billing-api, Chloe
# cannot see web-app, Maya cannot see billing-api. Sam is an outside collaborator on mobile-app.
ORG_MEMBERS = {
    "olivia": "admin",
    "adam": "member",
    "maya": "member",
    "ana": "member",
    "ben": "member",
    "chloe": "member",
}
DEMO_REPOS = {
    WEB_APP: ("The customer-facing web dashboard.", {"adam": "admin", "maya": "push", "ana": "push", "ben": "push"}),
    MOBILE_APP: ("iOS and Android apps.", {"maya": "admin", "ben": "push", "chloe": "push", "sam": "push"}),
    BILLING_API: ("Plans, invoices and payments.", {"adam": "push", "ana": "push", "chloe": "pull"}),
}

# (title, labels, assignees, author, closed as (None = open), created days ago, updated days ago, comments)
_ISSUES = {
    WEB_APP: [
        ("Sign-up form accepts invalid email addresses", "bug,frontend", "ana", "maya", "completed", 40, 30, 3),
        ("Password reset link never expires", "bug,security", "ben", "maya", "completed", 38, 28, 2),
        (
            "Dashboard takes 8 s to load for large accounts",
            "bug,performance",
            "ben,ana",
            "olivia",
            "completed",
            35,
            25,
            6,
        ),
        ("Upgrade Django to the latest LTS", "maintenance,backend", "ana", "adam", "completed", 33, 24, 1),
        ("Invite team members by email", "enhancement,onboarding", "ana", "maya", None, 26, 3, 4),
        ("CSV export of the activity report", "enhancement,backend", "ben", "olivia", None, 22, 2, 2),
        ("Dark mode for the dashboard", "enhancement,frontend,ux", "ana,ben", "maya", None, 20, 1, 9),
        ("Keyboard shortcuts for the task board", "enhancement,ux", "", "maya", None, 18, 18, 0),
        ("Two-factor authentication with TOTP apps", "enhancement,security", "ana", "olivia", None, 16, 10, 5),
        ("Paginate the audit log page", "enhancement,backend,performance", "ben", "adam", None, 15, 15, 0),
        ("Session cookie is missing the SameSite attribute", "bug,security", "ana", "adam", "not_planned", 12, 2, 3),
        ("Onboarding checklist for new teams", "enhancement,onboarding", "ana", "maya", None, 11, 0, 1),
        ("Avatar upload fails for PNG files over 2 MB", "bug,frontend", "ben", "adam", None, 9, 1, 2),
        ("Search ignores accented characters", "bug,backend", "ana", "maya", None, 8, 8, 0),
        ("Tooltip overlaps the sidebar on narrow screens", "bug,frontend,ux", "", "maya", None, 7, 7, 0),
        ("Push notifications arrive twice on Android", "bug", "ben", "maya", None, 6, 4, 1),
    ],
    MOBILE_APP: [
        ("Offline mode caches the last 50 tasks", "enhancement,offline", "chloe", "maya", "completed", 48, 33, 4),
        ("Push notification when assigned to a task", "enhancement,push", "ben", "maya", "completed", 46, 31, 2),
        ("App crashes when rotating on the login screen", "bug,android", "chloe", "olivia", "completed", 40, 29, 7),
        ("Biometric login on iOS", "enhancement,ios", "ben,chloe", "maya", None, 24, 4, 3),
        ("Pull to refresh on the task list", "enhancement,ios,android", "sam", "maya", None, 21, 3, 1),
        ("Widget showing today's tracked time", "enhancement,ios", "ben", "maya", None, 19, 2, 2),
        ("Tablet layout for the task board", "enhancement", "chloe", "maya", None, 17, 17, 0),
        ("Rename the Projects tab to Workspaces", "enhancement", "ben", "maya", "not_planned", 14, 2, 5),
        ("Sync conflicts when editing offline", "bug,offline", "", "olivia", None, 12, 12, 0),
        ("Update the Android target SDK", "maintenance,android", "sam", "maya", None, 10, 1, 0),
        ("Deep links open the wrong project", "bug,ios,android", "ben", "maya", None, 9, 9, 1),
        ("Timer keeps running after logout", "bug,android", "chloe", "olivia", None, 6, 1, 2),
        ("Login button hidden behind the keyboard on small phones", "bug,android", "chloe", "sam", None, 5, 5, 0),
    ],
    BILLING_API: [
        ("Verify Stripe webhook signatures", "enhancement,payments,security", "adam", "olivia", "completed", 55, 40, 2),
        ("Generate PDF invoices", "enhancement,invoicing", "ana", "olivia", "completed", 52, 36, 3),
        (
            "Rounding error on invoices with three or more tax rates",
            "bug,invoicing",
            "ana,adam",
            "olivia",
            "completed",
            39,
            27,
            8,
        ),
        ("Idempotency keys on POST /charges", "enhancement,api,payments", "adam", "olivia", None, 25, 5, 1),
        ("Prorate plan upgrades mid-cycle", "enhancement,payments", "ana", "olivia", None, 23, 2, 2),
        ("EU VAT reverse charge on B2B invoices", "enhancement,invoicing,compliance", "ana", "olivia", None, 20, 1, 4),
        ("Dunning emails for failed payments", "enhancement,payments", "", "olivia", None, 18, 18, 0),
        ("Rotate the Stripe restricted keys", "maintenance,payments", "adam", "olivia", None, 11, 11, 0),
        ("Webhook retries give up after three attempts", "bug,api", "", "ana", None, 6, 6, 0),
        ("Refunds endpoint returns 500 for partial refunds", "bug,api,payments", "adam", "ana", None, 4, 0, 3),
        ("Cheap watches, best prices!!!", "", "", "chloe", None, 3, 3, 0),
    ],
}
# Pull requests: assigned to people, but never tasks. (title, assignee, author, draft, merged days ago, created, updated)
_PULLS = {
    WEB_APP: [
        ("Add SameSite=Lax to the session cookie", "ana", "ana", False, None, 10, 2),
        ("Speed up the dashboard project query", "ben", "ben", False, 25, 30, 25),
    ],
    MOBILE_APP: [("Stop the timer notification on logout", "chloe", "chloe", True, None, 3, 1)],
    BILLING_API: [("Handle partial refunds", "adam", "adam", False, None, 2, 0)],
}
TRANSFERRED = (WEB_APP, "Push notifications arrive twice on Android", MOBILE_APP)  # 2 days ago
DELETED = (BILLING_API, "Cheap watches, best prices!!!")  # 2 days ago, as spam
# Where they were and are, as (repository, number): the old URLs answer 301 and 410.
TRANSFERRED_FROM, TRANSFERRED_TO, DELETED_ISSUE = (WEB_APP, 18), (MOBILE_APP, 15), (BILLING_API, 11)

_BODIES = {
    "Dashboard takes 8 s to load for large accounts": "The dashboard takes over 8 s to render for accounts with 5k+ projects.\n\nProfile the project list query.",
    "Avatar upload fails for PNG files over 2 MB": "**Steps**: upload a 3 MB PNG on the profile page.\n**Expected**: it is resized.\n**Actual**: 413 error.",
    "Session cookie is missing the SameSite attribute": "Security review finding. Set `SameSite=Lax` on the session cookie.",
    "Two-factor authentication with TOTP apps": "Users can enrol an authenticator app and must enter a code at sign-in.",
    "Dark mode for the dashboard": "Follow the OS preference, with a manual toggle in settings. cc @maya",
    "Timer keeps running after logout": "Logging out on Android leaves the foreground timer notification running.",
    "Biometric login on iOS": "Face ID / Touch ID unlock after the first password sign-in.",
    "Refunds endpoint returns 500 for partial refunds": "`POST /refunds` with an amount lower than the charge fails with a 500.",
    "EU VAT reverse charge on B2B invoices": "Invoices to EU businesses with a valid VAT id show *reverse charge* and 0% VAT.",
    "Idempotency keys on POST /charges": "Accept an `Idempotency-Key` header and return the first response for repeats.",
    "Push notifications arrive twice on Android": "Every push shows two notifications on Android 14. Filed here by mistake: it belongs to the mobile app.",
}
_LABEL_COLORS = {
    "bug": ("d73a4a", "Something isn't working"),
    "enhancement": ("a2eeef", "New feature or request"),
    "maintenance": ("fef2c0", "Upgrades, chores and clean-up"),
}


def build_demo_state(clock: Clock | None = None) -> GitHubState:
    """The demo: 7 users, the acme-corp org, 3 repositories, 40 issues and 4 pull requests."""
    state = _users_org_and_repos(Clock(DEMO_NOW - timedelta(days=2)))
    for full_name, rows in _ISSUES.items():
        offset = timedelta(hours=list(_ISSUES).index(full_name) + 1)
        items = [("issue", row, row[5]) for row in rows] + [("pull", row, row[5]) for row in _PULLS[full_name]]
        for kind, row, _ in sorted(items, key=lambda item: -item[2]):  # numbers follow creation dates
            if kind == "issue":
                _add_issue(state, full_name, row, offset)
            else:
                _add_pull(state, full_name, row, offset)
    source, title, target = TRANSFERRED
    state.transfer_issue(source, _number(state, source, title), target, sender="maya")
    repo, title = DELETED
    state.delete_issue(repo, _number(state, repo, title), sender="olivia")
    state.set_clock(clock or Clock())
    return state


def build_large_state(repos: int = 3, issues_per_repo: int = 2000) -> GitHubState:
    """The demo users and org with `repos` repositories (the demo three first, then repo-04...)
    of generated issues, every tenth a pull request: for pagination tests and benchmarks."""
    state = _users_org_and_repos(Clock(DEMO_NOW))
    access = list(DEMO_REPOS.values())
    for index in range(3, repos):
        description, collaborators = access[index % 3]
        state.add_repo(
            f"{ORG}/repo-{index + 1:02d}",
            description=description,
            collaborators=collaborators,
            created_at=DEMO_NOW - timedelta(days=300 - index),
        )
    verbs = ["Add", "Fix", "Polish", "Refactor", "Document", "Speed up", "Test"]
    nouns = ["login", "report", "timer", "invoice", "search", "export", "settings", "sidebar"]
    for repo in state.repos()[:repos]:
        workers = [login for login, permission in repo.collaborators.items() if permission != "pull"] or ["olivia"]
        closed_as = itertools.cycle([None, None, "completed", None, "not_planned"])
        for n in range(issues_per_repo):
            created_at = DEMO_NOW - timedelta(days=90) + timedelta(minutes=n * 30)
            title = f"{verbs[n % len(verbs)]} {nouns[n % len(nouns)]} #{n + 1}"
            assignees = [] if n % 7 == 0 else [workers[(n + 1) % len(workers)]]
            updated_at = created_at + timedelta(hours=n % 48)
            if n % 10 == 9:
                state.create_pull_request(
                    repo.full_name,
                    title,
                    user=workers[n % len(workers)],
                    assignees=assignees,
                    created_at=created_at,
                    updated_at=updated_at,
                )
                continue
            reason = next(closed_as)
            state.create_issue(
                repo.full_name,
                title,
                user=workers[n % len(workers)],
                labels=[nouns[n % len(nouns)]],
                assignees=assignees,
                state="closed" if reason else "open",
                state_reason=reason,
                created_at=created_at,
                updated_at=updated_at,
                comments=n % 5,
                notify=False,
            )
    state.set_clock(Clock())
    return state


def _users_org_and_repos(clock: Clock) -> GitHubState:
    state = GitHubState(clock)
    for user in DEMO_USERS:
        state.add_user(
            user.login,
            name=user.name,
            email=user.email,
            token=user.token,
            id=user.id,
            created_at=DEMO_NOW - timedelta(days=900 - user.id % 100 * 20),
        )
    state.add_org(
        ORG,
        name="Acme Corp",
        description="We make time tracking delightful.",
        id=5001,
        members=ORG_MEMBERS,
        created_at=DEMO_NOW - timedelta(days=800),
    )
    for index, (full_name, (description, collaborators)) in enumerate(DEMO_REPOS.items()):
        repo = state.add_repo(
            full_name,
            description=description,
            collaborators=collaborators,
            id=700001 + index,
            created_at=DEMO_NOW - timedelta(days=380 - index * 30),
        )
        for name, (color, text) in _LABEL_COLORS.items():
            state.add_label(repo.full_name, name, color=color, description=text, is_default=True)
    return state


def _add_issue(state: GitHubState, full_name: str, row, offset: timedelta) -> None:
    title, labels, assignees, author, closed_as, created, updated, comments = row
    created_at = DEMO_NOW - timedelta(days=created) - offset
    updated_at = max(DEMO_NOW - timedelta(days=updated) - offset, created_at)
    state.create_issue(
        full_name,
        title,
        body=_BODIES.get(title),
        user=author,
        labels=_names(labels),
        assignees=_names(assignees),
        state="closed" if closed_as else "open",
        state_reason=closed_as,
        comments=comments,
        created_at=created_at,
        updated_at=updated_at,
        notify=False,
    )


def _add_pull(state: GitHubState, full_name: str, row, offset: timedelta) -> None:
    title, assignee, author, draft, merged, created, updated = row
    state.create_pull_request(
        full_name,
        title,
        user=author,
        assignees=[assignee],
        draft=draft,
        created_at=DEMO_NOW - timedelta(days=created) - offset,
        updated_at=DEMO_NOW - timedelta(days=updated) - offset,
        merged_at=None if merged is None else DEMO_NOW - timedelta(days=merged) - offset,
    )


def _number(state: GitHubState, full_name: str, title: str) -> int:
    return next(issue.number for issue in state.issues_in(full_name) if issue.title == title)


def _names(text: str) -> list[str]:
    return [name for name in text.split(",") if name]
