"""Fault injection: each kind fires as asked, `count` times, then the emulator behaves again."""

import time
from datetime import timedelta

import pytest
import requests

from integrations.providers.github.emulator import DEMO_NOW

from .helpers import WEB

ISSUES = f"/repos/{WEB}/issues"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_status_fault_answers_that_status_count_times_then_stops(api, control, status):
    control.fault(kind="status", status=status, count=2)

    answers = [api.get(ISSUES, undeclared=True) for _ in range(2)] + [api.get(ISSUES)]

    assert [answer.status_code for answer in answers] == [status, status, 200]
    assert answers[0].json()["status"] == str(status)
    assert "X-RateLimit-Remaining" in answers[0].headers


def test_a_status_fault_can_answer_a_status_the_operation_declares(api, control):
    control.fault(kind="status", status=422, path="/user/repos")

    response = api.get("/user/repos")

    assert response.status_code == 422
    assert response.json()["message"]


def test_a_secondary_rate_limit_answers_403_with_retry_after_and_githubs_message(api, control):
    control.fault(kind="secondary_rate_limit", retry_after=30)

    limited = api.get("/user")

    assert limited.status_code == 403
    assert limited.headers["Retry-After"] == "30"
    assert limited.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert limited.headers["X-RateLimit-Remaining"] != "0"
    assert api.get("/user").status_code == 200


def test_rate_limit_exhausted_answers_403_with_nothing_remaining_and_its_reset(github, api, control):
    github.state.clock.set(DEMO_NOW)
    control.fault(kind="rate_limit_exhausted", reset_in=120, path="/repos/*/*")

    limited = api.get(f"/repos/{WEB}")

    assert limited.status_code == 403
    assert limited.json()["message"].startswith("API rate limit exceeded")
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-RateLimit-Reset"] == str(int((DEMO_NOW + timedelta(seconds=120)).timestamp()))
    assert api.get(f"/repos/{WEB}").status_code == 200


def test_a_delay_fault_makes_a_client_time_out_then_answers_fast_again(api, control):
    control.fault(kind="delay", seconds=0.6)

    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{api.base_url}/user", timeout=0.2)
    started = time.monotonic()
    assert api.get("/user").status_code == 200
    assert time.monotonic() - started < 0.5


def test_a_delay_fault_still_answers_normally_when_the_client_waits(api, control):
    control.fault(kind="delay", seconds=0.2)

    started = time.monotonic()
    response = api.get("/user", "maya")

    assert time.monotonic() - started >= 0.2
    assert response.json()["login"] == "maya"


def test_a_malformed_fault_answers_200_with_a_body_that_is_not_json(api, control):
    control.fault(kind="malformed")

    response = api.raw(ISSUES)  # broken on purpose: GitHub's schema cannot apply

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()
    assert isinstance(api.get(ISSUES).json(), list)


def test_a_drop_fault_closes_the_connection_without_an_answer(api, control):
    control.fault(kind="drop")

    with pytest.raises(requests.exceptions.ConnectionError):
        api.raw("/user")
    assert api.get("/user").status_code == 200


def test_a_fault_only_fires_on_the_path_it_names_under_either_root(github, api, enterprise_api, control):
    control.fault(kind="status", status=503, path="/repos/*/*/issues", count=2)

    assert api.get("/user").status_code == 200
    assert api.get(f"{ISSUES}/1").status_code == 200
    assert api.get(ISSUES, undeclared=True).status_code == 503
    assert enterprise_api.get(ISSUES, undeclared=True).status_code == 503
    assert api.get(ISSUES).status_code == 200


def test_faults_queue_in_order_and_can_be_cleared(api, control):
    control.fault(kind="status", status=502)
    control.fault(kind="secondary_rate_limit", count=5)

    assert api.get("/user", undeclared=True).status_code == 502
    assert api.get("/user").status_code == 403
    assert control.get("/faults").json()["faults"][0]["remaining"] == 4
    assert control.delete("/faults").json() == {"cleared": 1}
    assert api.get("/user").status_code == 200


def test_faults_can_be_queued_from_python(github, api):
    github.faults.add("status", status=500, path="/user/orgs")

    assert api.get("/user/orgs", undeclared=True).status_code == 500


def test_fired_faults_are_marked_in_the_request_log(api, control):
    control.fault(kind="status", status=503)
    api.get("/user", undeclared=True)
    control.fault(kind="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        api.raw("/user")

    log = [entry | {"at": None} for entry in control.requests_log()]
    assert log == [
        {
            "at": None,
            "method": "GET",
            "path": "/user",
            "query": {},
            "status": 503,
            "login": "olivia",
            "fault": "status",
        },
        {"at": None, "method": "GET", "path": "/user", "query": {}, "status": None, "fault": "drop"},
    ]


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "explode"},
        {"kind": "status", "status": 200},
        {"kind": "delay", "seconds": -1},
        {"kind": "status", "count": 0},
        {"kind": "drop", "retry_after": 3},
        {"kind": "secondary_rate_limit", "retry_after": "soon"},
        {"kind": "rate_limit_exhausted", "status": 403},
        {"status": 500},
    ],
)
def test_a_fault_rule_that_makes_no_sense_is_refused(control, rule):
    response = control.post("/faults", rule)

    assert response.status_code == 400
    assert response.json()["error"]
    assert control.get("/faults").json()["faults"] == []
