"""The activity feed: updates, deletes and moves, versions, since_version, /my/activity."""

from .helpers import IDS, PROJECTS

WEB, MOBILE = PROJECTS["web"], PROJECTS["mobile"]


def project_version(tracker, project_id, as_="olivia") -> int:
    return int(tracker.get(f"/projects/{project_id}", as_=as_).headers["X-Tracker-Project-Version"])


def first_story(tracker, project_id=WEB, **params) -> dict:
    return tracker.get(f"/projects/{project_id}/stories", as_="olivia", limit=1, **params).json()[0]


def test_a_state_change_records_an_update_with_old_and_new_values(tracker, control):
    story = first_story(tracker, with_state="started")
    version = project_version(tracker, WEB)

    control.patch(f"/stories/{story['id']}", {"current_state": "finished", "performed_by_id": IDS["ana"]})

    item = tracker.get(f"/projects/{WEB}/activity", limit=1).json()[0]
    assert item["kind"] == "story_update_activity"
    assert item["project_version"] == version + 1 == project_version(tracker, WEB)
    assert item["guid"] == f"{WEB}_{version + 1}"
    assert item["highlight"] == "finished"
    assert item["message"] == "Ana Ruiz finished this feature"
    assert item["performed_by"] == {"kind": "person", "id": IDS["ana"], "name": "Ana Ruiz", "initials": "AR"}
    assert item["project"] == {"kind": "project", "id": WEB, "name": "Web App"}
    change = item["changes"][0]
    assert (change["kind"], change["change_type"], change["id"]) == ("story", "update", story["id"])
    assert change["original_values"]["current_state"] == "started"
    assert change["new_values"]["current_state"] == "finished"
    assert item["primary_resources"][0]["url"] == story["url"]


def test_owner_changes_show_as_owner_ids(tracker, control):
    story = first_story(tracker, with_state="unstarted")

    control.patch(f"/stories/{story['id']}", {"owner_ids": [IDS["ben"], IDS["ana"]]})

    change = tracker.get(f"/projects/{WEB}/activity", limit=1).json()[0]["changes"][0]
    assert change["original_values"]["owner_ids"] == story["owner_ids"]
    assert change["new_values"]["owner_ids"] == [IDS["ben"], IDS["ana"]]


def test_an_update_that_changes_nothing_leaves_the_version_alone(tracker, control):
    story = first_story(tracker)
    version = project_version(tracker, WEB)

    control.patch(f"/stories/{story['id']}", {"name": story["name"]})

    assert project_version(tracker, WEB) == version


def test_a_delete_appears_as_story_delete_activity_and_the_story_is_gone(tracker, control):
    story = first_story(tracker)

    assert control.delete(f"/stories/{story['id']}").status_code == 204

    item = tracker.get(f"/projects/{WEB}/activity", limit=1).json()[0]
    assert item["kind"] == "story_delete_activity"
    assert item["changes"] == [
        {
            "kind": "story",
            "change_type": "delete",
            "id": story["id"],
            "name": story["name"],
            "story_type": story["story_type"],
        }
    ]
    assert tracker.get(f"/stories/{story['id']}").json()["code"] == "unfound_resource"
    assert story["id"] not in [s["id"] for s in tracker.get(f"/projects/{WEB}/stories", limit=500).json()]


def test_a_move_appears_in_both_projects_feeds(tracker, control):
    story = first_story(tracker, with_state="started")
    web_version, mobile_version = project_version(tracker, WEB), project_version(tracker, MOBILE)

    moved = control.post(f"/stories/{story['id']}/move", {"project_id": MOBILE})

    assert moved.json()["project_id"] == MOBILE
    left = tracker.get(f"/projects/{WEB}/activity", as_="olivia", limit=1).json()[0]
    arrived = tracker.get(f"/projects/{MOBILE}/activity", as_="olivia", limit=1).json()[0]
    assert (left["kind"], left["project_version"]) == ("story_move_from_project_activity", web_version + 1)
    assert left["changes"][0]["change_type"] == "delete"
    assert (arrived["kind"], arrived["project_version"]) == ("story_move_into_project_activity", mobile_version + 1)
    assert arrived["changes"][0]["change_type"] == "create"
    assert arrived["changes"][0]["new_values"]["project_id"] == MOBILE
    assert arrived["changes"][0]["new_values"]["name"] == story["name"]


