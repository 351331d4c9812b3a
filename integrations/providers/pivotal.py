"""Pivotal Tracker (API v5). `PivotalClient` is the only code that talks to Pivotal.

Facts in ../shared/pivotal-tracker-api-v5.md: the token goes in the `X-TrackerToken` header (never
in a URL), errors come as `{"code", "kind": "error", "error", ...}`, and a dead token answers 401
or 403 `invalid_authentication`, a project the token may no longer see 403 `unauthorized_operation`.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from .base import (
    AccessLost,
    ActivityRefs,
    LinkedAccount,
    NotFound,
    Provider,
    ProviderError,
    ProviderUnavailable,
    Removal,
    RemoteProject,
    RemoteTask,
    SkippedItem,
    TaskPage,
    TokenRejected,
)

USER_AGENT = "timedoctor-dashboard/1.0 (+pivotal-integration)"
ACTIVITY_PAGE_SIZE = 500  # newest first: new activity shifts pages forward, never skips
DONE_STATE = "accepted"
REMOVAL_KINDS = {"story_delete_activity": True, "story_move_from_project_activity": False}


@dataclass(frozen=True)
class PivotalResponse:
    data: object
    headers: dict


def retry_delay(attempt, *, base, cap):
    """Exponential backoff with full jitter: up to base·2^(attempt-1) seconds, never above cap."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))


