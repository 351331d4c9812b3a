"""The one re-entrant lock an emulator's in-memory data lives under, and the clock it keeps.

The HTTP threads hold `state.lock` while they read, and every mutation takes it (`@locked`), so
a request never sees half a change.
"""

from __future__ import annotations

import functools
import threading
from datetime import datetime

from .clock import Clock


def locked(method):
    """Run the method while holding `self.lock`."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


class LockedState:
    kept_on_replace: tuple[str, ...] = ("lock",)  # attributes `replace_with` leaves alone

    def __init__(self, clock: Clock | None = None):
        self.lock = threading.RLock()
        self.clock = clock or Clock()

    def now(self) -> datetime:
        return self.clock.now()

    @locked
    def replace_with(self, other: LockedState) -> None:
        """Take over another state's data in place (the server keeps its reference to this one)."""
        with other.lock:
            for name, value in vars(other).items():
                if name not in self.kept_on_replace:
                    setattr(self, name, value)
