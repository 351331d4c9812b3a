"""Idle time read from a real X server (Debian's `xvfb`) through the screensaver extension."""

import os
import shutil
import subprocess
import time

import pytest
from timedoctor_desktop.idle import IdleDetector

pytestmark = [pytest.mark.desktop, pytest.mark.serial]


@pytest.fixture
def x_display(monkeypatch):
    if shutil.which("Xvfb") is None:
        message = "needs Debian's xvfb package (apt-get install xvfb; .ci/run installs it)"
        if os.environ.get("CI"):  # CI installs it: missing there is a failure, never a silent skip
            pytest.fail(message)
        pytest.skip(message)
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    monkeypatch.setenv("DISPLAY", display)
    deadline = time.monotonic() + 20
    while not os.path.exists(f"/tmp/.X11-unix/X{display[1:]}") and time.monotonic() < deadline:
        time.sleep(0.05)
    yield display
    server.terminate()
    server.wait(timeout=10)


def test_the_time_without_input_is_read_from_the_x_server(x_display):
    detector = IdleDetector()
    assert detector.available, detector.reason

    first = detector.idle_seconds()
    time.sleep(1.2)
    later = detector.idle_seconds()

    assert first >= 0 and later - first >= 1  # nobody touches this screen: idle time grows
