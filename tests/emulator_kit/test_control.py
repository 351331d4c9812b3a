"""The control endpoints every emulator has: state, request log, faults, reset, clock, errors."""

from __future__ import annotations

import requests

HTTP_TIMEOUT = 5


def test_the_index_lists_the_endpoints_of_the_emulators_own_docstring(control):
    assert control.get("").json() == {
        "endpoints": [
            "GET    /__emulator__/state",
            'POST   /__emulator__/notes          {"text"}',
            "GET    /__emulator__/notes/{number}",
        ]
    }


def test_the_state_adds_the_fault_rules_and_the_request_count_to_the_summary(notes, control):
    requests.get(notes.root_url + "/api/notes", params={"token": "secret"}, timeout=HTTP_TIMEOUT)
    control.fault(kind="status", status=503, path="/notes")

    state = control.get("/state").json()

    assert state["notes"] == ["first"]
    assert state["now"].endswith("Z")
    assert state["request_count"] == 1
    assert [(rule["kind"], rule["status"], rule["remaining"]) for rule in state["faults"]] == [("status", 503, 1)]


def test_the_request_log_never_shows_tokens_and_can_be_cleared(notes, control):
    requests.get(notes.root_url + "/api/notes", params={"token": "secret", "page": "2"}, timeout=HTTP_TIMEOUT)

    (entry,) = control.requests_log()
    assert (entry["path"], entry["query"], entry["status"]) == ("/api/notes", {"page": "2"}, 200)
    assert control.delete("/requests").status_code == 204
    assert control.requests_log() == []


def test_an_injected_fault_fires_then_the_api_answers_again(notes, control):
    rule = control.fault(kind="status", status=502, path="/notes")

    answers = [requests.get(notes.root_url + "/api/notes", timeout=HTTP_TIMEOUT).status_code for _ in range(2)]

    assert rule["path"] == "/notes"
    assert answers == [502, 200]
    assert control.requests_log()[0]["fault"] == "status"


def test_faults_take_only_the_options_of_the_emulators_kinds(control):
    unknown = control.post("/faults", {"kind": "status", "colour": "red"})
    missing = control.post("/faults", {"status": 500})
    wrong = control.post("/faults", {"kind": "drop", "status": 500})

    assert (unknown.status_code, unknown.json()) == (400, {"error": "unknown fields: colour"})
    assert (missing.status_code, missing.json()) == (400, {"error": "kind is required"})
    assert (wrong.status_code, wrong.json()) == (400, {"error": "status does not apply to drop faults"})
    control.fault(kind="drop")
    assert control.delete("/faults").json() == {"cleared": 1}
    assert control.get("/faults").json() == {"faults": []}


def test_a_reset_goes_back_to_the_demo_or_to_nothing_and_forgets_faults_and_requests(notes, control):
    control.post("/notes", {"text": "mine"})
    control.fault(kind="drop", path="/never")
    requests.get(notes.root_url + "/api/other", timeout=HTTP_TIMEOUT)

    demo = control.post("/reset").json()
    empty = control.post("/reset", {"dataset": "empty"}).json()

    assert (demo["notes"], demo["faults"], demo["request_count"]) == (["from the demo"], [], 0)
    assert empty["notes"] == []
    assert notes.state.notes == []  # the server's state object took the new data in place
    assert control.post("/reset", {"dataset": "other"}).json() == {"error": "dataset must be demo or empty"}


def test_the_clock_can_be_frozen_advanced_and_released(control):
    assert control.post("/clock", {"set": "2031-02-03T04:05:06+01:00"}).json() == {
        "now": "2031-02-03T03:05:06Z",
        "frozen": True,
    }
    assert control.post("/clock", {"advance_seconds": 60}).json()["now"] == "2031-02-03T03:06:06Z"
    assert control.post("/clock", {"advance_seconds": "60"}).status_code == 400
    assert control.post("/clock", {"set": "soon"}).status_code == 400
    assert control.post("/clock", {"real": True}).json()["frozen"] is False


def test_errors_are_json_with_a_real_status(notes, control):
    answers = {
        "unknown path": control.get("/nothing-here"),
        "wrong method": control.delete("/state"),
        "not json": requests.post(control.url + "/notes", data="{nope", timeout=HTTP_TIMEOUT),
        "not an object": control.post("/notes", ["text"]),
        "missing field": control.post("/notes", {}),
        "no such note": control.get("/notes/9"),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "unknown path": 404,
        "wrong method": 405,
        "not json": 400,
        "not an object": 400,
        "missing field": 400,
        "no such note": 404,
    }
    assert answers["missing field"].json() == {"error": "missing fields: text"}
    assert answers["no such note"].json() == {"error": "no note 9"}
    assert control.get("/notes/1").json() == {"number": 1, "text": "first"}  # path groups converted to int