def test_a_moved_story_shows_its_new_project_or_403_to_those_who_cannot_follow(tracker, control):
    story = first_story(tracker, with_state="started")
    control.post(f"/stories/{story['id']}/move", {"project_id": MOBILE})

    assert tracker.get(f"/stories/{story['id']}", as_="ben").json()["project_id"] == MOBILE
    assert tracker.get(f"/stories/{story['id']}", as_="ana").status_code == 403
    assert tracker.get(f"/projects/{WEB}/stories/bulk", ids=story["id"]).json() == []


def test_since_version_returns_only_newer_items_newest_first(tracker, control):
    version = project_version(tracker, WEB)
    stories = tracker.get(f"/projects/{WEB}/stories", with_state="unstarted", limit=2).json()
    control.patch(f"/stories/{stories[0]['id']}", {"current_state": "started"})
    control.delete(f"/stories/{stories[1]['id']}")

    items = tracker.get(f"/projects/{WEB}/activity", since_version=version).json()

    assert [(i["kind"], i["project_version"]) for i in items] == [
        ("story_delete_activity", version + 2),
        ("story_update_activity", version + 1),
    ]


def test_the_feed_is_newest_first_and_starts_with_story_creation(tracker):
    items = tracker.get(f"/projects/{WEB}/activity", limit=500).json()

    versions = [item["project_version"] for item in items]
    assert versions == sorted(versions, reverse=True)
    assert {item["kind"] for item in items} == {"story_create_activity"}
    assert len(items) == 24


def test_occurred_after_and_before_bound_the_feed(tracker, control):
    control.post("/clock", {"set": "2030-05-01T12:00:00Z"})
    story = first_story(tracker)
    control.patch(f"/stories/{story['id']}", {"estimate": 8})

    recent = tracker.get(f"/projects/{WEB}/activity", occurred_after="2030-05-01T11:00:00Z").json()
    old = tracker.get(f"/projects/{WEB}/activity", occurred_before="2030-01-01T00:00:00Z", limit=500).json()

    assert [(i["kind"], i["occurred_at"]) for i in recent] == [("story_update_activity", "2030-05-01T12:00:00Z")]
    assert len(old) == 24


def test_my_activity_lists_what_the_caller_did_in_any_project(tracker, control):
    story = first_story(tracker, project_id=MOBILE, with_state="started")
    control.patch(f"/stories/{story['id']}", {"current_state": "finished", "performed_by_id": IDS["ben"]})

    mine = tracker.get("/my/activity", as_="ben").json()

    assert mine[0]["kind"] == "story_update_activity"
    assert mine[0]["project"]["id"] == MOBILE
    assert {item["performed_by"]["id"] for item in mine} == {IDS["ben"]}


def test_activity_dates_follow_date_format(tracker):
    item = tracker.get(f"/projects/{WEB}/activity", limit=1, date_format="millis").json()[0]

    assert isinstance(item["occurred_at"], int)
    assert isinstance(item["changes"][0]["new_values"]["created_at"], int)


def test_story_transitions_follow_state_changes(tracker, control):
    story = first_story(tracker, with_state="unstarted")
    control.patch(f"/stories/{story['id']}", {"current_state": "started"})

    transitions = tracker.get(f"/stories/{story['id']}/transitions").json()

    assert [t["state"] for t in transitions] == ["unstarted", "started"]
    assert transitions[-1]["kind"] == "story_transition"
    assert transitions[-1]["project_version"] == project_version(tracker, WEB)
