"""Authentication: X-TrackerToken header or ?token=, and Tracker's 403 invalid_authentication."""

import requests

from .helpers import HTTP_TIMEOUT, IDS, TOKENS

INVALID_AUTHENTICATION = {
    "code": "invalid_authentication",
    "kind": "error",
    "error": "Invalid authentication credentials were presented.",
}


def assert_invalid_authentication(response):
    assert response.status_code == 403
    body = response.json()
    assert {key: body[key] for key in INVALID_AUTHENTICATION} == INVALID_AUTHENTICATION


def test_it_rejects_a_request_without_a_token(tracker):
    assert_invalid_authentication(tracker.get("/me", as_=None))


def test_it_rejects_an_unknown_token(tracker):
    assert_invalid_authentication(tracker.get("/me", token="0" * 32))


def test_it_rejects_a_token_once_revoked(tracker, control):
    assert tracker.get("/me", as_="ben").status_code == 200

    revoked = control.post(f"/people/{IDS['ben']}/revoke_token")

    assert revoked.json() == {"id": IDS["ben"], "revoked": True}
    assert_invalid_authentication(tracker.get("/projects", as_="ben"))


def test_it_accepts_only_the_new_token_after_rotation(tracker, control):
    new_token = control.post(f"/people/{IDS['ana']}/rotate_token").json()["api_token"]

    assert_invalid_authentication(tracker.get("/me", token=TOKENS["ana"]))
    assert tracker.get("/me", token=new_token).json()["api_token"] == new_token
    assert len(new_token) == 32


def test_it_accepts_the_token_as_a_query_parameter(tracker):
    response = requests.get(f"{tracker.base_url}/me", params={"token": TOKENS["chloe"]}, timeout=HTTP_TIMEOUT)

    assert response.status_code == 200
    assert response.json()["email"] == "chloe@acme.example"


def test_it_sends_the_pinger_interval_header_on_errors_too(tracker):
    response = tracker.get("/me", as_=None)

    assert response.headers["X-Tracker-Client-Pinger-Interval"] == "20"


def test_it_answers_route_not_found_for_unknown_paths(tracker):
    response = tracker.get("/projects/2561001/nonsense")

    assert response.status_code == 404
    assert response.json() == {
        "code": "route_not_found",
        "kind": "error",
        "error": "The path you requested has no valid endpoint.",
    }


def test_it_answers_route_not_found_outside_the_api_base_path(emulator):
    response = requests.get(f"{emulator.root_url}/services/v4/me", timeout=HTTP_TIMEOUT)

    assert response.status_code == 404
    assert response.json()["code"] == "route_not_found"


def test_it_answers_route_not_found_for_a_known_path_with_another_method(tracker):
    response = tracker.send("DELETE", "/me")

    assert response.status_code == 404
    assert response.json()["code"] == "route_not_found"
