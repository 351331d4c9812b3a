"""Fixtures that run a real emulator on a free port and talk to it over HTTP with `requests`.

Nothing here touches Django. Without pytest-django, also skip the project-level conftest:
`python -m pytest tests/emulator -p no:django --confcutdir=tests/emulator`.
"""

from __future__ import annotations

import pytest

from integrations.providers.pivotal.emulator import EmulatorServer, build_demo_state, build_large_state
from tests.emulator_kit.control_client import ControlClient

from .helpers import TrackerClient


@pytest.fixture
def emulator():
    """A fresh emulator with the demo data, per test (building it takes ~2 ms)."""
    with EmulatorServer(build_demo_state()) as server:
        yield server


@pytest.fixture
def tracker(emulator) -> TrackerClient:
    return TrackerClient(emulator)


@pytest.fixture
def control(emulator) -> ControlClient:
    return ControlClient(emulator)


@pytest.fixture(scope="module")
def large_tracker():
    """2,000 stories per project, shared by a module's read-only pagination tests."""
    with EmulatorServer(build_large_state(stories_per_project=2000)) as server:
        yield TrackerClient(server)
