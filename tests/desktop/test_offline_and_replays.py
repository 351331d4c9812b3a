"""Offline first: a day recorded with the server down reaches it exactly once when it is back, and
no replay, copy or second instance of the journal ever makes a second row for one client id."""

import threading
from collections import Counter

from timedoctor_desktop.cli import main
from timedoctor_desktop.core import Tracker
from timedoctor_desktop.journal import PENDING, UPLOADED
from timedoctor_desktop.sync import Backoff

from tests.desktop.helpers import client_ids, copy_data_folder, day_of_work, rows_on_server, this_morning

A_DAY = [
    ("1001", 50, 10),
    ("1002", 45, 15),
    ("2001", 90, 60),
    ("1001", 30, 5),
    (None, 20, 10),
    ("1002", 75, 15),
    ("2001", 40, 0),
]


class RecordedSleep:
    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


def test_a_day_recorded_with_the_server_stopped_is_uploaded_exactly_once_when_it_starts(
    tracker, server, member, capsys
):
    server.stop()
    day_of_work(tracker, this_morning(), A_DAY)
    sleep = RecordedSleep()

    offline = tracker.sync(backoff=Backoff(attempts=4, base=1, sleep=sleep))

    assert offline.offline and offline.uploaded == 0
    assert sleep.waits == [1, 2, 4]  # three retries, backing off, then it gives up for now
    assert tracker.journal.count(PENDING) == len(A_DAY)
    main(["--data-dir", str(tracker.folder), "status"])
    assert "offline · 7 entries waiting to upload · never synced" in capsys.readouterr().out

    server.start()
    back = tracker.sync()
    again = tracker.sync()

    assert (back.created, back.offline, again.uploaded) == (len(A_DAY), False, 0)
    rows = rows_on_server(member)
    assert sorted(str(row.client_id) for row in rows) == client_ids(tracker)
    assert len(rows) == len(A_DAY)
    journal_times = [(entry.started_at, entry.ended_at) for entry in tracker.journal.entries_since(this_morning(10))]
    assert [(row.started_at, row.ended_at) for row in rows] == journal_times
    main(["--data-dir", str(tracker.folder), "status"])
    assert "everything uploaded · last synced just now" in capsys.readouterr().out


def test_the_server_going_down_in_the_middle_leaves_the_rest_for_later(tracker, server, member):
    day_of_work(tracker, this_morning(), A_DAY)
    tracker.sync(batch_size=3, backoff=Backoff(attempts=1))  # all of them, three at a time
    assert tracker.journal.count(UPLOADED) == len(A_DAY)

    server.stop()
    tracker.start("1001", at=this_morning(1))
    tracker.stop()
    assert tracker.sync(backoff=Backoff(attempts=1)).offline
    server.start()

    assert tracker.sync().created == 1
    assert len(rows_on_server(member)) == len(A_DAY) + 1


def test_the_same_journal_replayed_three_times_makes_one_row_per_client_id(tracker, member, tmp_path):
    day_of_work(tracker, this_morning(), A_DAY)
    backup = copy_data_folder(tracker, tmp_path / "backup")  # taken before anything was uploaded
    assert tracker.sync().created == len(A_DAY)

    replays = [Tracker(copy_data_folder(Tracker(backup), tmp_path / f"replay-{n}")).sync() for n in range(3)]

    assert [(replay.created, replay.exists) for replay in replays] == [(0, len(A_DAY))] * 3
    rows = rows_on_server(member)
    assert len(rows) == len(A_DAY)
    assert max(Counter(row.client_id for row in rows).values()) == 1


def test_two_app_instances_uploading_at_once_make_one_row_per_client_id(tracker, member, tmp_path):
    day_of_work(tracker, this_morning(), A_DAY)
    other_computer = Tracker(copy_data_folder(tracker, tmp_path / "other"))
    same_folder = Tracker(tracker.folder)  # a second window on the same journal file
    reports = {}
    go = threading.Barrier(3)

    def upload(name, instance):
        go.wait()
        reports[name] = instance.sync(batch_size=2)

    threads = [
        threading.Thread(target=upload, args=(name, instance))
        for name, instance in (("first", tracker), ("same folder", same_folder), ("other computer", other_computer))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    rows = rows_on_server(member)
    assert len(rows) == len(A_DAY)
    assert sorted(str(row.client_id) for row in rows) == client_ids(tracker) == client_ids(other_computer)
    assert sum(report.created for report in reports.values()) == len(A_DAY)
    assert not any(report.conflicts or report.rejected or report.offline for report in reports.values())
