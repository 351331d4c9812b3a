"""A crash loses at most the seconds since the last heartbeat, and the next start asks what to do
with the open entry; idle time left out is cut from the entry before it is uploaded."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from timedoctor_desktop import clock
from timedoctor_desktop.core import Tracker
from timedoctor_desktop.journal import DISCARDED, RUNNING, UPLOADED

from tests.desktop.helpers import rows_on_server, this_morning

APP_THAT_CRASHES = textwrap.dedent("""
    import sys, time
    from timedoctor_desktop.core import Tracker
    tracker = Tracker(sys.argv[1], heartbeat_seconds=0.2)
    tracker.start("1001")
    print("started", flush=True)
    while True:
        time.sleep(0.2)
        tracker.heartbeat()
""")


def crash_while_running(tracker):
    """A real process writes heartbeats, then is killed (SIGKILL: no chance to clean up)."""
    process = subprocess.Popen(
        [sys.executable, "-c", APP_THAT_CRASHES, str(tracker.folder)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert process.stdout.readline() == b"started\n"
    time.sleep(2.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return clock.now()


@pytest.mark.serial  # starts another process, which keeps the real clock
@pytest.mark.parametrize("choice", ["keep", "discard", "resume"])
def test_after_a_crash_the_open_entry_is_offered_and_settled_as_the_person_chooses(tracker, member, choice):
    killed_at = crash_while_running(tracker)
    reopened = Tracker(tracker.folder, heartbeat_seconds=1)

    left_open = reopened.open_entry_from_closed_app(now=killed_at + timedelta(seconds=5))
    assert left_open is not None and left_open.task_title == "Export CSV"
    assert (killed_at - left_open.heartbeat_at).total_seconds() <= 1.5  # lost: at most the heartbeat interval

    reopened.recover(choice)
    entry = reopened.journal.get(left_open.client_id)
    if choice == "keep":
        assert entry.ended_at == left_open.heartbeat_at
        assert reopened.sync().created == 1
        assert rows_on_server(member)[0].ended_at == left_open.heartbeat_at
    elif choice == "discard":
        assert entry.state == DISCARDED
        assert reopened.sync().uploaded == 0 and rows_on_server(member) == []
    else:
        assert entry.state == RUNNING and reopened.open_entry_from_closed_app() is None


def test_an_entry_started_from_the_cli_runs_without_a_heartbeat_and_is_not_offered(tracker):
    tracker.start("1001", heartbeat=False)
    assert Tracker(tracker.folder).open_entry_from_closed_app(now=clock.now() + timedelta(hours=1)) is None


def test_idle_time_left_out_cuts_the_entry_before_upload(tracker, member, tasks):
    started = this_morning(hours_ago=3)
    entry = tracker.start("2001", at=started)

    tracker.leave_out_idle(started + timedelta(minutes=40), back_at=started + timedelta(minutes=70))
    tracker.stop(at=started + timedelta(minutes=90))
    tracker.sync()

    rows = rows_on_server(member)
    assert [(row.started_at - started, row.ended_at - started) for row in rows] == [
        (timedelta(0), timedelta(minutes=40)),
        (timedelta(minutes=70), timedelta(minutes=90)),
    ]
    assert str(rows[0].client_id) == entry.client_id and rows[1].task == tasks["push"]
    assert tracker.journal.get(entry.client_id).state == UPLOADED