class PivotalClient:
    """GETs against Pivotal's API v5. Transient failures (429, 5xx, timeouts, connection errors,
    malformed JSON) are retried in place a few times, honouring Retry-After; longer outages are
    left to the caller (the Celery task retries later)."""

    def __init__(self, token, *, base_url=None, timeout=None, session=None, max_attempts=None, sleep=time.sleep):
        self._token = token
        self.base_url = (base_url or settings.PIVOTAL_API_URL).rstrip("/")
        self.timeout = timeout or settings.PIVOTAL_TIMEOUT_SECONDS
        self.max_attempts = max_attempts or settings.PIVOTAL_MAX_ATTEMPTS
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.sleep = sleep
        self.requests_made = 0

    def __repr__(self):
        return f"<PivotalClient {self.base_url}>"

    def get(self, path, params=None):
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(path, params)
            except ProviderUnavailable as error:
                delay = error.retry_after if error.retry_after is not None else retry_delay(
                    attempt, base=settings.PIVOTAL_RETRY_BASE_SECONDS, cap=settings.PIVOTAL_RETRY_CAP_SECONDS)
                if attempt >= self.max_attempts or delay > settings.PIVOTAL_RETRY_CAP_SECONDS:
                    raise
                self.sleep(delay)

    @sensitive_variables("headers")
    def _get_once(self, path, params=None):
        headers = {"X-TrackerToken": self._token, "Accept": "application/json"}
        self.requests_made += 1
        try:
            response = self.session.get(f"{self.base_url}{path}", params=params, headers=headers, timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderUnavailable(f"Pivotal Tracker did not answer within {self.timeout:g} seconds.") from error
        except requests.RequestException as error:
            raise ProviderUnavailable("Pivotal Tracker could not be reached. Try again in a moment.") from error
        return self._parse(response)

    def me(self):
        return self.get("/me").data

    def _parse(self, response):
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            raise _error_for(response, body if isinstance(body, dict) else {})
        if body is None:
            raise ProviderUnavailable("Pivotal Tracker sent an answer that is not valid JSON.", status=response.status_code)
        return PivotalResponse(body, dict(response.headers))


def _error_for(response, body):
    status, code = response.status_code, body.get("code")
    detail = body.get("general_problem") or body.get("error") or ""
    if status == 401 or code == "invalid_authentication":
        return TokenRejected("Pivotal Tracker rejected this API token. Check that you copied the whole token "
                             "from the bottom of your Pivotal profile page.", status=status, code=code)
    if status == 403 and code == "unauthorized_operation":
        return AccessLost(f"This Pivotal account may no longer see that project. {detail}".strip(), status=status,
                          code=code)
    if status == 403:
        return TokenRejected("Pivotal Tracker refused this API token.", status=status, code=code)
    if status == 429:
        return ProviderUnavailable("Pivotal Tracker asked us to slow down.", status=status, code=code,
                                   retry_after=_retry_after_seconds(response.headers.get("Retry-After")))
    if status == 404:
        return NotFound(f"Pivotal Tracker has no such resource. {detail}".strip(), status=status, code=code)
    if status >= 500:
        return ProviderUnavailable(f"Pivotal Tracker is having trouble (HTTP {status}). Try again in a moment.",
                                   status=status, code=code)
    return ProviderError(f"Pivotal Tracker refused the request (HTTP {status} {code or ''}). {detail}".strip(),
                         status=status, code=code)


def _retry_after_seconds(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
        except (TypeError, ValueError):
            return None


class PivotalProvider(Provider):
    id = "pivotal"
    name = "Pivotal Tracker"
    description = "Turn the Pivotal Tracker stories people own into tasks they track time on."
    client_class = PivotalClient
    company_help_template = "integrations/providers/pivotal/company_help.html"
    personal_help_template = "integrations/providers/pivotal/personal_help.html"

    @sensitive_variables("token")
    def check_company_token(self, token):
        return self._linked_account(token)

    @sensitive_variables("token")
    def check_user_token(self, token):
        return self._linked_account(token)

    @sensitive_variables("token")
    def client(self, token, *, interactive=False):
        # Someone is waiting for a token check: answer at once rather than retry.
        return PivotalClient(token, max_attempts=1 if interactive else None)

    @sensitive_variables("token")
    def _linked_account(self, token):
        me = self.client(token, interactive=True).me()
        if not isinstance(me, dict) or "id" not in me:
            raise ProviderUnavailable("Pivotal Tracker sent an unexpected answer to /me.")
        projects = me.get("projects") or []
        return LinkedAccount(
            external_id=str(me["id"]),
            name=me.get("name", ""),
            email=me.get("email", ""),
            username=me.get("username", ""),
            project_names=sorted(p.get("project_name", "") for p in projects if isinstance(p, dict)),
        )

    def list_projects(self, client):
        try:
            return [RemoteProject(str(project["id"]), project.get("name", ""), project.get("version"))
                    for project in _records(client.get("/projects").data)]
        except KeyError as error:
            raise ProviderUnavailable("Pivotal Tracker sent a project of an unexpected shape.") from error

    def fetch_tasks(self, client, project_external_id, *, updated_after=None):
        page_size = settings.PIVOTAL_PAGE_SIZE
        params = {"limit": page_size, "offset": 0}
        if updated_after is not None:
            params["updated_after"] = updated_after.strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            response = client.get(f"/projects/{project_external_id}/stories", params=params)
            stories = _records(response.data)
            total = _int_header(response.headers, "X-Tracker-Pagination-Total", default=len(stories))
            # Any edit, delete, move or re-prioritising bumps the project version: pages served at
            # different versions may have shifted under the offsets.
            snapshot = (response.headers.get("X-Tracker-Project-Version"), total)
            tasks, skipped = [], []
            for story in stories:
                try:
                    tasks.append(story_to_task(story))
                except ProviderUnavailable as error:
                    skipped.append(SkippedItem(str(story.get("id", "?"))[:64], error.message))
            yield TaskPage(tasks, total, params["offset"], snapshot, tuple(skipped))
            params["offset"] += page_size
            if not stories or params["offset"] >= total:
                return

    def fetch_removals(self, client, project_external_id, *, since_version):
        removals, offset = {}, 0
        while True:
            items = _records(client.get(f"/projects/{project_external_id}/activity",
                                        params={"since_version": since_version, "limit": ACTIVITY_PAGE_SIZE,
                                                "offset": offset}).data)
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

    def locate_task(self, client, external_id):
        try:
            return story_to_task(client.get(f"/stories/{external_id}").data)
        except NotFound:
            return None

    def parse_activity(self, payload):
        if not isinstance(payload, dict) or not str(payload.get("kind", "")).endswith("_activity"):
            raise ValueError("The body is not a Pivotal Tracker activity.")
        people, stories = set(), set()
        performer = payload.get("performed_by") or {}
        if isinstance(performer, dict) and performer.get("id") is not None:
            people.add(_activity_id(performer["id"]))
        for change in _activity_list(payload.get("changes")):
            if not isinstance(change, dict) or change.get("kind") != "story":
                continue
            stories.add(_activity_id(change.get("id")))
            for values in (change.get("original_values"), change.get("new_values")):
                if isinstance(values, dict):
                    people.update(_activity_id(owner) for owner in _activity_list(values.get("owner_ids")))
                    if values.get("owned_by_id") is not None:
                        people.add(_activity_id(values["owned_by_id"]))
        for resource in _activity_list(payload.get("primary_resources")):
            if isinstance(resource, dict) and resource.get("kind") == "story":
                stories.add(_activity_id(resource.get("id")))
        return ActivityRefs(frozenset(people), frozenset(stories))


def _activity_list(value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("The activity has a list field that is not a list.")
    return value


def _activity_id(value):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("The activity has an id that is not a number.")
    return str(value)


def _records(data):
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ProviderUnavailable("Pivotal Tracker sent an answer of an unexpected shape.")
    return data


def _int_header(headers, name, *, default):
    try:
        return int(headers.get(name, default))
    except (TypeError, ValueError):
        return default


def _parse_time(value):
    if not value:
        return None
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _text(value):
    if not isinstance(value, str):
        raise TypeError("a text field is not text")
    return value


def _estimate(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("the estimate is not a number")
    return float(value)


def story_to_task(story):
    try:
        return RemoteTask(
            external_id=str(story["id"]),
            project_external_id=str(story["project_id"]),
            title=_text(story.get("name", "")),
            url=_text(story.get("url", "")),
            story_type=_text(story.get("story_type", "")),
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
