"""`GET /repos/{owner}/{repo}/issues`: state, assignee, since, labels, creator, sort, direction."""

from datetime import timedelta

import pytest

from integrations.providers.github.emulator import DEMO_NOW

from .helpers import WEB, numbers

ISSUES = "/repos/acme-corp/web-app/issues"


def open_numbers(github, repo=WEB):
    return [issue.number for issue in github.state.issues_in(repo) if issue.state == "open"]


def test_the_default_is_open_issues_and_pull_requests_newest_first(github, api):
    response = api.get(ISSUES)

    assert numbers(response) == sorted(open_numbers(github), reverse=True)
    assert {item["state"] for item in response.json()} == {"open"}
    assert any("pull_request" in item for item in response.json())


def test_pull_requests_carry_a_pull_request_key_and_issues_do_not(api):
    items = api.get(ISSUES, state="all").json()
    pulls = [item for item in items if "pull_request" in item]

    assert [pull["title"] for pull in pulls] == [
        "Add SameSite=Lax to the session cookie",
        "Speed up the dashboard project query",
    ]
    assert pulls[0]["pull_request"]["url"].endswith(f"/repos/{WEB}/pulls/{pulls[0]['number']}")
    assert pulls[0]["assignees"][0]["login"] == "ana"
    assert pulls[1]["pull_request"]["merged_at"] is not None
    assert all(item["html_url"].endswith(f"/issues/{item['number']}") for item in items if "pull_request" not in item)


@pytest.mark.parametrize(
    ("state", "expected"), [("open", {"open"}), ("closed", {"closed"}), ("all", {"open", "closed"})]
)
def test_state_picks_open_closed_or_all(api, state, expected):
    assert {item["state"] for item in api.get(ISSUES, state=state, per_page=100).json()} == expected


def test_closed_issues_say_when_why_and_who(api):
    closed = {item["title"]: item for item in api.get(ISSUES, state="closed").json()}

    not_planned = closed["Session cookie is missing the SameSite attribute"]
    assert (not_planned["state_reason"], not_planned["closed_by"]["login"]) == ("not_planned", "adam")
    assert closed["Password reset link never expires"]["state_reason"] == "completed"
    assert all(item["closed_at"] for item in closed.values())


def test_assignee_takes_a_login_none_or_any(api):
    def assignees(**params):
        return [[a["login"] for a in item["assignees"]] for item in api.get(ISSUES, state="all", **params).json()]

    assert assignees(assignee="ben") and all("ben" in people for people in assignees(assignee="ben"))
    assert assignees(assignee="none") and all(people == [] for people in assignees(assignee="none"))
    assert assignees(assignee="*") and all(people for people in assignees(assignee="*"))
    assert assignees(assignee="nobody-here") == []


def test_assignee_shows_the_first_of_the_assignees(api):
    dark_mode = next(i for i in api.get(ISSUES).json() if i["title"] == "Dark mode for the dashboard")

    assert [a["login"] for a in dark_mode["assignees"]] == ["ana", "ben"]
    assert dark_mode["assignee"]["login"] == "ana"


def test_since_keeps_what_was_updated_at_or_after_the_instant(github, api):
    dark_mode = next(i for i in github.state.issues_in(WEB) if i.title == "Dark mode for the dashboard")
    since = dark_mode.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    items = api.get(ISSUES, state="all", since=since).json()

    assert "Dark mode for the dashboard" in [item["title"] for item in items]
    assert all(item["updated_at"] >= since for item in items)
    later = (dark_mode.updated_at + timedelta(seconds=1)).isoformat()
    assert "Dark mode for the dashboard" not in [i["title"] for i in api.get(ISSUES, state="all", since=later).json()]


def test_since_takes_a_date_or_an_offset(api):
    everything = api.get(ISSUES, state="all", per_page=100)

    assert numbers(api.get(ISSUES, state="all", per_page=100, since="2000-01-01")) == numbers(everything)
    assert api.get(ISSUES, state="all", since=(DEMO_NOW + timedelta(days=1)).isoformat()).json() == []


@pytest.mark.parametrize("sort", ["created", "updated", "comments"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sort_and_direction_order_the_list(api, sort, direction):
    items = api.get(ISSUES, state="all", sort=sort, direction=direction, per_page=100).json()
    key = {"created": "created_at", "updated": "updated_at", "comments": "comments"}[sort]

    keys = [(item[key], item["number"]) for item in items]
    assert keys == sorted(keys, reverse=direction == "desc")


def test_labels_must_all_match_whatever_their_case(api):
    bugs = api.get(ISSUES, state="all", labels="bug").json()
    frontend_bugs = api.get(ISSUES, state="all", labels="BUG,frontend").json()

    assert frontend_bugs and set(numbers_of(frontend_bugs)) < set(numbers_of(bugs))
    assert all({"bug", "frontend"} <= {label["name"] for label in item["labels"]} for item in frontend_bugs)


def test_labels_are_objects_with_name_colour_and_description(api):
    bug = next(
        label for item in api.get(ISSUES, labels="bug").json() for label in item["labels"] if label["name"] == "bug"
    )

    assert (bug["color"], bug["description"], bug["default"]) == ("d73a4a", "Something isn't working", True)
    assert bug["url"].endswith("/repos/acme-corp/web-app/labels/bug")


def test_creator_keeps_what_a_user_opened(api):
    items = api.get(ISSUES, state="all", creator="adam").json()

    assert items and {item["user"]["login"] for item in items} == {"adam"}


@pytest.mark.parametrize(
    ("name", "value"), [("state", "done"), ("sort", "title"), ("direction", "up"), ("since", "yesterday")]
)
def test_an_invalid_parameter_is_refused_with_422(api, name, value):
    response = api.get(ISSUES, **{name: value})

    assert response.status_code == 422
    assert response.json()["message"] == "Validation Failed"
    assert response.json()["errors"] == [{"resource": "Issue", "field": name, "code": "invalid", "value": value}]


def test_transferred_and_deleted_issues_leave_the_list(github, api):
    web_titles = [item["title"] for item in api.get(ISSUES, state="all", per_page=100).json()]
    mobile_titles = [item["title"] for item in api.get("/repos/acme-corp/mobile-app/issues", "maya").json()]
    billing = api.get("/repos/acme-corp/billing-api/issues", state="all").json()

    assert "Push notifications arrive twice on Android" not in web_titles
    assert "Push notifications arrive twice on Android" in mobile_titles
    assert "Cheap watches, best prices!!!" not in [item["title"] for item in billing]


def test_hostile_titles_bodies_and_urls_come_back_unchanged(github, api, control):
    title = "\x00<script>alert(1)</script> " + "𝕏" * 5000 + " \u202e\ufeff"
    body = "\x00" * 3 + "'; DROP TABLE tasks; --"
    created = control.post(f"/repos/{WEB}/issues", {"title": title, "body": body, "html_url": "javascript:alert(1)"})
    assert created.status_code == 201

    item = next(i for i in api.get(ISSUES).json() if i["number"] == created.json()["number"])

    assert (item["title"], item["body"], item["html_url"]) == (title, body, "javascript:alert(1)")


def numbers_of(items):
    return [item["number"] for item in items]
