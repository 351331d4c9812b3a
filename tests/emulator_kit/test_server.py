"""The background server: a free port, a named thread, dropped connections, a clean stop."""

from __future__ import annotations

import threading

import pytest
import requests

from .conftest import NotesServer

HTTP_TIMEOUT = 5


def test_it_serves_the_app_on_a_free_port_from_a_named_thread(notes):
    response = requests.get(notes.root_url + "/api/notes", timeout=HTTP_TIMEOUT)

    assert response.json() == {"notes": ["first"]}
    assert notes.control_url == notes.root_url + "/__emulator__"
    assert any(thread.name == f"notes-emulator-{notes.port}" for thread in threading.enumerate())


def test_a_drop_fault_closes_the_connection_without_an_answer(notes):
    notes.app.faults.add("drop")

    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(notes.root_url + "/api/notes", timeout=HTTP_TIMEOUT)
    assert requests.get(notes.root_url + "/api/notes", timeout=HTTP_TIMEOUT).status_code == 200


def test_a_delayed_answer_does_not_hold_up_other_requests(notes):
    notes.app.faults.add("delay", seconds=2, path="/notes")
    slow = threading.Thread(target=lambda: requests.get(notes.root_url + "/api/notes", timeout=HTTP_TIMEOUT))
    slow.start()

    fast = requests.get(notes.root_url + "/api/other", timeout=1)

    assert fast.status_code == 200
    slow.join()


def test_the_port_is_only_known_while_running_and_stop_can_be_called_twice():
    server = NotesServer()
    with pytest.raises(RuntimeError):
        _ = server.port

    server.start()
    assert server.is_running
    with pytest.raises(RuntimeError):
        server.start()
    server.stop()
    server.stop()

    assert not server.is_running
