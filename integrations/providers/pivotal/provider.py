"""Pivotal Tracker (API v5) as a provider: accounts, projects, stories, removals and webhooks.

HTTP goes through `PivotalClient` (client.py); this module maps Pivotal's answers to the sync
engine's vocabulary. Change detection: the project's `version` (one GET /projects lists them all)
says whether anything changed; stories are read with `updated_after`, and the activity feed since
the last version reveals deletes and moves.
"""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from ..base import (
    ActivityRefs,
    CursorState,
    Installation,
    LinkedAccount,
    NotFound,
    Person,
    Provider,
    ProviderUnavailable,
    RemoteProject,
    RemoteTask,
    Removal,
    SkippedItem,
    TaskPage,
    WebhookIntegration,
)
from .client import PivotalClient
from .forms import PivotalSettingsForm
from .webhooks import parse_activity

ACTIVITY_PAGE_SIZE = 500  # newest first: new activity shifts pages forward, never skips
DONE_STATE = "accepted"
REMOVAL_KINDS: dict[object, bool] = {"story_delete_activity": True, "story_move_from_project_activity": False}


class PivotalProvider(Provider):
    id = "pivotal"
    name = "Pivotal Tracker"
    description = "Turn the Pivotal Tracker stories people own into tasks they track time on."
    client_class = PivotalClient
    item_name, items_name = "story", "stories"
    token_name = "API token"
    company_help_template = "integrations/providers/pivotal/company_help.html"
    personal_help_template = "integrations/providers/pivotal/personal_help.html"
    webhook_help_template = "integrations/providers/pivotal/webhook_help.html"
    settings_form_class = PivotalSettingsForm
    scope_labels = {
        "owned_open": "Stories a person owns that are not yet accepted",
        "owned_all": "Stories a person owns, accepted ones included",
        "projects_all": "Every story of the projects a person belongs to",
    }

    def default_settings(self) -> dict[str, Any]:
        return {"base_url": settings.PIVOTAL_API_URL}

    @sensitive_variables("token")
    def client(
        self, token: str, *, installation: Installation | None = None, interactive: bool = False
    ) -> PivotalClient:
        # Someone is waiting for a token check: answer at once rather than retry.
        base_url = (installation or {}).get("base_url") or settings.PIVOTAL_API_URL
        return PivotalClient(token, base_url=base_url, max_attempts=1 if interactive else None)

    @sensitive_variables("token")
    def check_token(self, token: str, *, installation: Installation | None = None) -> LinkedAccount:
        me = self.client(token, installation=installation, interactive=True).me()
        if not isinstance(me, dict) or "id" not in me:
            raise ProviderUnavailable("Pivotal Tracker sent an unexpected answer to /me.")
        projects = me.get("projects") or []
        return LinkedAccount(
            external_id=str(me["id"]),
            name=me.get("name", ""),
            email=me.get("email", ""),
            username=me.get("username", ""),
            project_names=sorted(str(p.get("project_name", "")) for p in projects if isinstance(p, dict)),
        )

    def list_projects(self, client: PivotalClient, installation: Installation | None = None) -> list[RemoteProject]:
        try:
            return [
                RemoteProject(str(project["id"]), project.get("name", ""), project.get("version"))
                for project in _records(client.get("/projects").data)
            ]
        except KeyError as error:
            raise ProviderUnavailable("Pivotal Tracker sent a project of an unexpected shape.") from error

    def is_unchanged(self, remote_project: RemoteProject, cursor_state: CursorState | None) -> bool:
        return remote_project.version is not None and (cursor_state or {}).get("version") == remote_project.version

    def fetch_tasks(
        self,
        client: PivotalClient,
        remote_project: RemoteProject,
        *,
        person: Person,
        scope: str,
        since: datetime | None = None,
        cursor_state: CursorState | None = None,
    ) -> Iterator[TaskPage]:
        page_size = settings.PIVOTAL_PAGE_SIZE
        params: dict[str, Any] = {"limit": page_size, "offset": 0}
        if since is not None:
            params["updated_after"] = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            response = client.get(f"/projects/{remote_project.external_id}/stories", params=params)
            stories = _records(response.data)
            total = _int_header(response.headers, "X-Tracker-Pagination-Total", default=len(stories))
            # Any edit, delete, move or re-prioritising bumps the project version: pages served at
            # different versions may have shifted under the offsets.
            snapshot = (response.headers.get("X-Tracker-Project-Version"), total)
            tasks: list[RemoteTask] = []
            skipped: list[SkippedItem] = []
            for story in stories:
                try:
                    tasks.append(story_to_task(story))
                except ProviderUnavailable as error:
                    skipped.append(SkippedItem(str(story.get("id", "?"))[:64], error.message))
            yield TaskPage(tasks, total, params["offset"], snapshot, tuple(skipped))
            params["offset"] += page_size
            if not stories or params["offset"] >= total:
                return

    def fetch_removals(
        self, client: PivotalClient, remote_project: RemoteProject, *, cursor_state: CursorState | None
    ) -> list[Removal]:
        since_version = (cursor_state or {}).get("version")
        if since_version is None:
            return []
        removals: dict[str, Removal] = {}
        offset = 0
        while True:
            items = _records(
                client.get(
                    f"/projects/{remote_project.external_id}/activity",
                    params={"since_version": since_version, "limit": ACTIVITY_PAGE_SIZE, "offset": offset},
                ).data
            )
            for item in items:
                is_deletion = REMOVAL_KINDS.get(item.get("kind"))
                if is_deletion is None:
                    continue
                for change in item.get("changes") or []:
                    if change.get("kind") == "story" and change.get("change_type") == "delete":
                        removals[str(change["id"])] = Removal(str(change["id"]), is_deletion)
            if len(items) < ACTIVITY_PAGE_SIZE:
                return list(removals.values())
            offset += ACTIVITY_PAGE_SIZE

    def locate_task(self, client: PivotalClient, external_id: str) -> RemoteTask | None:
        try:
            return story_to_task(client.get(f"/stories/{external_id}").data)
        except NotFound:
            return None

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, integration: WebhookIntegration) -> bool:
        """Pivotal signs nothing: the secret in the URL, already checked, is the only credential."""
        return True

    def parse_webhook(self, headers: Mapping[str, str], payload: object) -> ActivityRefs:
        return parse_activity(payload)


def _records(data: object) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ProviderUnavailable("Pivotal Tracker sent an answer of an unexpected shape.")
    return data


def _int_header(headers: Mapping[str, str], name: str, *, default: int) -> int:
    try:
        return int(headers.get(name, default))
    except (TypeError, ValueError):
        return default


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a text field is not text")
    return value


def _estimate(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("the estimate is not a number")
    return float(value)


def story_to_task(story: Any) -> RemoteTask:
    try:
        return RemoteTask(
            external_id=str(story["id"]),
            project_external_id=str(story["project_id"]),
            title=_text(story.get("name", "")),
            url=_text(story.get("url", "")),
            kind=_text(story.get("story_type", "")),
            state=_text(story.get("current_state", "")),
            estimate=_estimate(story.get("estimate")),
            labels=tuple(sorted(_text(label.get("name", "")) for label in story.get("labels") or [])),
            owner_ids=tuple(str(owner) for owner in story.get("owner_ids") or []),
            created_at=_parse_time(story.get("created_at")),
            updated_at=_parse_time(story.get("updated_at")),
            is_done=story.get("current_state") == DONE_STATE,
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise ProviderUnavailable(f"Pivotal Tracker sent a story of an unexpected shape ({error}).") from error


provider_classes = [PivotalProvider]
