"""How a story looks: omitted nulls, dates, `fields=`, single and bulk reads."""

from datetime import UTC, datetime

from .helpers import IDS, PROJECTS

WEB = f"/projects/{PROJECTS['web']}/stories"


def story_named(tracker, name, project="web", as_="olivia"):
    stories = tracker.get(f"/projects/{PROJECTS[project]}/stories", as_=as_, limit=500).json()
    return next(story for story in stories if story["name"] == name)


def test_it_omits_estimate_description_and_accepted_at_when_unset(tracker):
    story = story_named(tracker, "Rotate staging database credentials")

    assert "estimate" not in story
    assert "description" not in story
    assert "accepted_at" not in story
    assert "owned_by_id" not in story
    assert "deadline" not in story
    assert story["owner_ids"] == []
    assert story["labels"][0]["name"] == "security"


def test_it_shows_every_attribute_that_is_set(tracker):
    story = story_named(tracker, "Dashboard loads slowly for accounts with 5k+ projects")

    assert story["kind"] == "story"
    assert story["story_type"] == "bug"
    assert story["current_state"] == "accepted"
    assert story["accepted_at"].endswith("Z")
    assert story["owner_ids"] == [IDS["ben"], IDS["ana"]]
    assert story["owned_by_id"] == IDS["ben"]
    assert story["requested_by_id"] == IDS["olivia"]
    assert story["url"] == f"https://www.pivotaltracker.com/story/show/{story['id']}"
    assert story["description"].startswith("The dashboard takes over 8 s")
    label = story["labels"][0]
    assert set(label) == {"id", "project_id", "kind", "name", "created_at", "updated_at"}
    assert (label["kind"], label["name"], label["project_id"]) == ("label", "performance", PROJECTS["web"])


def test_it_prints_whole_estimates_without_a_decimal_point(tracker):
    story = story_named(tracker, "Two-factor authentication with TOTP apps")

    assert story["estimate"] == 5
    assert type(story["estimate"]) is int


def test_releases_have_a_deadline(tracker):
    story = story_named(tracker, "Release 2.5")

    assert story["deadline"] == "2025-05-09T16:00:00Z"
    assert "estimate" not in story


def test_dates_are_iso_utc_by_default_and_millis_on_request(tracker):
    iso = tracker.get(WEB, limit=1).json()[0]
    millis = tracker.get(WEB, limit=1, date_format="millis").json()[0]

    parsed = datetime.strptime(iso["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert millis["created_at"] == int(parsed.timestamp()) * 1000
    assert millis["labels"][0]["created_at"] % 1000 == 0


def test_an_unknown_date_format_is_an_invalid_parameter(tracker):
    assert tracker.get(WEB, date_format="rfc822").status_code == 400


def test_fields_default_plus_owners_nests_the_people(tracker):
    stories = tracker.get(WEB, fields=":default,owners,requested_by", with_state="started").json()
    dark_mode = next(s for s in stories if s["name"] == "Dark mode for the dashboard")

    assert [owner["username"] for owner in dark_mode["owners"]] == ["ana", "ben"]
    assert dark_mode["owners"][0] == {
        "kind": "person",
        "id": IDS["ana"],
        "name": "Ana Ruiz",
        "email": "ana@acme.example",
        "initials": "AR",
        "username": "ana",
    }
    assert dark_mode["requested_by"]["email"] == "manager@acme.example"
    assert dark_mode["current_state"] == "started"


def test_fields_can_select_attributes_and_nested_attributes(tracker):
    story = tracker.get(WEB, fields="name,owned_by(name),no_such_field", with_state="finished").json()[0]

    assert story == {
        "kind": "story",
        "id": story["id"],
        "name": "CSV export of the activity report",
        "owned_by": {"kind": "person", "id": IDS["ben"], "name": "Ben Okafor"},
    }


def test_fields_with_an_unbalanced_parenthesis_is_an_invalid_parameter(tracker):
    assert tracker.get(WEB, fields="name,owners(name").status_code == 400


def test_a_story_can_be_read_without_its_project(tracker):
    story = tracker.get(WEB, limit=1).json()[0]

    response = tracker.get(f"/stories/{story['id']}")

    assert response.json() == story
    assert response.headers["X-Tracker-Project-Version"].isdigit()


def test_a_story_in_a_project_the_caller_cannot_see_is_unauthorized(tracker):
    story = story_named(tracker, "Biometric login on iOS", project="mobile")

    response = tracker.get(f"/stories/{story['id']}", as_="ana")

    assert response.status_code == 403
    assert response.json()["code"] == "unauthorized_operation"


def test_a_story_that_never_existed_is_unfound(tracker):
    response = tracker.get("/stories/42")

    assert response.status_code == 404
    assert response.json()["code"] == "unfound_resource"
    assert response.json()["kind"] == "error"


def test_bulk_returns_the_requested_stories_and_skips_junk_ids(tracker, control):
    ids = [s["id"] for s in tracker.get(WEB, limit=3).json()]
    deleted = tracker.get(WEB, limit=4).json()[3]["id"]
    control.delete(f"/stories/{deleted}")
    elsewhere = story_named(tracker, "Biometric login on iOS", project="mobile")["id"]

    response = tracker.get(f"{WEB}/bulk", ids=f"{ids[0]},abc,{deleted},{elsewhere},,{ids[1]},999,{ids[2]}")

    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == ids


def test_bulk_accepts_500_ids_and_refuses_501(tracker):
    five_hundred = ",".join(str(n) for n in range(1, 501))

    assert tracker.get(f"{WEB}/bulk", ids=five_hundred).json() == []
    response = tracker.get(f"{WEB}/bulk", ids=five_hundred + ",501")
    assert response.status_code == 400
    assert response.json()["validation_errors"][0]["field"] == "ids"


def test_bulk_without_ids_is_an_invalid_parameter(tracker):
    assert tracker.get(f"{WEB}/bulk").json()["code"] == "invalid_parameter"
