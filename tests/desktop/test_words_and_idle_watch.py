"""What the person reads: the upload status, the server's codes in words; when idle time is asked
about; where the token goes when the OS has a keyring."""

from datetime import UTC, datetime, timedelta

import keyring
from keyring.backend import KeyringBackend
from timedoctor_desktop.core import Status
from timedoctor_desktop.idle import UNAVAILABLE, IdleDetector, IdleWatch
from timedoctor_desktop.reasons import in_words
from timedoctor_desktop.tokens import TokenStore

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def status(**changes):
    return Status(
        **{
            "running": None,
            "today_seconds": 0,
            "waiting": 0,
            "attention": [],
            "last_synced_at": None,
            "offline": False,
            "error": "",
            **changes,
        }
    )


def test_the_sync_status_says_what_waits_and_when_it_last_synced():
    assert status(waiting=3, last_synced_at=NOW - timedelta(minutes=2)).sync_text(NOW) == (
        "3 entries waiting to upload · last synced 2 min ago"
    )
    assert status(waiting=1, offline=True, last_synced_at=NOW - timedelta(hours=3)).sync_text(NOW) == (
        "offline · 1 entry waiting to upload · last synced 3 h ago"
    )
    assert status(attention=["x", "y"], last_synced_at=NOW).sync_text(NOW) == (
        "everything uploaded · 2 entries need your attention · last synced just now"
    )
    assert status().sync_text(NOW) == "everything uploaded · never synced"


def test_every_code_of_the_server_reads_as_words():
    assert in_words("overlap").startswith("It overlaps time you already tracked")
    assert in_words("task_not_assigned") == "Its task was never assigned to you."
    assert in_words("a_code_from_a_newer_server", "The server's own words.") == "The server's own words."


def test_idle_time_is_asked_about_once_the_person_is_back():
    watch = IdleWatch(threshold=timedelta(minutes=5))
    assert watch.observe(60, NOW) is None  # a minute without input: nothing
    assert watch.observe(400, NOW) is None  # away for good: wait until they are back
    assert watch.observe(1000, NOW + timedelta(minutes=10)) is None
    spell = watch.observe(2, NOW + timedelta(minutes=20))
    assert spell.started_at == NOW - timedelta(seconds=400)
    assert spell.ended_at == NOW + timedelta(minutes=20, seconds=-2)
    assert watch.observe(2, NOW + timedelta(minutes=21)) is None  # asked once
    assert watch.observe(None, NOW) is None  # no input clock: never asks


def test_without_an_x11_display_idle_detection_says_it_is_unavailable(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    detector = IdleDetector()
    assert not detector.available and detector.idle_seconds() is None
    assert detector.reason.startswith(UNAVAILABLE)


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring service (Secret Service, Keychain, Credential Locker)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.passwords = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


def test_with_an_os_keyring_the_token_goes_there_and_no_file_is_written(tmp_path):
    os_keyring = MemoryKeyring()
    keyring.set_keyring(os_keyring)
    store = TokenStore(tmp_path, "https://time.example.com")

    assert store.save("tdk_secret") == "keyring"

    assert os_keyring.passwords == {("timedoctor-desktop", "https://time.example.com"): "tdk_secret"}
    assert not (tmp_path / "app-token").exists() and store.load() == "tdk_secret"
    store.forget()
    assert store.load() is None
