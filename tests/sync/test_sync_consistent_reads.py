"""A paged read never skips a story: whatever changes between two page reads, the person's tasks
end equal to what the tracker says (against the emulator over real HTTP, pages of 5 stories)."""

import random

import pytest

from integrations.providers.pivotal.emulator.demo_data import MOBILE, WEB_APP
from sync.models import SyncCursor, SyncRun

from .conftest import PERSON, claim, expected, offered, run_sync

pytestmark = pytest.mark.django_db

PAGE = 5
ANA, BEN = PERSON["ana"].pivotal_id, PERSON["ben"].pivotal_id


@pytest.fixture
def board(emulator, settings, pivotal_on):
    """A project of 17 stories Ana owns (4 pages), beside the demo projects."""
    settings.PIVOTAL_PAGE_SIZE = PAGE
    state = emulator.state
    project = state.add_project("Busy board")
    state.add_membership(PERSON["olivia"].pivotal_id, project.id, "owner")
    state.add_membership(ANA, project.id)
    state.add_membership(BEN, project.id)
    for number in range(17):
        state.add_story(project.id, f"Board story {number}", "feature", "started", owner_ids=[ANA], estimate=1)
    return project


def stories(emulator, project):
    return emulator.state.stories_in(project.id)


def between_pages(emulator, project, change, *, after_page=1, times=1):
    """Runs `change()` right after the `after_page`-th page of the project's stories is served,
    before the next page is asked for; `times` consecutive pages get a change each."""
    served = {"pages": 0}

    def hook(method, path, params, status):
        if not path.endswith(f"/projects/{project.id}/stories"):
            return
        served["pages"] += 1
        if after_page <= served["pages"] < after_page + times:
            change()

    emulator.app.after_request.append(hook)
    return served


def story_pages_read(emulator, project):
    return [
        entry for entry in emulator.request_log.entries() if entry["path"].endswith(f"/projects/{project.id}/stories")
    ]


def delete_first(emulator, project):
    emulator.state.delete_story(stories(emulator, project)[0].id)


def move_first_out(emulator, project):
    emulator.state.move_story(stories(emulator, project)[0].id, MOBILE)  # Ana cannot see Mobile


def move_one_in(emulator, project):
    story = emulator.state.add_story(WEB_APP, "Moved in from Web App", "feature", "started", owner_ids=[ANA])
    emulator.state.move_story(story.id, project.id)
    emulator.state.prioritize_story(story.id, before_id=stories(emulator, project)[0].id)


def reprioritise_last_to_the_top(emulator, project):
    board = stories(emulator, project)
    emulator.state.prioritize_story(board[-1].id, before_id=board[0].id)


def create_at_the_top(emulator, project):
    story = emulator.state.add_story(project.id, "Urgent: created mid-read", "bug", "started", owner_ids=[ANA])
    emulator.state.prioritize_story(story.id, before_id=stories(emulator, project)[0].id)


def give_a_late_story_to_ben(emulator, project):
    emulator.state.update_story(stories(emulator, project)[-2].id, owner_ids=[BEN])


HAZARDS = {
    "delete": delete_first,
    "move out": move_first_out,
    "move in": move_one_in,
    "re-prioritise": reprioritise_last_to_the_top,
    "create": create_at_the_top,
    "edit": give_a_late_story_to_ben,
}


@pytest.mark.parametrize("hazard", HAZARDS)
def test_a_change_between_two_page_reads_of_a_first_sync_loses_no_story(emulator, board, link, hazard):
    ana = link("ana")
    between_pages(emulator, board, lambda: HAZARDS[hazard](emulator, board))

    assert run_sync(ana) == "succeeded"

    assert offered(ana.membership) == expected(emulator, "ana")
    run = SyncRun.objects.get(user_integration=ana)
    assert run.warnings == [] and run.progress == 100


@pytest.mark.parametrize("hazard", HAZARDS)
def test_a_change_between_two_page_reads_of_an_incremental_sync_loses_no_story(emulator, board, link, hazard):
    ana = link("ana")
    run_sync(ana)
    for story in stories(emulator, board)[:13]:  # 13 changed stories: an incremental read of 3 pages
        emulator.state.update_story(story.id, name=f"{story.name} (edited)")
    between_pages(emulator, board, lambda: HAZARDS[hazard](emulator, board))

    assert run_sync(ana) == "succeeded"

    assert offered(ana.membership) == expected(emulator, "ana")


