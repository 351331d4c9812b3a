"""Control endpoints under `/__emulator__/`: how tests and demos steer a running emulator.

They are JSON, need no token and are deliberately not Tracker-shaped (errors are
`{"error": "..."}`), so nobody mistakes them for the API. They are not written to the request
log, which only holds API traffic.

    GET    /__emulator__/state                         summary (no tokens)
    GET    /__emulator__/requests   DELETE  ...        request log (never tokens) / clear it
    GET    /__emulator__/faults     POST    DELETE     list / add a fault rule / clear all
    POST   /__emulator__/reset                         {"dataset": "demo" | "empty"}
    POST   /__emulator__/clock                         {"set": iso} | {"advance_seconds": n} | {"real": true}
    POST   /__emulator__/people                        {"name", "email", "username"?, ...}
    POST   /__emulator__/people/{id}/revoke_token
    POST   /__emulator__/people/{id}/rotate_token      -> {"id", "api_token"}
    POST   /__emulator__/projects                      {"name", ...}
    POST   /__emulator__/projects/{id}/memberships     {"person_id", "role"}
    DELETE /__emulator__/projects/{id}/memberships/{person_id}
    POST   /__emulator__/stories                       {"project_id", "name", ...}
    PATCH  /__emulator__/stories/{id}                  {changes..., "performed_by_id"?}
    DELETE /__emulator__/stories/{id}                  {"performed_by_id"?}
    POST   /__emulator__/stories/{id}/move             {"project_id", "performed_by_id"?}
"""

from __future__ import annotations

from . import rendering
from .faults import API_PREFIX
from .params import parse_time
from .state import EmulatorState
from .web import Request, Response, Router, json_response

