"""The control endpoints under `/__emulator__/`: inspect, change data, reset, move the clock."""

from datetime import timedelta

import pytest
import requests

from integrations.providers.github.emulator import DEMO_NOW

from .helpers import MOBILE, WEB

ISSUES = f"/repos/{WEB}/issues"


def test_the_index_lists_the_control_endpoints(control):
    endpoints = control.get("").json()["endpoints"]

    assert "POST   /__emulator__/faults" in " ".join(endpoints)
    assert any(line.startswith("PATCH") and "/issues/{n}" in line for line in endpoints)


def test_state_summarises_users_repos_and_counts(control):
    state = control.get("/state").json()

    assert [user["login"] for user in state["users"]] == ["olivia", "adam", "maya", "ana", "ben", "chloe", "sam"]
    assert {repo["full_name"]: repo["issue_count"] for repo in state["repos"]} == {
        WEB: 15,
        MOBILE: 14,
        "acme-corp/billing-api": 10,
    }
    assert (state["transferred_count"], state["deleted_count"]) == (1, 1)
    assert "token" not in str(state["users"]).replace("has_token", "")


def test_the_request_log_keeps_calls_but_never_tokens_and_never_control_calls(api, control):
    api.get(ISSUES, "ana", state="closed")
    api.get("/user", headers={"Authorization": "token ghp_secretsecretsecret"})
    control.get("/state")

    log = control.requests_log()

    assert [(entry["path"], entry["status"], entry.get("login")) for entry in log] == [
        (ISSUES, 200, "ana"),
        ("/user", 401, None),
    ]
    assert log[0]["query"] == {"state": "closed"}
    assert "ghp_" not in str(log)
    assert control.delete("/requests").status_code == 204
    assert control.requests_log() == []


def test_an_issue_created_and_changed_through_control_bumps_updated_at_from_the_clock(github, api, control):
    control.post("/clock", {"set": "2025-04-25T16:00:00Z"})
    created = control.post(f"/repos/{WEB}/issues", {"title": "Export to PDF", "user": "ana", "labels": ["ux"]}).json()
    control.post("/clock", {"advance_seconds": 60})

    changed = control.patch(
        f"/repos/{WEB}/issues/{created['number']}",
        {
            "title": "Export to PDF and CSV",
            "body": "Both formats.",
            "labels": ["ux", "backend"],
            "assignees": ["ben"],
        },
    ).json()

    assert created["created_at"] == created["updated_at"] == "2025-04-25T16:00:00Z"
    assert changed["updated_at"] == "2025-04-25T16:01:00Z"
    assert [label["name"] for label in changed["labels"]] == ["ux", "backend"]
    assert api.get(f"{ISSUES}/{created['number']}").json()["assignees"][0]["login"] == "ben"


def test_closing_and_reopening_set_state_reason_and_closed_at(control):
    control.post("/clock", {"set": "2025-04-25T16:00:00Z"})

    closed = control.patch(
        f"/repos/{WEB}/issues/6", {"state": "closed", "state_reason": "not_planned", "sender": "maya"}
    ).json()
    reopened = control.patch(f"/repos/{WEB}/issues/6", {"state": "open"}).json()

    assert (closed["state"], closed["state_reason"], closed["closed_at"]) == (
        "closed",
        "not_planned",
        "2025-04-25T16:00:00Z",
    )
    assert closed["closed_by"]["login"] == "maya"
    assert (reopened["state"], reopened["state_reason"], reopened["closed_at"]) == ("open", "reopened", None)


@pytest.mark.parametrize(
    "change",
    [
        {"state": "done"},
        {"state_reason": "bored"},
        {"colour": "red"},
        {"assignees": "ana"},
        {"labels": [""]},
        {"title": None},
        {"comments": -1},
    ],
)
def test_an_issue_change_that_makes_no_sense_is_refused_with_400(control, change):
    response = control.patch(f"/repos/{WEB}/issues/6", change)

    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_names_answer_404_and_bodies_that_are_not_json_400(control):
    assert control.patch(f"/repos/{WEB}/issues/999", {"title": "x"}).status_code == 404
    assert control.patch("/repos/acme-corp/nope/issues/1", {"title": "x"}).status_code == 404
    assert control.patch(f"/repos/{WEB}/issues/6", {"assignees": ["nobody"]}).status_code == 404
    assert control.post("/nowhere").status_code == 404
    assert control.get("/faults/1").status_code == 404
    assert control.put("/state").status_code == 405
    assert requests.post(control.url + "/users", data=b"{nope", timeout=5).status_code == 400


