"""The app's one entry point for the CLI and the window: signed-in server, journal, task cache,
uploads and the words that describe their state."""

import json
from dataclasses import dataclass
from datetime import timedelta

from . import clock, paths
from .api import ApiClient, NotSignedIn, normalise_server_url
from .journal import NO_TASK, PENDING, Journal, Task
from .reasons import in_words
from .sync import upload_pending
from .task_cache import TaskCache
from .tokens import TokenStore

CONFIG_NAME = "config.json"
JOURNAL_NAME = "journal.sqlite3"
HEARTBEAT_SECONDS = 30


class UnknownTask(Exception):
    pass


@dataclass(frozen=True)
class Status:
    running: object
    today_seconds: float
    waiting: int
    attention: list
    last_synced_at: object
    offline: bool
    error: str

    def sync_text(self, now=None):
        """E.g. "offline · 3 entries waiting to upload · last synced 2 min ago"."""
        now = now or clock.now()
        parts = ["offline"] if self.offline else []
        if self.error and not self.offline:
            parts.append(f"upload failed: {self.error}")
        parts.append(
            _plural(self.waiting, "entry", "entries") + " waiting to upload" if self.waiting else "everything uploaded"
        )
        if self.attention:
            parts.append(_plural(len(self.attention), "entry needs", "entries need") + " your attention")
        parts.append(_synced_text(self.last_synced_at, now))
        return " · ".join(parts)


class Tracker:
    def __init__(self, folder=None, *, heartbeat_seconds=HEARTBEAT_SECONDS):
        self.folder = paths.data_dir(folder)
        self.journal = Journal(self.folder / JOURNAL_NAME)
        self.tasks = TaskCache(self.journal)
        self.heartbeat_seconds = heartbeat_seconds

    # Signing in

    @property
    def config(self):
        path = self.folder / CONFIG_NAME
        return json.loads(path.read_text()) if path.exists() else {}

    @property
    def server_url(self):
        return self.config.get("server_url")

    def sign_in(self, server_url, token):
        """Checks the token against the server, then keeps both. Returns (me, where the token is kept)."""
        server_url = normalise_server_url(server_url)
        me = ApiClient(server_url, token).me()
        (self.folder / CONFIG_NAME).write_text(json.dumps({**self.config, "server_url": server_url}))
        kept = TokenStore(self.folder, server_url).save(token)
        self.journal.set_meta(me=json.dumps(me))
        return me, kept

    def sign_out(self):
        if self.server_url:
            TokenStore(self.folder, self.server_url).forget()

    @property
    def me(self):
        return json.loads(self.journal.get_meta("me", "null"))

    def client(self):
        token = TokenStore(self.folder, self.server_url).load() if self.server_url else None
        if not token:
            raise NotSignedIn("Not signed in: run `timedoctor-desktop signin` with an app token.")
        return ApiClient(self.server_url, token)

    # Tasks and the timer: the journal first, the network later

    def refresh_tasks(self):
        return self.tasks.refresh(self.client())

    def task(self, reference):
        """A task of the cached list by its id or its tracker id (a story number); None: no task."""
        if reference in (None, "", "none"):
            return NO_TASK
        for project in self.tasks.projects:
            for task in project["tasks"]:
                if reference in (task["id"], task.get("external_id"), "#" + str(task.get("external_id"))):
                    return Task(task["id"], task["title"], project["name"])
        raise UnknownTask(f"No task {reference!r} in your task list (run `timedoctor-desktop tasks`).")

    def start(self, reference=None, *, note="", heartbeat=True, at=None):
        """Starts (or switches to) a task; the running entry, if any, stops at the same instant."""
        return self.journal.start(self.task(reference), at, note=note, heartbeat=heartbeat)

    def stop(self, at=None):
        return self.journal.stop(at)

    def heartbeat(self):
        self.journal.heartbeat()

    def open_entry_from_closed_app(self, now=None):
        """A running entry whose app stopped writing its heartbeat (closed, crashed, power cut)."""
        entry = self.journal.running()
        if entry is None or entry.heartbeat_at is None:
            return None
        stale = (now or clock.now()) - entry.heartbeat_at > timedelta(seconds=3 * self.heartbeat_seconds)
        return entry if stale else None

    def recover(self, choice):
        """What to do with an entry left open: "keep" it until its last heartbeat, "discard" it, or
        "resume" it (it keeps running, the time while the app was closed included)."""
        if choice == "keep":
            return self.journal.close_at_heartbeat()
        if choice == "discard":
            return self.journal.discard_running()
        if choice == "resume":
            return self.journal.adopt()
        raise ValueError(choice)

    def leave_out_idle(self, idle_from, back_at=None):
        return self.journal.leave_out_idle(idle_from, back_at)

    # Uploads and status

    def sync(self, **options):
        return upload_pending(self.journal, self.client(), **options)

    def status(self, now=None):
        now = now or clock.now()
        journal = self.journal
        return Status(
            journal.running(),
            journal.seconds_since(clock.start_of_local_day(now), now),
            journal.count(PENDING),
            journal.needs_attention(),
            clock.from_text(journal.get_meta("last_synced_at")),
            journal.get_meta("sync_offline") == "1",
            journal.get_meta("sync_error", ""),
        )


def describe_refusal(entry):
    """One line for an entry the server refused: when, what, and why in words."""
    when = entry.started_at.astimezone().strftime("%a %d %b %H:%M")
    until = entry.ended_at.astimezone().strftime("%H:%M") if entry.ended_at else "…"
    what = entry.task_title or "No task"
    return f"{when}–{until} {what}: {in_words(entry.code, entry.message)}"


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def _synced_text(last, now):
    if last is None:
        return "never synced"
    minutes = int((now - last).total_seconds() // 60)
    if minutes < 1:
        return "last synced just now"
    if minutes < 60:
        return f"last synced {minutes} min ago"
    if minutes < 48 * 60:
        return f"last synced {minutes // 60} h ago"
    return f"last synced on {last.astimezone():%d %b}"
