"""Fault injection: each kind fires as asked, N times, then the emulator behaves again."""

import time

import pytest
import requests

from .helpers import PROJECTS

STORIES = f"/projects/{PROJECTS['web']}/stories"


def test_a_rate_limit_fault_answers_429_with_retry_after(tracker, control):
    control.fault(kind="429", retry_after=7)

    limited = tracker.get("/me")

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert limited.json()["kind"] == "error"
    assert tracker.get("/me").status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_status_fault_answers_a_tracker_style_error_count_times_then_stops(tracker, control, status):
    control.fault(kind="status", status=status, count=2)

    answers = [tracker.get("/me") for _ in range(3)]

    assert [a.status_code for a in answers] == [status, status, 200]
    assert set(answers[0].json()) == {"code", "kind", "error"}
    assert answers[0].json()["kind"] == "error"


def test_a_fault_only_fires_on_the_path_it_names(tracker, control):
    control.fault(kind="status", status=503, path="/projects/*/stories")

    assert tracker.get("/me").status_code == 200
    assert tracker.get(f"/projects/{PROJECTS['web']}").status_code == 200
    assert tracker.get(STORIES).status_code == 503
    assert tracker.get(STORIES).status_code == 200


def test_a_fault_can_be_limited_to_a_method(tracker, control):
    control.fault(kind="status", status=500, method="POST")

    assert tracker.get("/me").status_code == 200
    assert tracker.send("POST", "/aggregator", json=["/services/v5/me"]).status_code == 500


def test_a_delay_fault_makes_a_client_time_out_then_answers_fast_again(tracker, control):
    control.fault(kind="delay", seconds=0.6)

    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{tracker.base_url}/me", headers={"X-TrackerToken": "x"}, timeout=0.2)
    started = time.monotonic()
    assert tracker.get("/me").status_code == 200
    assert time.monotonic() - started < 0.5


def test_a_delay_fault_still_answers_normally_when_the_client_waits(tracker, control):
    control.fault(kind="delay", seconds=0.2)

    started = time.monotonic()
    response = tracker.get("/me", as_="maya")

    assert time.monotonic() - started >= 0.2
    assert response.json()["email"] == "manager@acme.example"


def test_a_malformed_fault_answers_200_with_a_body_that_is_not_json(tracker, control):
    control.fault(kind="malformed")

    response = tracker.get(STORIES)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()
    assert isinstance(tracker.get(STORIES).json(), list)


def test_a_drop_fault_closes_the_connection_without_an_answer(tracker, control):
    control.fault(kind="drop")

    with pytest.raises(requests.exceptions.ConnectionError):
        tracker.get("/me")
    assert tracker.get("/me").status_code == 200


def test_faults_queue_in_order_and_can_be_cleared(tracker, control):
    control.fault(kind="status", status=502)
    control.fault(kind="429", count=5)

    assert tracker.get("/me").status_code == 502
    assert tracker.get("/me").status_code == 429
    assert control.get("/faults").json()["faults"][0]["remaining"] == 4
    assert control.delete("/faults").json() == {"cleared": 1}
    assert tracker.get("/me").status_code == 200


def test_fired_faults_are_marked_in_the_request_log(tracker, control):
    control.fault(kind="status", status=503)
    tracker.get("/me")

    assert control.requests_log()[-1] | {"at": None} == {
        "at": None,
        "method": "GET",
        "path": "/services/v5/me",
        "query": {},
        "status": 503,
        "fault": "status",
    }


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "explode"},
        {"kind": "status", "status": 200},
        {"kind": "delay", "seconds": -1},
        {"kind": "status", "count": 0},
        {"kind": "drop", "retry_after": 3},
        {"status": 500},
    ],
)
def test_a_fault_rule_that_makes_no_sense_is_refused(control, rule):
    response = control.post("/faults", rule)

    assert response.status_code == 400
    assert response.json()["error"]
    assert control.get("/faults").json()["faults"] == []
