"""Signing in with an app token, and a start and stop while the server is up."""

import os
import stat
import time
from datetime import timedelta

from timedoctor_desktop.cli import main
from timedoctor_desktop.core import Tracker
from timedoctor_desktop.journal import UPLOADED

from tests.desktop.helpers import rows_on_server, this_morning
from tracking.models import TimeEntry


def test_sign_in_keeps_the_token_in_a_file_only_its_owner_can_read(tmp_path, server, app_token, tasks, capsys):
    folder = tmp_path / "app"

    assert main(["--data-dir", str(folder), "signin", "--server", server.url, "--token", app_token]) == 0

    said = capsys.readouterr().out
    assert "Signed in as Ana Ruiz (Acme Corp)" in said and "Tasks: updated" in said
    token_file = folder / "app-token"
    assert token_file.read_text() == app_token
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600


def test_a_revoked_token_is_told_to_sign_in_again(tmp_path, server, member, app_token, tasks, capsys):
    folder = str(tmp_path / "app")
    main(["--data-dir", folder, "signin", "--server", server.url, "--token", app_token])
    member.app_tokens.update(revoked_at="2026-01-01T00:00:00Z")

    assert main(["--data-dir", folder, "tasks"]) == 1
    assert "unknown or was revoked" in capsys.readouterr().err


def test_start_and_stop_online_upload_one_desktop_entry_on_the_task(tmp_path, server, member, app_token, tasks, capsys):
    folder = str(tmp_path / "app")
    main(["--data-dir", folder, "signin", "--server", server.url, "--token", app_token])

    assert main(["--data-dir", folder, "start", "1001"]) == 0
    assert main(["--data-dir", folder, "status"]) == 0
    assert "Running: Export CSV" in capsys.readouterr().out
    assert rows_on_server(member) == []  # a running entry lives in the journal until it stops
    time.sleep(1.1)  # the journal counts whole seconds
    assert main(["--data-dir", folder, "stop"]) == 0

    said = capsys.readouterr().out
    assert "Uploaded 1 (1 new, 0 already there); 0 conflicts, 0 rejected." in said
    [row] = rows_on_server(member)
    journal_entry = Tracker(folder).journal.get(str(row.client_id))
    assert journal_entry.state == UPLOADED and journal_entry.server_id == str(row.code)
    assert (row.task, row.source) == (tasks["csv"], TimeEntry.Source.DESKTOP)
    assert (row.started_at, row.ended_at) == (journal_entry.started_at, journal_entry.ended_at)


def test_switching_task_stops_the_first_at_the_instant_the_second_starts(tracker, member, tasks):
    started = this_morning(hours_ago=1)
    first = tracker.start("1001", at=started)
    second = tracker.start("2001", at=started + timedelta(minutes=20))
    tracker.stop(at=started + timedelta(minutes=50))

    report = tracker.sync()

    assert report.created == 2
    rows = rows_on_server(member)
    assert [row.task for row in rows] == [tasks["csv"], tasks["push"]]
    assert rows[0].ended_at == rows[1].started_at
    assert {str(row.client_id) for row in rows} == {first.client_id, second.client_id}
