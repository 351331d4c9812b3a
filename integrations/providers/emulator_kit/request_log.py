"""A bounded log of the API requests an emulator answered, so tests can count calls per sync.

Each entry keeps the time, method, path, the query parameters minus the secret ones, the status
(None when the connection was dropped), who called (`person_id=`, `login=`: whatever the
emulator passes) and the fault that fired. Credentials never enter it: the emulators log no
headers, and `secret_parameters` (compared in lower case) are left out of the query.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Mapping

from .clock import log_timestamp

MAX_ENTRIES = 10_000


class RequestLog:
    secret_parameters: frozenset[str] = frozenset({"token", "password"})

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=max_entries)

    def without_secrets(self, query: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict:
        pairs = query.items() if isinstance(query, Mapping) else query
        return {key: value for key, value in pairs if key.lower() not in self.secret_parameters}

    def record(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | Iterable[tuple[str, str]],
        status: int | None,
        *,
        fault: str | None = None,
        **caller,
    ) -> dict:
        """Log one answered request; `caller` names who asked (values that are None are left out)."""
        entry = {
            "at": log_timestamp(),
            "method": method,
            "path": path,
            "query": self.without_secrets(query),
            "status": status,
        }
        entry.update((key, value) for key, value in caller.items() if value is not None)
        if fault is not None:
            entry["fault"] = fault
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
