"""A bounded log of the API requests the emulator answered, so tests can count calls per sync.

It keeps method, path, the query parameters minus any `token`, status, the caller's person id
and the fault that fired. Credentials never enter it: not the `X-TrackerToken` header, not the
`?token=` parameter.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime

MAX_ENTRIES = 10_000
SECRET_PARAMETERS = frozenset({"token", "api_token", "password"})


def without_secrets(params: dict) -> dict:
    return {key: value for key, value in params.items() if key.lower() not in SECRET_PARAMETERS}


class RequestLog:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=max_entries)

    def record(
        self,
        method: str,
        path: str,
        params: dict,
        status: int | None,
        *,
        person_id: int | None = None,
        fault: str | None = None,
    ) -> None:
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": method,
            "path": path,
            "query": without_secrets(params),
            "status": status,
        }
        if person_id is not None:
            entry["person_id"] = person_id
        if fault is not None:
            entry["fault"] = fault
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
