"""Narrowing GET /projects/{id}/stories: with_* parameters, date ranges and `filter`."""

from datetime import UTC, datetime

from .helpers import IDS, PROJECTS

WEB = f"/projects/{PROJECTS['web']}/stories"
MOBILE = f"/projects/{PROJECTS['mobile']}/stories"


def names(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {story["name"] for story in response.json()}


def test_with_state_keeps_only_that_state(tracker):
    stories = tracker.get(WEB, with_state="started").json()

    assert {s["current_state"] for s in stories} == {"started"}
    assert len(stories) == 3


def test_with_story_type_keeps_only_that_type(tracker):
    assert names(tracker.get(WEB, with_story_type="release")) == {"Release 2.4", "Release 2.5"}


def test_with_label_matches_label_names(tracker):
    assert names(tracker.get(WEB, with_label="security")) == {
        "Password reset link expires after 24 hours",
        "Session cookie missing SameSite attribute",
        "Two-factor authentication with TOTP apps",
        "Rotate staging database credentials",
    }


def test_an_unknown_state_or_type_is_an_invalid_parameter(tracker):
    for params in ({"with_state": "done"}, {"with_story_type": "epic"}):
        response = tracker.get(WEB, **params)
        assert response.status_code == 400
        assert response.json()["validation_errors"][0]["field"] == next(iter(params))


def test_updated_after_returns_only_stories_changed_since(tracker, control):
    control.post("/clock", {"set": "2030-01-01T00:00:00Z"})
    story_id = tracker.get(WEB, with_state="unstarted").json()[0]["id"]
    control.patch(f"/stories/{story_id}", {"estimate": 3})

    response = tracker.get(WEB, updated_after="2029-12-31T23:59:59Z")

    assert [(s["id"], s["updated_at"]) for s in response.json()] == [(story_id, "2030-01-01T00:00:00Z")]


def test_updated_after_is_strict_and_accepts_epoch_millis(tracker, control):
    control.post("/clock", {"set": "2030-01-01T00:00:00Z"})
    story_id = tracker.get(WEB).json()[0]["id"]
    control.patch(f"/stories/{story_id}", {"name": "Renamed"})
    at = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp() * 1000)

    assert tracker.get(WEB, updated_after=at).json() == []
    assert [s["id"] for s in tracker.get(WEB, updated_after=at - 1000).json()] == [story_id]


def test_updated_before_and_created_ranges_bound_the_dates(tracker):
    before = tracker.get(WEB, updated_before="2025-04-01T00:00:00Z").json()
    created = tracker.get(WEB, created_after="2025-04-10T00:00:00Z", created_before="2025-04-20T00:00:00Z").json()

    assert before and all(s["updated_at"] < "2025-04-01T00:00:00Z" for s in before)
    assert created and all("2025-04-10" <= s["created_at"] < "2025-04-20" for s in created)
    assert len(created) < len(tracker.get(WEB).json())


def test_accepted_ranges_skip_stories_never_accepted(tracker):
    accepted = tracker.get(WEB, accepted_after="2025-01-01T00:00:00Z").json()
    early = tracker.get(WEB, accepted_before="2025-03-30T00:00:00Z").json()

    assert {s["current_state"] for s in accepted} == {"accepted"}
    assert len(accepted) == 5
    assert [s["name"] for s in early] == [
        "Sign-up form validates email before submit",
        "Password reset link expires after 24 hours",
    ]


def test_a_date_that_cannot_be_read_is_an_invalid_parameter(tracker):
    response = tracker.get(WEB, updated_after="yesterday")

    assert response.status_code == 400
    assert response.json()["validation_errors"] == [
        {"field": "updated_after", "problem": "must be an ISO-8601 date-time or epoch milliseconds"}
    ]


def test_filter_owner_returns_the_persons_unaccepted_stories(tracker):
    stories = tracker.get(WEB, filter=f"owner:{IDS['ben']}").json()

    assert stories and all(IDS["ben"] in s["owner_ids"] for s in stories)
    assert "accepted" not in {s["current_state"] for s in stories}


def test_filter_includedone_adds_accepted_stories(tracker):
    without = names(tracker.get(WEB, filter="owner:ben"))
    with_done = names(tracker.get(WEB, filter="owner:ben includedone:true"))

    assert with_done - without == {
        "Password reset link expires after 24 hours",
        "Dashboard loads slowly for accounts with 5k+ projects",
    }


def test_filter_accepts_people_by_id_username_initials_or_name(tracker):
    expected = names(tracker.get(WEB, filter=f"owner:{IDS['ana']}"))

    for reference in ("ana", "AR", '"Ana Ruiz"'):
        assert names(tracker.get(WEB, filter=f"owner:{reference}")) == expected
    assert names(tracker.get(WEB, filter="owner:nobody")) == set()


def test_filter_mywork_is_owned_and_unfinished_even_with_includedone(tracker):
    stories = tracker.get(MOBILE, as_="ben", filter="mywork:ben includedone:true").json()

    assert {s["name"] for s in stories} == {
        "Biometric login on iOS",
        "Widget showing today's tracked time",
        "Rename the Projects tab to Workspaces",
        "Deep links open the wrong project",
    }


def test_filter_state_takes_a_list(tracker):
    stories = tracker.get(WEB, filter="state:started,finished").json()

    assert sorted({s["current_state"] for s in stories}) == ["finished", "started"]
    assert len(stories) == 4


def test_filter_type_and_label_combine_with_and(tracker):
    assert names(tracker.get(WEB, filter='type:bug label:"frontend"')) == {
        "Avatar upload fails for PNG files over 2 MB",
        "Tooltip overlaps the sidebar on narrow screens",
    }


def test_filter_supports_or_negation_and_parentheses(tracker):
    either = names(tracker.get(WEB, filter="(type:chore OR type:release) -state:unscheduled includedone:true"))

    assert either == {
        "Upgrade Django to the latest LTS",
        "Release 2.4",
        "Rotate staging database credentials",
        "Release 2.5",
    }


def test_filter_cannot_be_combined_with_other_parameters(tracker):
    response = tracker.get(WEB, filter="owner:ana", with_state="started")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert response.json()["validation_errors"][0]["field"] == "filter"


def test_filter_works_with_limit_offset_date_format_and_envelope(tracker):
    response = tracker.get(
        WEB, filter="owner:ana includedone:true", limit=2, offset=1, date_format="millis", envelope="true"
    )

    body = response.json()
    assert body["pagination"] == {"total": 9, "limit": 2, "offset": 1, "returned": 2}
    assert isinstance(body["data"][0]["created_at"], int)


def test_a_malformed_filter_is_an_invalid_parameter(tracker):
    for query in ("(owner:ana", 'label:"unclosed', "state:done"):
        response = tracker.get(WEB, filter=query)
        assert (query, response.status_code, response.json()["code"]) == (query, 400, "invalid_parameter")
