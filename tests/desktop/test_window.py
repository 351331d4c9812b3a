"""The window, driven offscreen against the live server: start, switch task, stop; an entry left
open by a crash; idle time. Saves a screenshot for the README."""

import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6 import QtWidgets  # noqa: E402  (pinned in the lock file: a missing Qt library fails here)
from timedoctor_desktop import clock  # noqa: E402
from timedoctor_desktop.core import Tracker  # noqa: E402
from timedoctor_desktop.gui.app import make_window  # noqa: E402
from timedoctor_desktop.journal import UPLOADED  # noqa: E402

from tests.desktop.helpers import rows_on_server  # noqa: E402

# Serial: the window's timers and uploads run on the real clock and wait for it.
pytestmark = [pytest.mark.desktop, pytest.mark.serial]
PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_DIR / "var" / "screenshots" / "desktop"


@pytest.fixture(scope="module")
def qt_app():
    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


@pytest.fixture
def window(qt_app, tracker):
    shown = make_window(tracker, qt_app)
    shown.show()
    yield shown
    for timer in shown.timers:
        timer.stop()
    wait_until(lambda: not shown.background.busy)
    shown.close()
    shown.deleteLater()


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QtWidgets.QApplication.processEvents()
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def pass_time(seconds):
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end)


class InputIdleFor:
    """Stands in for the operating system's input clock: idle for as long as the test says."""

    available, reason = True, ""

    def __init__(self):
        self.seconds = 0.0

    def idle_seconds(self):
        return self.seconds


def test_start_switch_task_and_stop_in_the_window_upload_two_entries(window, member, tasks):
    assert [window.task_tree.topLevelItem(i).text(0) for i in range(window.task_tree.topLevelItemCount())] == [
        "Mobile",
        "Web App",
    ]
    window.select_task(str(tasks["csv"].code))
    assert "Open story #1001 in the tracker" in window.story_link.text()
    window.toggle.click()
    assert window.toggle.text() == "Stop" and "Export CSV" in window.current.text()
    pass_time(1.2)

    window.search.setText("push")
    assert window.task_tree.topLevelItemCount() == 1  # only Mobile matches
    window.select_task(str(tasks["push"].code))
    assert window.switch.isEnabled()
    window.switch.click()
    pass_time(1.2)
    window.toggle.click()

    wait_until(lambda: window.tracker.journal.count(UPLOADED) == 2 and not window.background.busy)
    window.refresh()
    assert window.toggle.text() == "Start"
    assert "everything uploaded · last synced just now" in window.sync_status.text()
    rows = rows_on_server(member)
    assert [row.task for row in rows] == [tasks["csv"], tasks["push"]]
    assert rows[0].ended_at == rows[1].started_at

    window.tracker.start("1002", at=clock.now() - timedelta(minutes=50))  # earlier today, for the picture
    window.tracker.stop(at=clock.now() - timedelta(minutes=5))
    window.search.clear()
    window.select_task(str(tasks["csv"].code))
    window.toggle.click()
    wait_until(lambda: window.tracker.journal.count(UPLOADED) == 3 and not window.background.busy)
    pass_time(2.1)
    window.refresh()
    assert window.clock.text() in ("0:00:02", "0:00:03")
    assert window.today.text().startswith("Today: ")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "main-window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        (PROJECT_DIR / "docs").mkdir(exist_ok=True)
        shutil.copy(shot, PROJECT_DIR / "docs" / "desktop-app.png")


def test_the_window_shows_the_upload_state_offline(window, server, tasks):
    server.stop()
    window.select_task(str(tasks["login"].code))
    window.toggle.click()
    pass_time(1.1)
    window.toggle.click()

    wait_until(lambda: "offline" in window.sync_status.text() and not window.background.busy)
    assert "offline · 1 entry waiting to upload" in window.sync_status.text()
    server.start()


def test_after_a_crash_the_window_offers_the_open_entry(qt_app, tracker, member, tasks):
    started = clock.now() - timedelta(hours=1)
    tracker.start("1002", at=started)
    tracker.journal.heartbeat(started + timedelta(minutes=20))  # then the app was killed

    window = make_window(Tracker(tracker.folder, heartbeat_seconds=5), qt_app)
    box = window.offer_recovery()
    assert "Fix the login page" in box.text() and box.keep.text().startswith("Keep until")
    box.keep.click()

    wait_until(lambda: window.tracker.journal.count(UPLOADED) == 1 and not window.background.busy)
    [row] = rows_on_server(member)
    assert row.ended_at - row.started_at == timedelta(minutes=20)
    for timer in window.timers:
        timer.stop()


def test_idle_time_is_asked_about_on_return_and_left_out_when_it_does_not_count(qt_app, tracker, tasks):
    idle = InputIdleFor()
    window = make_window(tracker, qt_app, idle_detector=idle, idle_threshold=timedelta(minutes=5))
    entry = window.tracker.start("2001", at=clock.now() - timedelta(minutes=30))
    idle.seconds = 600
    assert window.check_idle() is None  # still away: nothing to ask yet
    idle.seconds = 1
    box = window.check_idle()
    assert "Does that time count?" in box.informativeText() and "(9 min)" in box.text()

    box.leave_out.click()

    cut = window.tracker.journal.get(entry.client_id)
    assert cut.state in ("pending", UPLOADED) and cut.ended_at <= clock.now() - timedelta(minutes=9)
    assert window.tracker.journal.running().task_title == "Push notifications"
    assert window.idle_status.text() == ""
    for timer in window.timers:
        timer.stop()
    wait_until(lambda: not window.background.busy)


def test_without_an_input_clock_the_window_says_idle_detection_is_unavailable(window):
    if window.idle.available:
        pytest.skip("this session has an X11 display")
    assert window.idle_status.text().startswith("idle detection unavailable on this platform")


def test_signing_in_from_the_window_checks_the_token_with_the_server(qt_app, tmp_path, server, app_token, tasks):
    from timedoctor_desktop.gui.dialogs import SignInDialog

    dialog = SignInDialog(Tracker(tmp_path / "fresh"))
    dialog.server.setText(server.url)
    dialog.token.setText("tdk_not-a-real-token")
    dialog.sign_in()
    assert "unknown or was revoked" in dialog.problem.text() and not dialog.result()

    dialog.token.setText(app_token)
    dialog.sign_in()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert dialog.tracker.me["company"]["name"] == "Acme Corp"


def test_the_tray_icon_shows_the_running_task_and_starts_and_stops_it(qt_app, tracker, tasks):
    from timedoctor_desktop.gui.tray import Tray
    from timedoctor_desktop.gui.window import MainWindow

    tray = Tray(qt_app)  # built even where the platform (here: offscreen) shows no tray
    window = MainWindow(tracker, tray=tray)
    tray.attach(window)
    window.select_task(str(tasks["push"].code))

    tray.toggle.trigger()
    assert tray.toggle.text() == "Stop" and tray.toolTip().startswith("Timedoctor: Push notifications 0:00:0")
    tray.toggle.trigger()
    assert tray.toggle.text() == "Start" and tray.toolTip() == "Timedoctor: not tracking"
    for timer in window.timers:
        timer.stop()
    wait_until(lambda: not window.background.busy)
