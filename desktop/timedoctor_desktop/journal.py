"""The local journal: every start and stop is written here, in SQLite, before anything is sent.

An entry's client id is chosen when it is created and never changes, so uploading it again is
harmless. States: `running` (one at most; its heartbeat is rewritten every few seconds so a crash
loses at most those seconds), `pending` (closed, waiting to upload), `uploaded` (the server has it:
`created` or `exists`), `conflict` and `rejected` (kept, with the server's code and message, until
the person dismisses them), `discarded` (dropped by the person; never sent).
"""

import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from . import clock

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    client_id TEXT PRIMARY KEY,
    task_id TEXT,
    task_title TEXT NOT NULL DEFAULT '',
    project_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    heartbeat_at TEXT,
    ended_at TEXT,
    state TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    server_id TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_running_entry ON entries (state) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS entries_by_state ON entries (state, started_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

RUNNING, PENDING, UPLOADED, CONFLICT, REJECTED, DISCARDED = (
    "running",
    "pending",
    "uploaded",
    "conflict",
    "rejected",
    "discarded",
)
NEEDS_ATTENTION = (CONFLICT, REJECTED)


@dataclass(frozen=True)
class Task:
    """What the journal keeps of a task: its id for the server, its title and project for people."""

    id: str | None
    title: str = ""
    project_name: str = ""


NO_TASK = Task(None, "No task")


@dataclass(frozen=True)
class Entry:
    client_id: str
    task_id: str | None
    task_title: str
    project_name: str
    note: str
    started_at: datetime
    heartbeat_at: datetime | None
    ended_at: datetime | None
    state: str
    code: str
    message: str
    server_id: str

    @classmethod
    def from_row(cls, row):
        return cls(
            row["client_id"],
            row["task_id"],
            row["task_title"],
            row["project_name"],
            row["note"],
            clock.from_text(row["started_at"]),
            clock.from_text(row["heartbeat_at"]),
            clock.from_text(row["ended_at"]),
            row["state"],
            row["code"],
            row["message"],
            row["server_id"],
        )

    def seconds(self, now):
        return ((self.ended_at or now) - self.started_at).total_seconds()

    def as_upload(self):
        """The entry as the batch endpoint takes it."""
        return {
            "client_id": self.client_id,
            "task": self.task_id,
            "started_at": clock.to_text(self.started_at),
            "ended_at": clock.to_text(self.ended_at),
            "note": self.note,
        }


class Journal:
    """One SQLite file. Each call opens its own connection, so threads and two app instances on
    the same file are safe: writes take SQLite's write lock (`BEGIN IMMEDIATE`)."""

    def __init__(self, path):
        self.path = str(path)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
        finally:
            connection.close()

    def _connect(self):
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA synchronous=FULL")  # a power cut keeps what was written
        return connection

    @contextmanager
    def _write(self):
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()

    @contextmanager
    def _read(self):
        connection = self._connect()
        try:
            yield connection
        finally:
            connection.close()

    # The running entry

    def running(self):
        with self._read() as db:
            row = db.execute("SELECT * FROM entries WHERE state = ?", (RUNNING,)).fetchone()
        return Entry.from_row(row) if row else None

    def start(self, task, at=None, *, note="", heartbeat=True):
        """Starts an entry on the task (or NO_TASK); a running one is stopped at the same instant.
        With heartbeat=False (the CLI) the entry runs without a process watching it."""
        at = at or clock.now()
        client_id = str(uuid.uuid4())
        with self._write() as db:
            self._stop(db, at)
            db.execute(
                "INSERT INTO entries (client_id, task_id, task_title, project_name, note, started_at, heartbeat_at,"
                " state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    client_id,
                    task.id,
                    task.title,
                    task.project_name,
                    note,
                    clock.to_text(at),
                    clock.to_text(at) if heartbeat else None,
                    RUNNING,
                    clock.to_text(clock.now()),
                ),
            )
        return self.get(client_id)

    def stop(self, at=None):
        """Closes the running entry at `at` (now); returns it, or None when nothing ran."""
        with self._write() as db:
            client_id = self._stop(db, at or clock.now())
        return self.get(client_id) if client_id else None

    def _stop(self, db, at):
        row = db.execute("SELECT client_id, started_at FROM entries WHERE state = ?", (RUNNING,)).fetchone()
        if row is None:
            return None
        ended = max(at, clock.from_text(row["started_at"]))
        state = PENDING if ended > clock.from_text(row["started_at"]) else DISCARDED  # zero seconds: nothing to keep
        db.execute(
            "UPDATE entries SET ended_at = ?, heartbeat_at = NULL, state = ?, updated_at = ? WHERE client_id = ?",
            (clock.to_text(ended), state, clock.to_text(clock.now()), row["client_id"]),
        )
        return row["client_id"]

    def heartbeat(self, at=None):
        """Writes down that the running entry is still running: a crash loses only the time since."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET heartbeat_at = ? WHERE state = ? AND heartbeat_at IS NOT NULL",
                (clock.to_text(at or clock.now()), RUNNING),
            )

    def adopt(self, at=None):
        """This process now watches the running entry (one started from the CLI gets a heartbeat)."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET heartbeat_at = ? WHERE state = ?", (clock.to_text(at or clock.now()), RUNNING)
            )

    def close_at_heartbeat(self):
        """Keeps an entry left open by a closed or crashed app, until its last heartbeat."""
        entry = self.running()
        if entry is None:
            return None
        return self.stop(entry.heartbeat_at or entry.started_at)

    def discard_running(self):
        with self._write() as db:
            db.execute(
                "UPDATE entries SET state = ?, ended_at = COALESCE(heartbeat_at, started_at), updated_at = ? "
                "WHERE state = ?",
                (DISCARDED, clock.to_text(clock.now()), RUNNING),
            )

    def leave_out_idle(self, idle_from, back_at=None):
        """The idle time does not count: the running entry ends where the idleness began and a new
        one on the same task starts now. Written before any upload, so the server sees the edit."""
        entry = self.running()
        if entry is None:
            return None
        back_at = back_at or clock.now()
        with self._write() as db:
            self._stop(db, max(idle_from, entry.started_at))
        task = Task(entry.task_id, entry.task_title, entry.project_name)
        return self.start(task, back_at, note=entry.note, heartbeat=entry.heartbeat_at is not None)

    # Uploads

    def get(self, client_id):
        with self._read() as db:
            row = db.execute("SELECT * FROM entries WHERE client_id = ?", (client_id,)).fetchone()
        return Entry.from_row(row) if row else None

    def pending(self, limit=500):
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM entries WHERE state = ? ORDER BY started_at LIMIT ?", (PENDING, limit)
            ).fetchall()
        return [Entry.from_row(row) for row in rows]

    def record_result(self, client_id, state, *, code="", message="", server_id=""):
        """The server's verdict on one uploaded entry. Only a pending entry changes: an answer that
        arrives late (another instance got there first) never undoes a newer state."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET state = ?, code = ?, message = ?, server_id = ?, updated_at = ? "
                "WHERE client_id = ? AND state = ?",
                (state, code, message, server_id, clock.to_text(clock.now()), client_id, PENDING),
            )

    def needs_attention(self):
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM entries WHERE state IN (?, ?) ORDER BY started_at", NEEDS_ATTENTION
            ).fetchall()
        return [Entry.from_row(row) for row in rows]

    def dismiss(self, client_id):
        """The person has read why the server refused an entry and lets it go."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET state = ?, updated_at = ? WHERE client_id = ? AND state IN (?, ?)",
                (DISCARDED, clock.to_text(clock.now()), client_id, *NEEDS_ATTENTION),
            )

    def count(self, state):
        with self._read() as db:
            return db.execute("SELECT COUNT(*) FROM entries WHERE state = ?", (state,)).fetchone()[0]

    def entries_since(self, since):
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM entries WHERE state != ? AND COALESCE(ended_at, '9999') > ? ORDER BY started_at",
                (DISCARDED, clock.to_text(since)),
            ).fetchall()
        return [Entry.from_row(row) for row in rows]

    def seconds_since(self, since, now=None):
        """Time tracked on this computer from `since` to now, the running entry included; entries the
        server refused do not count."""
        now = now or clock.now()
        total = 0.0
        for entry in self.entries_since(since):
            if entry.state in NEEDS_ATTENTION:
                continue
            total += max(0.0, ((entry.ended_at or now) - max(entry.started_at, since)).total_seconds())
        return total

    # Small settings and sync state

    def get_meta(self, key, default=None):
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, **values):
        with self._write() as db:
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(key, str(value)) for key, value in values.items()],
            )