CONTROL_PREFIX = "/__emulator__"
HTTP_METHODS = ("GET", "POST", "PATCH", "DELETE")
STORY_DATE_FIELDS = ("accepted_at", "deadline", "created_at", "updated_at")


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ControlEndpoints:
    def __init__(self, app, reset_factory=None):
        self.app = app
        self.reset_factory = reset_factory
        self.router = Router()
        route = self.router.add
        route("GET", r"/?", self.describe)
        route("GET", r"/state", self.get_state)
        route("GET", r"/requests", self.list_requests)
        route("DELETE", r"/requests", self.clear_requests)
        route("GET", r"/faults", self.list_faults)
        route("POST", r"/faults", self.add_fault)
        route("DELETE", r"/faults", self.clear_faults)
        route("POST", r"/reset", self.reset)
        route("POST", r"/clock", self.set_clock)
        route("POST", r"/people", self.add_person)
        route("POST", r"/people/(?P<person_id>\d+)/revoke_token", self.revoke_token)
        route("POST", r"/people/(?P<person_id>\d+)/rotate_token", self.rotate_token)
        route("POST", r"/projects", self.add_project)
        route("POST", r"/projects/(?P<project_id>\d+)/memberships", self.add_membership)
        route(
            "DELETE",
            r"/projects/(?P<project_id>\d+)/memberships/(?P<person_id>\d+)",
            self.remove_membership,
        )
        route("POST", r"/stories", self.add_story)
        route("PATCH", r"/stories/(?P<story_id>\d+)", self.update_story)
        route("DELETE", r"/stories/(?P<story_id>\d+)", self.delete_story)
        route("POST", r"/stories/(?P<story_id>\d+)/move", self.move_story)

    @property
    def state(self) -> EmulatorState:
        return self.app.state

    def handle(self, request: Request) -> Response:
        path = request.path[len(CONTROL_PREFIX) :]
        handler, path_args = self.router.match(request.method, path)
        try:
            if handler is None:
                raise ControlError(405 if path_args else 404, f"no control endpoint {request.method} {request.path}")
            body = _json_object(request)
            with self.state.lock:
                return handler(body, **path_args)
        except ControlError as error:
            return json_response({"error": str(error)}, error.status)
        except LookupError as error:
            return json_response({"error": _message(error)}, 404)
        except (ValueError, TypeError) as error:
            return json_response({"error": _message(error)}, 400)

    def index(self) -> Response:
        return json_response(
            {
                "emulator": "Pivotal Tracker REST API v5",
                "api": API_PREFIX,
                "control": CONTROL_PREFIX,
            }
        )

    # Inspection ------------------------------------------------------------------------------

    def describe(self, body) -> Response:
        lines = [line.strip() for line in __doc__.splitlines()]
        return json_response({"endpoints": [line for line in lines if line.startswith(HTTP_METHODS)]})

    def get_state(self, body) -> Response:
        summary = self.state.summary()
        summary["faults"] = [rule.as_json() for rule in self.app.faults.rules()]
        summary["request_count"] = len(self.app.request_log.entries())
        return json_response(summary)

    def list_requests(self, body) -> Response:
        return json_response({"requests": self.app.request_log.entries()})

    def clear_requests(self, body) -> Response:
        self.app.request_log.clear()
        return Response(204)

    # Faults ------------------------------------------------------------------------------

    def list_faults(self, body) -> Response:
        return json_response({"faults": [rule.as_json() for rule in self.app.faults.rules()]})

    def add_fault(self, body) -> Response:
        options = dict(body)
        if "kind" not in options:
            raise ValueError("kind is required")
        rule = self.app.faults.add(str(options.pop("kind")), **_only(options, FAULT_OPTIONS))
        return json_response(rule.as_json(), 201)

    def clear_faults(self, body) -> Response:
        return json_response({"cleared": self.app.faults.clear()})

    # Whole state and clock ---------------------------------------------------------------

    def reset(self, body) -> Response:
        """Back to the starting data; also clears faults and the request log."""
        dataset = body.get("dataset", "demo")
        if dataset == "empty":
            fresh = EmulatorState()
        elif dataset == "demo":
            fresh = self._reset_factory()()
        else:
            raise ValueError("dataset must be demo or empty")
        self.state.replace_with(fresh)
        self.app.faults.clear()
        self.app.request_log.clear()
        return self.get_state({})

    def _reset_factory(self):
        if self.reset_factory is not None:
            return self.reset_factory
        from .demo_data import build_demo_state  # imported late: demo data imports the state

        return build_demo_state

    def set_clock(self, body) -> Response:
        clock = self.state.clock
        if body.get("real"):
            clock.unfreeze()
        if "set" in body:
            clock.set(parse_time(str(body["set"])))
        if "advance_seconds" in body:
            seconds = body["advance_seconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ValueError("advance_seconds must be a number")
            clock.advance(seconds)
        return json_response({"now": clock.now(), "frozen": clock.is_frozen})

    # People, projects, memberships -----------------------------------------------------------

    def add_person(self, body) -> Response:
        _require(body, "name", "email")
        person = self.state.add_person(**_only(body, PERSON_FIELDS))
        return json_response(rendering.me_json(self.state, person), 201)

    def revoke_token(self, body, person_id: int) -> Response:
        self.state.revoke_token(person_id)
        return json_response({"id": person_id, "revoked": True})

    def rotate_token(self, body, person_id: int) -> Response:
        return json_response({"id": person_id, "api_token": self.state.rotate_token(person_id)})

    def add_project(self, body) -> Response:
        _require(body, "name")
        values = dict(body)
        for field in ("created_at", "updated_at", "start_time"):
            if field in values:
                values[field] = parse_time(str(values[field]))
        project = self.state.add_project(**values)
        return json_response(rendering.project_json(self.state, project), 201)

    def add_membership(self, body, project_id: int) -> Response:
        _require(body, "person_id")
        membership = self.state.add_membership(
            _int(body["person_id"], "person_id"), project_id, body.get("role", "member")
        )
        return json_response(rendering.membership_json(self.state, membership), 201)

    def remove_membership(self, body, project_id: int, person_id: int) -> Response:
        self.state.remove_membership(person_id, project_id)
        return Response(204)

    # Stories -----------------------------------------------------------------------------

    def add_story(self, body) -> Response:
        _require(body, "project_id", "name")
        values = _story_values(body)
        project_id = _int(values.pop("project_id"), "project_id")
        name = values.pop("name")
        story = self.state.add_story(project_id, name, **_only(values, STORY_CREATE_FIELDS))
        return json_response(rendering.story_json(self.state, story), 201)

    def update_story(self, body, story_id: int) -> Response:
        story = self.state.update_story(story_id, **_story_values(body))
        return json_response(rendering.story_json(self.state, story))

    def delete_story(self, body, story_id: int) -> Response:
        self.state.delete_story(story_id, **_only(body, {"performed_by_id"}))
        return Response(204)

    def move_story(self, body, story_id: int) -> Response:
        _require(body, "project_id")
        options = dict(body)
        to_project_id = _int(options.pop("project_id"), "project_id")
        story = self.state.move_story(story_id, to_project_id, **_only(options, {"performed_by_id"}))
        return json_response(rendering.story_json(self.state, story))


FAULT_OPTIONS = {"path", "method", "count", "status", "retry_after", "seconds"}
PERSON_FIELDS = {"name", "email", "username", "initials", "api_token", "time_zone", "id"}
STORY_CREATE_FIELDS = {
    "story_type",
    "current_state",
    "id",
    "requested_by_id",
    "owner_ids",
    "labels",
    "description",
    "estimate",
    "accepted_at",
    "deadline",
    "story_priority",
    "created_at",
    "updated_at",
    "performed_by_id",
}


def _json_object(request: Request) -> dict:
    try:
        body = request.json()
    except ValueError:
        raise ControlError(400, "the body is not valid JSON") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    return body


def _only(values: dict, allowed: set) -> dict:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    return values


def _require(body: dict, *names: str) -> None:
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValueError(f"{name} must be an integer id")
    return int(value)


def _story_values(body: dict) -> dict:
    values = dict(body)
    for field in STORY_DATE_FIELDS:
        if values.get(field) is not None:
            values[field] = parse_time(str(values[field]))
    return values


def _message(error: Exception) -> str:
    return error.args[0] if error.args else str(error)
