"""The WSGI application: Pivotal Tracker's REST API v5 under `/services/v5`, plus the control
endpoints under `/__emulator__/` (see `control.py`).

Behaviour follows the fact sheet (shared/pivotal-tracker-api-v5.md): `X-TrackerToken` or
`?token=` auth, Tracker's error bodies and status codes, omitted null attributes, pagination
headers and `envelope=true`, `date_format=millis`, `X-Tracker-Project-Version` on project-scoped
calls and `X-Tracker-Client-Pinger-Interval: 20` on every API answer.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from integrations.providers.emulator_kit.control import CONTROL_PREFIX
from integrations.providers.emulator_kit.web import Request, Response, Router, is_under

from . import errors, rendering
from .control import ControlEndpoints
from .errors import ApiError, invalid_parameter
from .faults import API_PREFIX, DropConnection, FaultInjector, FaultRule
from .fields import parse_fields, select_fields
from .models import STORY_STATES, STORY_TYPES, Person, Project, Story
from .params import get_bool, get_date_format, get_id_list, get_int, get_time
from .rendering import json_response
from .request_log import RequestLog
from .search import QuerySyntaxError, StoryQuery
from .state import EmulatorState

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_BULK_IDS = 500
PINGER_INTERVAL_SECONDS = 20
# Parameters `filter` may be combined with (fact sheet §4); `token` is authentication.
FILTER_COMPANIONS = frozenset({"filter", "limit", "offset", "date_format", "envelope", "token"})
STORY_ASSOCIATIONS_WITHOUT_DATA = ("tasks", "comments", "blockers", "reviews", "pull_requests")
MALFORMED_BODY = b'{"kind":"story","id":187654001,"name":"Trunca'


@dataclass
class Call:
    """One authenticated API call: who asks, with which parameters, in which date format."""

    app: EmulatorApp
    request: Request
    person: Person
    date_format: str
    fields: list | None = None

    @property
    def state(self) -> EmulatorState:
        return self.app.state

    @property
    def params(self) -> dict:
        return self.request.params

    def readable_project(self, project_id: int) -> Project:
        """Nonexistent and invisible projects look the same: 403 unauthorized_operation."""
        if not self.state.can_read_project(self.person.id, project_id):
            raise errors.unauthorized_operation()
        return self.state.project(project_id)

    def owned_project(self, project_id: int) -> Project:
        project = self.readable_project(project_id)
        membership = self.state.membership(self.person.id, project_id)
        if membership is None or membership.role != "owner":
            raise errors.unauthorized_operation()
        return project

    def paginate(self, items: list) -> tuple[list, dict]:
        limit = get_int(self.params, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
        offset = get_int(self.params, "offset", 0)
        page = items[offset : offset + limit]
        return page, {"total": len(items), "limit": limit, "offset": offset, "returned": len(page)}

    def story_out(self, story: Story) -> dict:
        state = self.state
        associations = {
            "owners": lambda: [rendering.person_json(state.person(i)) for i in story.owner_ids],
            "requested_by": lambda: _person_or_none(state, story.requested_by_id),
            "owned_by": lambda: _person_or_none(state, story.owner_ids[0] if story.owner_ids else None),
            "transitions": lambda: [rendering.transition_json(t) for t in state.transitions_of_story(story.id)],
            "project": lambda: {"kind": "project", "id": story.project_id},
            **{name: list for name in STORY_ASSOCIATIONS_WITHOUT_DATA},
        }
        return select_fields(rendering.story_json(state, story), self.fields, associations)

    def respond(self, body, *, project: Project | None = None, pagination: dict | None = None) -> Response:
        headers = []
        if project is not None:
            headers.append(("X-Tracker-Project-Version", str(project.version)))
        if pagination is not None:
            headers += [(f"X-Tracker-Pagination-{key.title()}", str(value)) for key, value in pagination.items()]
        if get_bool(self.params, "envelope"):
            body = {"data": body} if pagination is None else {"data": body, "pagination": pagination}
        return json_response(body, date_format=self.date_format, headers=headers)


class EmulatorApp:
    """WSGI callable. `reset_factory` builds the state `POST /__emulator__/reset` goes back to."""

    def __init__(
        self,
        state: EmulatorState,
        faults: FaultInjector | None = None,
        request_log: RequestLog | None = None,
        reset_factory=None,
    ):
        self.state = state
        self.faults = faults or FaultInjector()
        self.request_log = request_log or RequestLog()
        self.control = ControlEndpoints(self, reset_factory)
        # Test hooks: callables run after each API request is answered (and before the next one is
        # read), with (method, path, params, status). Tests use them to change data between pages.
        self.after_request: list = []
        self.router = Router(int)  # every Tracker id is a number
        route = self.router.add
        route("GET", r"/me", self.get_me)
        route("GET", r"/projects", self.list_projects)
        route("GET", r"/projects/(?P<project_id>\d+)", self.get_project)
        route("GET", r"/projects/(?P<project_id>\d+)/memberships", self.list_memberships)
        route("GET", r"/projects/(?P<project_id>\d+)/stories", self.list_stories)
        route("GET", r"/projects/(?P<project_id>\d+)/stories/bulk", self.bulk_stories)
        route("GET", r"/projects/(?P<project_id>\d+)/stories/(?P<story_id>\d+)", self.get_project_story)
        route("GET", r"/stories/(?P<story_id>\d+)", self.get_story)
        route("GET", r"/stories/(?P<story_id>\d+)/transitions", self.story_transitions)
        route("GET", r"/projects/(?P<project_id>\d+)/story_transitions", self.project_transitions)
        route("GET", r"/projects/(?P<project_id>\d+)/search", self.search)
        route("GET", r"/projects/(?P<project_id>\d+)/activity", self.project_activity)
        route("GET", r"/my/activity", self.my_activity)
        route("GET", r"/projects/(?P<project_id>\d+)/webhooks", self.list_webhooks)
        route("POST", r"/projects/(?P<project_id>\d+)/webhooks", self.create_webhook)
        route("GET", r"/projects/(?P<project_id>\d+)/webhooks/(?P<webhook_id>\d+)", self.get_webhook)
        route("PUT", r"/projects/(?P<project_id>\d+)/webhooks/(?P<webhook_id>\d+)", self.update_webhook)
        route("DELETE", r"/projects/(?P<project_id>\d+)/webhooks/(?P<webhook_id>\d+)", self.delete_webhook)
        route("POST", r"/aggregator", self.aggregate)
        route(
            "GET",
            r"/project_stale_commands/(?P<project_id>\d+)/(?P<version>\d+)",
            self.stale_commands,
        )

    # WSGI entry point ----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request.from_environ(environ)
        if is_under(request.path, CONTROL_PREFIX):
            return self.control.handle(request).send(start_response)
        if request.path == "/":
            return self.control.index().send(start_response)
        response, person_id, fault = self._answer_with_faults(request)
        self.request_log.record(
            request.method,
            request.path,
            request.params,
            response.status,
            person_id=person_id,
            fault=fault.kind if fault else None,
        )
        for hook in list(self.after_request):
            hook(request.method, request.path, request.params, response.status)
        return response.send(start_response)

    def _answer_with_faults(self, request: Request) -> tuple[Response, int | None, FaultRule | None]:
        fault = self.faults.take(request.method, request.path)
        if fault is None or fault.kind == "delay":
            if fault is not None:
                time.sleep(fault.seconds)
            response, person_id = self.answer(request)
            return response, person_id, fault
        if fault.kind == "drop":
            self.request_log.record(request.method, request.path, request.params, None, fault="drop")
            raise DropConnection()
        if fault.kind == "malformed":
            headers = [("Content-Type", "application/json; charset=utf-8"), *_pinger()]
            return Response(200, MALFORMED_BODY, headers), None, fault
        status = 429 if fault.kind == "rate_limit" else fault.status
        response = _error_response(errors.server_error(status))
        if fault.retry_after is not None:
            response.headers.append(("Retry-After", str(fault.retry_after)))
        return response, None, fault

    def answer(self, request: Request) -> tuple[Response, int | None]:
        """Route, authenticate and run one API request; (response, caller's person id)."""
        person = None
        try:
            if not is_under(request.path, API_PREFIX):
                raise errors.route_not_found()
            path = request.path[len(API_PREFIX) :].rstrip("/") or "/"
            handler, path_args = self.router.match(request.method, path)
            if handler is None:
                raise errors.route_not_found()
            with self.state.lock:
                person = self._authenticate(request)
                call = Call(self, request, person, get_date_format(request.params))
                call.fields = parse_fields(request.params.get("fields"))
                response = handler(call, **path_args)
        except ApiError as error:
            response = _error_response(error)
        except Exception:
            logger.exception("Emulator failed on %s %s", request.method, request.path)
            response = _error_response(errors.server_error(500))
        response.headers.extend(_pinger())
        return response, person.id if person else None

    def _authenticate(self, request: Request) -> Person:
        token = request.headers.get("x-trackertoken") or request.params.get("token")
        person = self.state.person_by_token(token)
        if person is None:
            raise errors.invalid_authentication()
        return person

    # People and projects ---------------------------------------------------------------------

    def get_me(self, call: Call) -> Response:
        return call.respond(rendering.me_json(call.state, call.person))

    def list_projects(self, call: Call) -> Response:
        """Every project the caller is a member of, in one page (not paginated in Tracker)."""
        projects = [call.state.project(m.project_id) for m in call.state.memberships_of_person(call.person.id)]
        body = [
            select_fields(rendering.project_json(call.state, p), call.fields)
            for p in sorted(projects, key=lambda p: p.id)
        ]
        return call.respond(body)

    def get_project(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        body = select_fields(rendering.project_json(call.state, project), call.fields)
        return call.respond(body, project=project)

    def list_memberships(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        body = [
            select_fields(rendering.membership_json(call.state, m), call.fields)
            for m in call.state.memberships_of_project(project_id)
        ]
        return call.respond(body, project=project)

    # Stories ---------------------------------------------------------------------------------

    def list_stories(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        stories = call.state.stories_in(project_id)
        if "filter" in call.params:
            extra = sorted(set(call.params) - FILTER_COMPANIONS)
            if extra:
                raise invalid_parameter(
                    "filter", f"may only be combined with limit, offset and date_format, not {', '.join(extra)}"
                )
            query = _story_query(call, call.params["filter"], "filter")
            stories = [story for story in stories if query.matches(story)]
        else:
            stories = _filter_by_parameters(call.params, stories)
        page, pagination = call.paginate(stories)
        return call.respond([call.story_out(s) for s in page], project=project, pagination=pagination)

    def bulk_stories(self, call: Call, project_id: int) -> Response:
        """Up to 500 ids; ids that are gone, elsewhere or not numbers are skipped silently."""
        project = call.readable_project(project_id)
        ids = get_id_list(call.params, "ids")
        if len(ids) > MAX_BULK_IDS:
            raise invalid_parameter("ids", f"may list at most {MAX_BULK_IDS} stories")
        stories = []
        for story_id in dict.fromkeys(int(i) for i in ids if i.isdigit()):
            story = call.state.story(story_id)
            if story is not None and story.project_id == project_id:
                stories.append(story)
        return call.respond([call.story_out(s) for s in stories], project=project)

    def get_story(self, call: Call, story_id: int) -> Response:
        story = call.state.story(story_id)
        if story is None:
            raise errors.unfound_resource()
        project = call.readable_project(story.project_id)
        return call.respond(call.story_out(story), project=project)

    def get_project_story(self, call: Call, project_id: int, story_id: int) -> Response:
        project = call.readable_project(project_id)
        story = call.state.story(story_id)
        if story is None or story.project_id != project_id:
            raise errors.unfound_resource()
        return call.respond(call.story_out(story), project=project)

    def story_transitions(self, call: Call, story_id: int) -> Response:
        story = call.state.story(story_id)
        if story is None:
            raise errors.unfound_resource()
        project = call.readable_project(story.project_id)
        body = [rendering.transition_json(t) for t in call.state.transitions_of_story(story_id)]
        return call.respond(body, project=project)

    def project_transitions(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        transitions = _within(
            call.state.transitions_in(project_id),
            lambda t: t.occurred_at,
            get_time(call.params, "occurred_after"),
            get_time(call.params, "occurred_before"),
        )
        page, pagination = call.paginate(transitions)
        body = [rendering.transition_json(t) for t in page]
        return call.respond(body, project=project, pagination=pagination)

    def search(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        text = call.params.get("query", "")
        if not text.strip():
            raise invalid_parameter("query", "is required")
        query = _story_query(call, text, "query")
        stories = call.state.stories_in(project_id)
        hits = [s for s in stories if query.matches(s)]
        with_done = [s for s in stories if query.matches(s, include_done=True)]
        body = {
            "stories": {
                "stories": [call.story_out(s) for s in hits],
                "total_points": rendering.number(float(sum(s.estimate or 0 for s in hits))),
                "total_points_completed": rendering.number(
                    float(sum(s.estimate or 0 for s in hits if s.current_state == "accepted"))
                ),
                "total_hits": len(hits),
                "total_hits_with_done": len(with_done),
            },
            "epics": {"epics": [], "total_hits": 0},
            "query": text,
        }
        return call.respond(body, project=project)

    # Activity --------------------------------------------------------------------------------

    def project_activity(self, call: Call, project_id: int) -> Response:
        project = call.readable_project(project_id)
        items = call.state.activities_in(project_id)
        since_version = get_int(call.params, "since_version", -1)
        if since_version >= 0:
            items = [a for a in items if a.project_version > since_version]
        return self._activity_page(call, items, project)

    def my_activity(self, call: Call) -> Response:
        if "since_version" in call.params:
            raise invalid_parameter("since_version", "only applies to a project's activity")
        items = [
            a
            for a in call.state.activities_by(call.person.id)
            if call.state.can_read_project(call.person.id, a.project_id)
        ]
        return self._activity_page(call, items, None)

    def _activity_page(self, call: Call, items, project: Project | None) -> Response:
        items = _within(
            items,
            lambda a: a.occurred_at,
            get_time(call.params, "occurred_after"),
            get_time(call.params, "occurred_before"),
        )
        page, pagination = call.paginate(items)
        return call.respond([a.payload for a in page], project=project, pagination=pagination)

    def stale_commands(self, call: Call, project_id: int, version: int) -> Response:
        """Undocumented cheap poll (fact sheet §3, unconfirmed): the current version and what
        happened after `version`."""
        project = call.readable_project(project_id)
        newer = [a for a in reversed(call.state.activities_in(project_id)) if a.project_version > version]
        body = {
            "project_version": project.version,
            "stale_commands": [
                {"kind": a.kind, "project_version": a.project_version, "story_ids": list(a.story_ids)} for a in newer
            ],
        }
        return call.respond(body, project=project)

    # Webhooks (stored only; project owners manage them) ------------------------------------

    def list_webhooks(self, call: Call, project_id: int) -> Response:
        project = call.owned_project(project_id)
        body = [rendering.webhook_json(w) for w in call.state.webhooks_in(project_id)]
        return call.respond(body, project=project)

    def create_webhook(self, call: Call, project_id: int) -> Response:
        project = call.owned_project(project_id)
        values = _webhook_values(call, required=True)
        webhook = call.state.add_webhook(project_id, **values)
        return call.respond(rendering.webhook_json(webhook), project=project)

    def get_webhook(self, call: Call, project_id: int, webhook_id: int) -> Response:
        project = call.owned_project(project_id)
        return call.respond(rendering.webhook_json(_webhook(call, project_id, webhook_id)), project=project)

    def update_webhook(self, call: Call, project_id: int, webhook_id: int) -> Response:
        project = call.owned_project(project_id)
        _webhook(call, project_id, webhook_id)
        webhook = call.state.update_webhook(webhook_id, **_webhook_values(call, required=False))
        return call.respond(rendering.webhook_json(webhook), project=project)

    def delete_webhook(self, call: Call, project_id: int, webhook_id: int) -> Response:
        call.owned_project(project_id)
        _webhook(call, project_id, webhook_id)
        call.state.delete_webhook(webhook_id)
        return Response(204)

    # Aggregator ----------------------------------------------------------------------------

    def aggregate(self, call: Call) -> Response:
        """POST a JSON array of GET paths; get an object keyed by path with each answer's body."""
        try:
            urls = call.request.json()
        except ValueError:
            urls = None
        if not isinstance(urls, list) or not all(isinstance(u, str) and u.startswith("/") for u in urls):
            raise invalid_parameter("body", "must be a JSON array of GET paths")
        auth = {"x-trackertoken": call.person.api_token}
        body = {}
        for url in urls:
            sub_request = Request.for_url("GET", url, auth)
            if not sub_request.path.startswith(API_PREFIX):
                sub_request.path = API_PREFIX + sub_request.path
            response, _ = self.answer(sub_request)
            body[url] = json.loads(response.body) if response.body else None
        return call.respond(body)


# Helpers --------------------------------------------------------------------------------------


def _pinger() -> list[tuple[str, str]]:
    return [("X-Tracker-Client-Pinger-Interval", str(PINGER_INTERVAL_SECONDS))]


def _error_response(error: ApiError) -> Response:
    return json_response(error.body, error.status)


def _person_or_none(state: EmulatorState, person_id: int | None):
    person = state.person(person_id) if person_id is not None else None
    return rendering.person_json(person) if person else None


def _story_query(call: Call, text: str, parameter: str) -> StoryQuery:
    try:
        return StoryQuery(text, call.state.find_person)
    except QuerySyntaxError as problem:
        raise invalid_parameter(parameter, str(problem)) from None


def _within(items, moment, after, before):
    """Keep items strictly after `after` and strictly before `before` (either may be None)."""
    return [
        item for item in items if (after is None or moment(item) > after) and (before is None or moment(item) < before)
    ]


def _filter_by_parameters(params: dict, stories: list[Story]) -> list[Story]:
    """The plain `with_*` and date-range parameters of GET /projects/{id}/stories (ANDed)."""
    state = params.get("with_state")
    if state is not None and state not in STORY_STATES:
        raise invalid_parameter("with_state", f"must be one of {', '.join(STORY_STATES)}")
    story_type = params.get("with_story_type")
    if story_type is not None and story_type not in STORY_TYPES:
        raise invalid_parameter("with_story_type", f"must be one of {', '.join(STORY_TYPES)}")
    label = params.get("with_label")
    if state:
        stories = [s for s in stories if s.current_state == state]
    if story_type:
        stories = [s for s in stories if s.story_type == story_type]
    if label is not None:
        stories = [s for s in stories if label.lower() in (name.lower() for name in s.labels)]
    for attribute in ("updated", "created", "accepted"):
        after = get_time(params, f"{attribute}_after")
        before = get_time(params, f"{attribute}_before")
        if after or before:
            stories = [
                s
                for s in stories
                if getattr(s, f"{attribute}_at") is not None
                and (after is None or getattr(s, f"{attribute}_at") > after)
                and (before is None or getattr(s, f"{attribute}_at") < before)
            ]
    return stories


def _webhook(call: Call, project_id: int, webhook_id: int):
    webhook = call.state.webhook(webhook_id)
    if webhook is None or webhook.project_id != project_id:
        raise errors.unfound_resource()
    return webhook


def _webhook_values(call: Call, *, required: bool) -> dict:
    """webhook_url / webhook_version from a JSON body or, like Tracker, the query string."""
    try:
        body = call.request.json()
    except ValueError:
        raise invalid_parameter("body", "is not valid JSON") from None
    if body is not None and not isinstance(body, dict):
        raise invalid_parameter("body", "must be a JSON object")
    source = {**call.params, **(body or {})}
    values = {key: source[key] for key in ("webhook_url", "webhook_version") if key in source}
    url = values.get("webhook_url")
    if required and url is None:
        raise invalid_parameter("webhook_url", "is required")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise invalid_parameter("webhook_url", "must be an http(s) URL")
    if values.get("webhook_version", "v5") != "v5":
        raise invalid_parameter("webhook_version", "must be v5 (v3 webhooks were removed)")
    return values