def test_a_deletion_through_control_leaves_410_behind(api, control):
    assert control.delete(f"/repos/{WEB}/issues/6", {"sender": "olivia"}).status_code == 204

    assert api.get(f"{ISSUES}/6").status_code == 410


def test_a_pull_request_created_through_control_is_listed_as_one(api, control):
    pull = control.post(
        f"/repos/{MOBILE}/pulls", {"title": "Widget v2", "user": "ben", "assignees": ["ben"], "draft": True}
    ).json()

    listed = next(i for i in api.get(f"/repos/{MOBILE}/issues").json() if i["number"] == pull["number"])
    assert listed["draft"] is True and "pull_request" in listed


def test_a_new_user_org_repo_and_collaborator_show_in_the_api(api, control):
    user = control.post("/users", {"login": "dora", "name": "Dora New", "email": "dora@acme.example"}).json()
    control.post("/orgs", {"login": "globex", "members": {"olivia": "admin"}})
    control.post("/repos", {"full_name": "globex/portal", "description": "Partner portal"})
    control.put("/repos/globex/portal/collaborators/dora", {"permission": "push"})
    control.post("/repos/globex/portal/issues", {"title": "Welcome page", "assignees": ["dora"]})

    assert api.get("/user", token=user["token"]).json()["login"] == "dora"
    assert [repo["full_name"] for repo in api.get("/user/repos", token=user["token"]).json()] == ["globex/portal"]
    assert api.get("/repos/globex/portal/issues", token=user["token"]).json()[0]["assignee"]["login"] == "dora"
    assert api.get("/user/orgs", token=user["token"]).json() == []
    assert [org["login"] for org in api.get("/user/orgs").json()] == ["acme-corp", "globex"]


def test_org_membership_can_change(api, control):
    assert control.put("/orgs/acme-corp/members/sam", {"role": "admin"}).json()["role"] == "admin"
    assert len(api.get("/user/repos", "sam").json()) == 3

    assert control.delete("/orgs/acme-corp/members/sam").status_code == 204
    assert [repo["name"] for repo in api.get("/user/repos", "sam").json()] == ["mobile-app"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users", {"login": "-bad-"}),
        ("/users", {"login": "olivia"}),
        ("/repos", {"full_name": "acme-corp/web-app"}),
        ("/repos", {"full_name": "acme-corp/bad name"}),
        ("/orgs", {"login": "x", "members": {"olivia": "boss"}}),
    ],
)
def test_people_and_repositories_that_make_no_sense_are_refused(control, path, body):
    assert control.post(path, body).status_code == 400


def test_reset_goes_back_to_the_demo_and_clears_faults_and_the_log(api, control):
    control.delete(f"/repos/{WEB}/issues/6")
    control.fault(kind="status", status=500, count=10)
    api.get("/user", undeclared=True)

    state = control.post("/reset").json()

    assert state["faults"] == [] and state["request_count"] == 0
    assert api.get(f"{ISSUES}/6").status_code == 200


def test_reset_can_empty_everything(api, control):
    assert control.post("/reset", {"dataset": "empty"}).json()["users"] == []
    assert api.get("/user").status_code == 401


def test_the_clock_can_be_set_advanced_and_made_real_again(control):
    assert control.post("/clock", {"set": "2025-04-25T16:00:00Z"}).json() == {
        "now": "2025-04-25T16:00:00Z",
        "frozen": True,
    }
    assert control.post("/clock", {"advance_seconds": 3600}).json()["now"] == "2025-04-25T17:00:00Z"
    assert control.post("/clock", {"real": True}).json()["frozen"] is False
    assert control.post("/clock", {"set": "tomorrow"}).status_code == 400


def test_the_rate_limit_can_be_set_for_everyone_or_for_one_user(api, control):
    assert control.post("/rate_limit", {"limit": 100}).json()["limit"] == 100
    assert api.get("/user", "ana").headers["X-RateLimit-Limit"] == "100"
    budget = control.post("/rate_limit", {"login": "ana", "remaining": 7, "reset_in": 60}).json()["budget"]
    assert (budget["remaining"], budget["limit"]) == (7, 100)
    assert control.post("/rate_limit", {"remaining": 7}).status_code == 400


def test_the_state_methods_change_what_the_api_answers(github, api):
    github.state.clock.set(DEMO_NOW)
    issue = github.state.create_issue(WEB, "Made in Python", user="adam", assignees=["ana"])
    github.state.clock.advance(timedelta(minutes=5).total_seconds())
    github.state.update_issue(WEB, issue.number, state="closed", sender="adam")

    item = api.get(f"{ISSUES}/{issue.number}").json()

    assert (item["state"], item["closed_by"]["login"], item["updated_at"]) == ("closed", "adam", "2025-04-25T16:05:00Z")
