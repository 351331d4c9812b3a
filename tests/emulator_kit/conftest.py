"""A tiny emulator built from the kit alone (a list of notes), served on a free port.

Nothing here touches Django. Without pytest-django, also skip the project-level conftest:
`python -m pytest tests/emulator_kit -p no:django --confcutdir=tests/emulator_kit`.
"""

from __future__ import annotations

import pytest

from integrations.providers.emulator_kit.control import CONTROL_PREFIX, ControlEndpoints, only_fields, require_fields
from integrations.providers.emulator_kit.faults import DropConnection, FaultInjector
from integrations.providers.emulator_kit.request_log import RequestLog
from integrations.providers.emulator_kit.server import BackgroundWSGIServer
from integrations.providers.emulator_kit.state import LockedState, locked
from integrations.providers.emulator_kit.web import Request, is_under, json_response
from tests.emulator_kit.control_client import ControlClient


class NotesState(LockedState):
    def __init__(self, clock=None, notes=()):
        super().__init__(clock)
        self.notes = list(notes)

    @locked
    def summary(self) -> dict:
        return {"now": self.now(), "notes": list(self.notes)}


class NotesControl(ControlEndpoints):
    endpoints_doc = """Notes control endpoints.

        GET    /__emulator__/state
        POST   /__emulator__/notes          {"text"}
        GET    /__emulator__/notes/{number}
    """

    def __init__(self, app, reset_factory=None):
        super().__init__(app, reset_factory, convert=int)
        self.router.add("POST", r"/notes", self.add_note)
        self.router.add("GET", r"/notes/(?P<number>\d+)", self.get_note)

    def empty_state(self) -> NotesState:
        return NotesState()

    def demo_state_factory(self):
        return lambda: NotesState(notes=["from the demo"])

    def add_note(self, body) -> object:
        require_fields(body, "text")
        self.state.notes.append(only_fields(body, {"text"})["text"])
        return json_response({"number": len(self.state.notes)}, 201)

    def get_note(self, body, number: int) -> object:
        if not 1 <= number <= len(self.state.notes):
            raise LookupError(f"no note {number}")
        return json_response({"number": number, "text": self.state.notes[number - 1]})


class NotesFaults(FaultInjector):
    api_prefix = "/api"  # the kit's kinds: status, delay, malformed, drop


class NotesApp:
    """`GET /api/notes` and the control endpoints; faults as the kit defines them."""

    def __init__(self, state: NotesState, reset_factory=None):
        self.state = state
        self.faults = NotesFaults()
        self.request_log = RequestLog()
        self.control = NotesControl(self, reset_factory)

    def __call__(self, environ, start_response):
        request = Request.from_environ(environ)
        if is_under(request.path, CONTROL_PREFIX):
            return self.control.handle(request).send(start_response)
        fault = self.faults.take(request.method, request.path)
        if fault is not None and fault.kind == "drop":
            raise DropConnection()
        if fault is None or fault.kind == "delay":
            response = json_response({"notes": self.state.notes})
        else:
            response = json_response({"error": "injected"}, fault.status or 200)
        self.request_log.record(
            request.method, request.path, request.query, response.status, fault=fault.kind if fault else None
        )
        return response.send(start_response)


class NotesServer(BackgroundWSGIServer):
    thread_name = "notes-emulator"

    def __init__(self, state: NotesState | None = None, host: str = "127.0.0.1", port: int = 0):
        self.state = state if state is not None else NotesState(notes=["first"])
        super().__init__(NotesApp(self.state), host, port)


@pytest.fixture
def notes():
    with NotesServer() as server:
        yield server


@pytest.fixture
def control(notes) -> ControlClient:
    return ControlClient(notes)