def test_the_story_a_naive_read_skips_is_offered_after_a_delete_between_pages(emulator, board, link):
    """The reported case: a delete on page 1 shifts the first story of page 2 onto page 1."""
    ana = link("ana")
    first_of_page_two = stories(emulator, board)[PAGE]
    between_pages(emulator, board, lambda: delete_first(emulator, board))
    emulator.request_log.clear()

    run_sync(ana)

    assert str(first_of_page_two.id) in offered(ana.membership)
    pages = story_pages_read(emulator, board)
    assert len(pages) == 4 + 4  # the read whose pages disagreed, then one that agreed (16 stories)


def test_an_unchanged_read_costs_its_pages_and_nothing_more(emulator, board, link):
    ana = link("ana")
    emulator.request_log.clear()

    run_sync(ana)

    assert len(story_pages_read(emulator, board)) == 4  # 17 stories, pages of 5: no second pass


def test_a_project_that_changes_under_every_read_keeps_its_cursor_and_is_read_again(emulator, board, link, settings):
    ana = link("ana")
    run_sync(ana)
    cursor = SyncCursor.objects.get(user_integration=ana, project_external_id=str(board.id))
    for story in stories(emulator, board)[:12]:
        emulator.state.update_story(story.id, name=f"{story.name} (edited)")
    served = between_pages(emulator, board, lambda: delete_first(emulator, board), times=100)

    assert run_sync(ana) == "succeeded"

    assert served["pages"] >= settings.SYNC_READ_PASSES * 2  # every pass was disturbed
    assert SyncCursor.objects.get(pk=cursor.pk).state == cursor.state
    run = SyncRun.objects.filter(user_integration=ana).first()
    assert run.warnings == [
        {
            "project": "Busy board",
            "external_id": "",
            "title": "",
            "reason": "This project kept changing while it was read; a follow-up run reads it again.",
        }
    ]
    assert claim(ana).state == "queued"  # the follow-up run

    emulator.app.after_request.clear()
    run_sync(ana, trigger="follow_up")

    assert offered(ana.membership) == expected(emulator, "ana")
    assert SyncCursor.objects.get(pk=cursor.pk).state["version"] == emulator.state.project(board.id).version


def random_change(rng, emulator, board):
    state = emulator.state
    board_stories = stories(emulator, board)
    kind = rng.choice(["delete", "move out", "move in", "re-prioritise", "create", "owner", "accept", "rename"])
    if len(board_stories) < 2 * PAGE:
        kind = "create"
    story = rng.choice(board_stories)
    if kind == "delete":
        state.delete_story(story.id)
    elif kind == "move out":
        state.move_story(story.id, MOBILE)
    elif kind == "move in":
        moved = state.add_story(WEB_APP, f"Moved in {rng.random():.6f}", "chore", "started", owner_ids=[ANA])
        state.move_story(moved.id, board.id)
        state.prioritize_story(moved.id, before_id=rng.choice(stories(emulator, board)).id)
    elif kind in ("re-prioritise", "create"):
        if kind == "create":
            story = state.add_story(
                board.id, f"New {rng.random():.6f}", "bug", "started", owner_ids=[rng.choice([ANA, BEN])]
            )
        state.prioritize_story(story.id, before_id=rng.choice(stories(emulator, board)).id)
    elif kind == "owner":
        state.update_story(story.id, owner_ids=[rng.choice([ANA, BEN])])
    elif kind == "accept":
        state.update_story(story.id, current_state=rng.choice(["accepted", "started", "finished"]))
    else:
        state.update_story(story.id, name=f"Renamed {rng.random():.6f}")


def test_random_changes_between_pages_never_leave_the_tasks_different_from_the_tracker(emulator, board, link):
    """A seeded loop: each sync gets up to two changes at random page gaps (the read settles
    within SYNC_READ_PASSES=3), and between syncs the board changes too."""
    rng = random.Random(20261201)
    ana = link("ana")
    for round_number in range(30):
        emulator.app.after_request.clear()
        gaps = sorted(rng.sample(range(1, 9), rng.randint(0, 2)))
        served = {"pages": 0}

        def hook(method, path, params, status, gaps=gaps, served=served):
            if path.endswith(f"/projects/{board.id}/stories"):
                served["pages"] += 1
                if served["pages"] in gaps:
                    random_change(rng, emulator, board)

        emulator.app.after_request.append(hook)
        assert run_sync(ana) == "succeeded"
        assert offered(ana.membership) == expected(emulator, "ana"), f"round {round_number}, gaps {gaps}"
        emulator.app.after_request.clear()
        for _ in range(rng.randint(0, 8)):
            random_change(rng, emulator, board)
