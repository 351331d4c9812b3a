"""A clock the tests can hold still.

Real UTC time by default. Tests freeze or shift it so that `updated_after`, `occurred_after` and
the timestamps written by mutations are predictable. Times are whole seconds, like Tracker's
ISO dates, so a timestamp read from a response and sent back as `updated_after` means exactly
that instant.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, frozen_at: datetime | None = None):
        self._lock = threading.Lock()
        self._frozen_at = _as_utc(frozen_at) if frozen_at else None
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
            self._frozen_at = _as_utc(when)

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


def _as_utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
