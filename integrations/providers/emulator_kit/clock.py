"""A clock the tests can hold still, and the ISO 8601 times the emulators read and print.

Real UTC time by default. Tests freeze or shift it so that timestamps written by mutations and
the filters that compare against them are predictable. Times are whole seconds, like the
providers' ISO dates, so a timestamp read from a response and sent back as a filter means
exactly that instant.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, frozen_at: datetime | None = None):
        self._lock = threading.Lock()
        self._frozen_at = as_utc(frozen_at) if frozen_at else None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            current = self._frozen_at or datetime.now(UTC) + self._offset
        return current.replace(microsecond=0)

    @property
    def is_frozen(self) -> bool:
        return self._frozen_at is not None

    def set(self, when: datetime) -> None:
        """Freeze the clock at `when` (naive datetimes are taken as UTC)."""
        with self._lock:
            self._frozen_at = as_utc(when)

    def advance(self, seconds: float = 0, **timedelta_kwargs) -> datetime:
        """Move time forward; a frozen clock stays frozen at the new instant."""
        step = timedelta(seconds=seconds, **timedelta_kwargs)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += step
            else:
                self._offset += step
        return self.now()

    def unfreeze(self) -> None:
        """Back to real time, without any offset."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)


def as_utc(when: datetime) -> datetime:
    """`when` in UTC; a naive datetime is taken as UTC already."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_iso(text: str) -> datetime:
    """ISO 8601 (`2025-04-25T16:00:00Z`, an offset, none = UTC, or a bare date), in UTC.

    Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        raise ValueError("empty timestamp")
    return as_utc(datetime.fromisoformat(text.replace("z", "Z")))


def format_iso(when: datetime) -> str:
    """`2025-04-25T16:00:00Z`: whole seconds, UTC."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def log_timestamp() -> str:
    """The real time now with milliseconds (`2025-04-25T16:00:00.123Z`), for logs of traffic."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
