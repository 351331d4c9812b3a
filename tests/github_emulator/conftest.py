"""Fixtures that run a real GitHub emulator on a free port and talk to it over HTTP.

Nothing here needs Django or a database. Without pytest-django, also skip the project conftest:
`python -m pytest tests/github_emulator -p no:django --confcutdir=tests/github_emulator`.
"""

from __future__ import annotations

import pytest

from integrations.providers.github.emulator import GitHubEmulatorServer, build_demo_state
from tests.emulator_kit.control_client import ControlClient

from .helpers import GitHubClient


@pytest.fixture
def github():
    """A fresh emulator with the demo data, per test."""
    with GitHubEmulatorServer(build_demo_state()) as server:
        yield server


@pytest.fixture
def api(github) -> GitHubClient:
    return GitHubClient(github)


@pytest.fixture
def enterprise_api(github) -> GitHubClient:
    return GitHubClient(github, github.enterprise_base_url)


@pytest.fixture
def control(github) -> ControlClient:
    return ControlClient(github)
