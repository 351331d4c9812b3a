"""The desktop app against a live server: real HTTP, the real database, a real app token."""

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from timedoctor_desktop.core import Tracker

from tests.desktop.server import RestartableServer
from tests.tracking.api_helpers import make_task
from tracking.services.app_tokens import create_app_token


@pytest.fixture(autouse=True)
def no_os_keyring():
    """This machine has no keyring service: the token goes to the 0600 file, as on a bare server."""
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def server(transactional_db):
    running = RestartableServer().start()
    yield running
    running.stop()


@pytest.fixture
def tasks(member):
    return {
        "csv": make_task(member, "Export CSV", project_name="Web App", external_id="1001"),
        "login": make_task(member, "Fix the login page", project_name="Web App", external_id="1002"),
        "push": make_task(member, "Push notifications", project_name="Mobile", external_id="2001"),
    }


@pytest.fixture
def app_token(member):
    return create_app_token(member, "Laptop")[1]


@pytest.fixture
def make_tracker(tmp_path, server, app_token, tasks):
    """A signed-in app with its own data folder (its own journal), its task list fetched."""

    def make(name="laptop", *, sign_in=True):
        tracker = Tracker(tmp_path / name, heartbeat_seconds=5)
        if sign_in:
            tracker.sign_in(server.url, app_token)
            tracker.refresh_tasks()
        return tracker

    return make


@pytest.fixture
def tracker(make_tracker):
    return make_tracker()
