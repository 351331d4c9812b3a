"""The server's rules stay authoritative: what it refuses is kept and explained, not dropped. The
task list is cached, answers offline, and is revalidated with the ETag (304)."""

from datetime import timedelta

from django.utils import timezone
from timedoctor_desktop.cli import main
from timedoctor_desktop.core import Tracker
from timedoctor_desktop.journal import CONFLICT, DISCARDED, REJECTED

from tests.desktop.helpers import copy_data_folder, rows_on_server, this_morning
from tracking.models import TimeEntry


def test_a_conflict_and_a_rejected_entry_are_kept_and_shown_with_the_reason(tracker, member, tasks, tmp_path, capsys):
    started = this_morning(hours_ago=6)
    running = tracker.start("1001", at=started)
    other_computer = Tracker(copy_data_folder(tracker, tmp_path / "other"))  # the folder, copied mid-entry
    tracker.stop(at=started + timedelta(minutes=30))
    other_computer.stop(at=started + timedelta(minutes=45))  # same client id, another end
    TimeEntry.objects.create(
        company=member.company,
        membership=member,
        task=tasks["push"],
        source="web",
        started_at=started + timedelta(hours=2),
        ended_at=started + timedelta(hours=3),
    )
    overlapping = tracker.start("1002", at=started + timedelta(hours=2, minutes=30))
    tracker.stop(at=started + timedelta(hours=4))
    assert tracker.sync().created == 1

    report = other_computer.sync()
    main(["--data-dir", str(tracker.folder), "sync"])

    assert (report.conflicts, tracker.journal.get(overlapping.client_id).state) == (1, REJECTED)
    assert other_computer.journal.get(running.client_id).state == CONFLICT
    said = capsys.readouterr().out
    assert "rejected:" in said and "Fix the login page: It overlaps time you already tracked" in said
    main(["--data-dir", str(other_computer.folder), "status"])
    said = capsys.readouterr().out
    assert "1 entry needs your attention" in said
    assert "conflict:" in said and "The server already has this entry with other times" in said

    tracker.sync()  # later syncs keep it, and send it no more
    assert [entry.code for entry in tracker.journal.needs_attention()] == ["overlap"]
    assert len(rows_on_server(member)) == 2  # the first upload and the web entry; nothing doubled

    assert main(["--data-dir", str(tracker.folder), "dismiss", overlapping.client_id[:8]]) == 0  # read it
    assert tracker.journal.get(overlapping.client_id).state == DISCARDED


def test_an_entry_left_running_over_24_hours_is_rejected_as_too_long(tracker):
    tracker.start("2001", at=timezone.now() - timedelta(hours=25))
    tracker.stop()

    report = tracker.sync()

    assert report.rejected == 1
    [refused] = tracker.journal.needs_attention()
    assert refused.code == "too_long"


def test_the_task_cache_answers_offline_and_revalidates_with_304(tracker, server, tasks, capsys):
    folder = str(tracker.folder)
    first_etag = tracker.tasks.etag
    assert first_etag and tracker.refresh_tasks() == "unchanged"  # If-None-Match answered 304
    assert tracker.tasks.etag == first_etag

    server.stop()
    assert tracker.refresh_tasks() == "offline"
    assert main(["--data-dir", folder, "tasks", "login"]) == 0
    captured = capsys.readouterr()
    assert "offline: showing the cached list" in captured.err
    assert "Web App\n" in captured.out and "#1002  Fix the login page" in captured.out
    assert "Export CSV" not in captured.out  # the search narrowed it
    assert tracker.start("2001").task_title == "Push notifications"  # starting works offline too

    tasks["login"].title = "Fix the sign-in page"
    tasks["login"].save()
    server.start()
    assert tracker.refresh_tasks() == "updated"
    assert tracker.tasks.etag != first_etag
    assert tracker.task("1002").title == "Fix the sign-in page"
