"""/me, /projects and memberships: who sees which project."""

from .helpers import IDS, PROJECTS

UNAUTHORIZED_OPERATION = {"code": "unauthorized_operation", "kind": "error", "error": "Authorization failure."}


def test_me_describes_the_token_owner_and_their_memberships(tracker):
    me = tracker.get("/me", as_="ana").json()

    assert me["kind"] == "me"
    assert (me["id"], me["name"], me["initials"], me["username"], me["email"]) == (
        IDS["ana"],
        "Ana Ruiz",
        "AR",
        "ana",
        "ana@acme.example",
    )
    assert me["time_zone"]["kind"] == "time_zone"
    assert me["time_zone"]["olson_name"] == "Europe/Madrid"
    assert me["time_zone"]["offset"] in ("+01:00", "+02:00")
    assert me["created_at"].endswith("Z")
    summaries = {p["project_name"]: p for p in me["projects"]}
    assert sorted(summaries) == ["Billing API", "Web App"]
    web = summaries["Web App"]
    assert web["kind"] == "membership_summary"
    assert web["project_id"] == PROJECTS["web"]
    assert web["role"] == "member"
    assert {"id", "project_color", "favorite", "last_viewed_at"} <= set(web)


def test_me_returns_the_api_token_like_tracker(tracker):
    me = tracker.get("/me", as_="sam").json()

    assert me["email"] == "sam@elsewhere.example"
    assert len(me["api_token"]) == 32


def test_projects_lists_only_the_callers_projects(tracker):
    names = [p["name"] for p in tracker.get("/projects", as_="chloe").json()]

    assert names == ["Mobile", "Billing API"]


def test_projects_is_not_paginated(tracker):
    response = tracker.get("/projects", as_="olivia")

    assert len(response.json()) == 3
    assert "X-Tracker-Pagination-Total" not in response.headers


def test_a_project_shows_its_settings_and_version(tracker):
    response = tracker.get(f"/projects/{PROJECTS['web']}", as_="ana")
    project = response.json()

    assert project["kind"] == "project"
    assert project["name"] == "Web App"
    assert project["version"] == int(response.headers["X-Tracker-Project-Version"])
    for key in (
        "iteration_length",
        "week_start_day",
        "point_scale",
        "time_zone",
        "public",
        "project_type",
        "account_id",
        "current_iteration_number",
        "start_time",
        "created_at",
        "updated_at",
    ):
        assert key in project, key
    assert project["current_iteration_number"] > 1


def test_a_project_the_caller_is_not_a_member_of_is_unauthorized(tracker):
    response = tracker.get(f"/projects/{PROJECTS['mobile']}", as_="ana")

    assert response.status_code == 403
    assert {k: response.json()[k] for k in UNAUTHORIZED_OPERATION} == UNAUTHORIZED_OPERATION


def test_a_nonexistent_project_is_unauthorized_not_missing(tracker):
    response = tracker.get("/projects/999999/stories", as_="olivia")

    assert response.status_code == 403
    assert response.json()["code"] == "unauthorized_operation"


def test_every_project_endpoint_checks_membership(tracker):
    billing = PROJECTS["billing"]
    for path in (
        "",
        "/memberships",
        "/stories",
        "/stories/bulk?ids=1",
        "/activity",
        "/search?query=x",
        "/story_transitions",
    ):
        response = tracker.get(f"/projects/{billing}{path}", as_="ben")
        assert (path, response.status_code, response.json()["code"]) == (path, 403, "unauthorized_operation")


def test_memberships_list_people_and_roles(tracker):
    memberships = tracker.get(f"/projects/{PROJECTS['billing']}/memberships", as_="chloe").json()

    roles = {m["person"]["username"]: m["role"] for m in memberships}
    assert roles == {"olivia": "owner", "adam": "member", "ana": "member", "chloe": "viewer"}
    first = memberships[0]
    assert first["kind"] == "project_membership"
    assert first["person"] == {
        "kind": "person",
        "id": IDS["olivia"],
        "name": "Olivia Owner",
        "email": "owner@acme.example",
        "initials": "OO",
        "username": "olivia",
    }
    assert "project_color" in first and "last_viewed_at" in first


def test_losing_a_membership_revokes_access_while_running(tracker, control):
    assert tracker.get(f"/projects/{PROJECTS['web']}/stories", as_="ben").status_code == 200

    assert control.delete(f"/projects/{PROJECTS['web']}/memberships/{IDS['ben']}").status_code == 204

    assert tracker.get(f"/projects/{PROJECTS['web']}/stories", as_="ben").status_code == 403
    assert PROJECTS["web"] not in [p["project_id"] for p in tracker.get("/me", as_="ben").json()["projects"]]


def test_gaining_a_membership_grants_access(tracker, control):
    added = control.post(f"/projects/{PROJECTS['mobile']}/memberships", {"person_id": IDS["ana"], "role": "viewer"})

    assert added.status_code == 201
    assert tracker.get(f"/projects/{PROJECTS['mobile']}", as_="ana").status_code == 200
