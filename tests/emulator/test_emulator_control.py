"""Control endpoints: changing data while the emulator runs, the clock, reset, the request log."""

import requests

from .helpers import HTTP_TIMEOUT, IDS, PROJECTS, TOKENS

WEB = PROJECTS["web"]


def test_a_story_created_through_control_is_served_by_the_api(tracker, control):
    created = control.post(
        "/stories",
        {
            "project_id": WEB,
            "name": "Export timesheets",
            "estimate": 2,
            "owner_ids": [IDS["ana"]],
            "labels": ["reports"],
            "current_state": "started",
        },
    )

    assert created.status_code == 201
    story = tracker.get(f"/stories/{created.json()['id']}").json()
    assert (story["name"], story["estimate"], story["owner_ids"]) == ("Export timesheets", 2, [IDS["ana"]])
    assert story["labels"][0]["name"] == "reports"
    assert tracker.get(f"/projects/{WEB}/activity", limit=1).json()[0]["kind"] == "story_create_activity"


def test_a_story_update_through_control_changes_what_the_api_returns(tracker, control):
    story = tracker.get(f"/projects/{WEB}/stories", with_state="unstarted", limit=1).json()[0]

    updated = control.patch(f"/stories/{story['id']}", {"current_state": "accepted", "description": "Done!"})

    assert updated.status_code == 200
    again = tracker.get(f"/stories/{story['id']}").json()
    assert again["current_state"] == "accepted"
    assert again["description"] == "Done!"
    assert again["accepted_at"] == again["updated_at"]


def test_invalid_control_input_is_refused_and_changes_nothing(tracker, control):
    story = tracker.get(f"/projects/{WEB}/stories", limit=1).json()[0]

    responses = [
        control.patch(f"/stories/{story['id']}", {"current_state": "done"}),
        control.patch(f"/stories/{story['id']}", {"colour": "red"}),
        control.post("/stories", {"project_id": WEB}),
        control.post("/stories", {"project_id": 1, "name": "x"}),
        control.patch("/stories/1", {"name": "x"}),
        requests.post(f"{control.url}/stories", data="{not json", timeout=HTTP_TIMEOUT),
    ]

    assert [r.status_code for r in responses] == [400, 400, 400, 404, 404, 400]
    assert all(r.json()["error"] for r in responses)
    assert tracker.get(f"/stories/{story['id']}").json() == story


def test_the_clock_can_be_frozen_and_advanced(control):
    frozen = control.post("/clock", {"set": "2031-02-03T04:05:06Z"}).json()
    later = control.post("/clock", {"advance_seconds": 60}).json()

    assert frozen == {"now": "2031-02-03T04:05:06Z", "frozen": True}
    assert later == {"now": "2031-02-03T04:06:06Z", "frozen": True}
    assert control.post("/clock", {"real": True}).json()["frozen"] is False


def test_the_state_summary_shows_counts_but_no_tokens(control):
    summary = control.get("/state").json()

    assert summary["story_count"] == 60
    assert [p["name"] for p in summary["projects"]] == ["Web App", "Mobile", "Billing API"]
    assert summary["people"][0] == {
        "id": 101,
        "name": "Olivia Owner",
        "email": "owner@acme.example",
        "username": "olivia",
        "has_token": True,
    }
    assert not any(token in str(summary) for token in TOKENS.values())


def test_reset_brings_back_the_demo_data_and_clears_faults_and_log(tracker, control):
    story = tracker.get(f"/projects/{WEB}/stories", limit=1).json()[0]
    control.delete(f"/stories/{story['id']}")
    control.fault(kind="status", status=500, path="/nowhere")

    summary = control.post("/reset").json()

    assert summary["story_count"] == 60
    assert summary["faults"] == []
    assert summary["request_count"] == 0
    assert tracker.get(f"/stories/{story['id']}").json() == story


def test_reset_to_empty_then_build_data_through_control(tracker, control):
    control.post("/reset", {"dataset": "empty"})
    person = control.post("/people", {"name": "Zoe Quinn", "email": "zoe@example.com"}).json()
    project = control.post("/projects", {"name": "Side Project"}).json()
    control.post(f"/projects/{project['id']}/memberships", {"person_id": person["id"], "role": "owner"})

    response = tracker.get("/projects", token=person["api_token"])

    assert [p["name"] for p in response.json()] == ["Side Project"]
    assert tracker.get("/me", as_="ana").status_code == 403


def test_the_request_log_counts_api_calls_and_never_holds_a_token(tracker, control):
    control.delete("/requests")
    tracker.get(f"/projects/{WEB}/stories", limit=5)
    requests.get(f"{tracker.base_url}/me", params={"token": TOKENS["ben"], "fields": ":default"}, timeout=HTTP_TIMEOUT)
    tracker.get("/me", as_=None)

    log = control.requests_log()

    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", f"/services/v5/projects/{WEB}/stories", 200),
        ("GET", "/services/v5/me", 200),
        ("GET", "/services/v5/me", 403),
    ]
    assert log[0]["query"] == {"limit": "5"}
    assert log[1]["query"] == {"fields": ":default"}
    assert [e.get("person_id") for e in log] == [IDS["ana"], IDS["ben"], None]
    raw = control.get("/requests").text
    assert not any(token in raw for token in TOKENS.values())


def test_control_calls_are_not_in_the_request_log(control):
    control.delete("/requests")
    control.get("/state")
    control.post("/clock", {"advance_seconds": 1})

    assert control.requests_log() == []


def test_unknown_control_paths_say_so(control):
    assert control.get("/nope").status_code == 404
    assert control.delete("/state").status_code == 405
