"""The in-memory state used directly by tests and the demo (no HTTP)."""

from datetime import UTC, datetime

import pytest

from integrations.providers.pivotal.emulator import Clock, EmulatorState


@pytest.fixture
def state():
    state = EmulatorState(Clock(datetime(2030, 1, 1, tzinfo=UTC)))
    state.add_person("Ana Ruiz", "ana@example.com", id=1)
    state.add_person("Ben Okafor", "ben@example.com", id=2)
    state.add_project("Web", id=10)
    state.add_project("Mobile", id=20)
    state.add_membership(1, 10, "owner")
    return state


def test_adding_a_story_bumps_the_version_and_records_its_creation(state):
    story = state.add_story(10, "Export CSV", estimate=2, owner_ids=[1])

    assert state.project(10).version == 2
    assert [a.kind for a in state.activities_in(10)] == ["story_create_activity"]
    assert story.created_at == story.updated_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_update_story_moves_updated_at_with_the_clock(state):
    story = state.add_story(10, "Export CSV")
    state.clock.advance(minutes=5)

    state.update_story(story.id, current_state="accepted")

    assert story.updated_at == story.accepted_at == datetime(2030, 1, 1, 0, 5, tzinfo=UTC)
    state.update_story(story.id, current_state="started")
    assert story.accepted_at is None


@pytest.mark.parametrize(
    "changes",
    [
        {"story_type": "epic"},
        {"current_state": "done"},
        {"owner_ids": [99]},
        {"estimate": -1},
        {"deadline": datetime(2030, 2, 1, tzinfo=UTC)},
        {"labels": "one,two"},
        {"id": 5},
    ],
)
def test_update_story_refuses_bad_values_without_changing_anything(state, changes):
    story = state.add_story(10, "Export CSV")
    version = state.project(10).version

    with pytest.raises(ValueError):
        state.update_story(story.id, **changes)

    assert state.project(10).version == version
    assert (story.story_type, story.current_state, story.owner_ids) == ("feature", "unstarted", [])


def test_bugs_cannot_be_estimated_unless_the_project_allows_it(state):
    with pytest.raises(ValueError):
        state.add_story(10, "Crash", "bug", estimate=1)
    project = state.add_project("Ops", bugs_and_chores_are_estimatable=True)
    assert state.add_story(project.id, "Crash", "bug", estimate=1).estimate == 1


def test_unknown_ids_raise_lookup_errors(state):
    with pytest.raises(LookupError):
        state.update_story(12345, name="x")
    with pytest.raises(LookupError):
        state.move_story(state.add_story(10, "x").id, 999)
    with pytest.raises(LookupError):
        state.remove_membership(2, 10)


def test_a_frozen_clock_only_moves_when_advanced():
    clock = Clock(datetime(2030, 1, 1, 12, 0, 0, 999, tzinfo=UTC))

    assert clock.now() == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert clock.advance(seconds=90) == datetime(2030, 1, 1, 12, 1, 30, tzinfo=UTC)
    clock.unfreeze()
    assert clock.now().year >= 2025


def test_an_estimate_change_is_worded_like_tracker(state):
    story = state.add_story(10, "Export CSV", performed_by_id=1)

    state.update_story(story.id, estimate=3, performed_by_id=1)

    item = state.activities_in(10)[0].payload
    assert (item["highlight"], item["message"]) == ("estimated", "Ana Ruiz estimated this feature")
    assert item["changes"][0]["original_values"] == {"estimate": None, "updated_at": story.created_at}
    assert item["changes"][0]["new_values"]["estimate"] == 3


def test_an_unknown_performer_is_refused_before_anything_changes(state):
    story = state.add_story(10, "Export CSV")

    with pytest.raises(ValueError):
        state.update_story(story.id, name="Renamed", performed_by_id=99)
    with pytest.raises(ValueError):
        state.delete_story(story.id, performed_by_id=99)

    assert state.story(story.id).name == "Export CSV"
    assert state.project(10).version == 2
