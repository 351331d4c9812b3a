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

from integrations.providers.emulator_kit import control as kit
from integrations.providers.emulator_kit.control import CONTROL_PREFIX, only_fields, parse_times, require_fields
from integrations.providers.emulator_kit.web import Response

from . import rendering
from .faults import API_PREFIX
from .params import parse_time
from .rendering import json_response
from .state import EmulatorState

STORY_DATE_FIELDS = ("accepted_at", "deadline", "created_at", "updated_at")
PROJECT_DATE_FIELDS = ("created_at", "updated_at", "start_time")


class ControlEndpoints(kit.ControlEndpoints):
    endpoints_doc = __doc__
    parse_time = staticmethod(parse_time)

    def __init__(self, app, reset_factory=None):
        super().__init__(app, reset_factory, convert=int)  # every Tracker id is a number
        route = self.router.add
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

    def empty_state(self) -> EmulatorState:
        return EmulatorState()

    def demo_state_factory(self):
        from .demo_data import build_demo_state  # imported late: demo data imports the state

        return build_demo_state

    def index(self) -> Response:
        return json_response(
            {
                "emulator": "Pivotal Tracker REST API v5",
                "api": API_PREFIX,
                "control": CONTROL_PREFIX,
            }
        )

    # People, projects, memberships -----------------------------------------------------------

    def add_person(self, body) -> Response:
        require_fields(body, "name", "email")
        person = self.state.add_person(**only_fields(body, PERSON_FIELDS))
        return json_response(rendering.me_json(self.state, person), 201)

    def revoke_token(self, body, person_id: int) -> Response:
        self.state.revoke_token(person_id)
        return json_response({"id": person_id, "revoked": True})

    def rotate_token(self, body, person_id: int) -> Response:
        return json_response({"id": person_id, "api_token": self.state.rotate_token(person_id)})

    def add_project(self, body) -> Response:
        require_fields(body, "name")
        project = self.state.add_project(**parse_times(body, PROJECT_DATE_FIELDS, parse_time))
        return json_response(rendering.project_json(self.state, project), 201)

    def add_membership(self, body, project_id: int) -> Response:
        require_fields(body, "person_id")
        membership = self.state.add_membership(
            _int(body["person_id"], "person_id"), project_id, body.get("role", "member")
        )
        return json_response(rendering.membership_json(self.state, membership), 201)

    def remove_membership(self, body, project_id: int, person_id: int) -> Response:
        self.state.remove_membership(person_id, project_id)
        return Response(204)

    # Stories -----------------------------------------------------------------------------

    def add_story(self, body) -> Response:
        require_fields(body, "project_id", "name")
        values = _story_values(body)
        project_id = _int(values.pop("project_id"), "project_id")
        name = values.pop("name")
        story = self.state.add_story(project_id, name, **only_fields(values, STORY_CREATE_FIELDS))
        return json_response(rendering.story_json(self.state, story), 201)

    def update_story(self, body, story_id: int) -> Response:
        story = self.state.update_story(story_id, **_story_values(body))
        return json_response(rendering.story_json(self.state, story))

    def delete_story(self, body, story_id: int) -> Response:
        self.state.delete_story(story_id, **only_fields(body, {"performed_by_id"}))
        return Response(204)

    def move_story(self, body, story_id: int) -> Response:
        require_fields(body, "project_id")
        options = dict(body)
        to_project_id = _int(options.pop("project_id"), "project_id")
        story = self.state.move_story(story_id, to_project_id, **only_fields(options, {"performed_by_id"}))
        return json_response(rendering.story_json(self.state, story))


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


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValueError(f"{name} must be an integer id")
    return int(value)


def _story_values(body: dict) -> dict:
    return parse_times(body, STORY_DATE_FIELDS, parse_time)
