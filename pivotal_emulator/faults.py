"""Fault injection: make the emulator misbehave the ways a real API can, on purpose.

A rule names a kind, an optional path pattern and method, and a count. The first rule that
matches a request fires, is used up once, and disappears after `count` firings. Kinds:

- `status`      answer with an error status (500, 502, 503...) and a Tracker-style error body
- `rate_limit`  answer 429 with a `Retry-After: <retry_after>` header ("429" is accepted too)
- `delay`       wait `seconds`, then answer normally (to trigger client timeouts)
- `malformed`   answer 200 with a body that is not valid JSON
- `drop`        close the connection without any answer

Patterns are shell-style (`fnmatch`): `*`, `/projects/*/stories`, `/services/v5/me`. They are
matched against the path with and without the `/services/v5` prefix; query strings are ignored.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase

API_PREFIX = "/services/v5"
FAULT_KINDS = ("status", "rate_limit", "delay", "malformed", "drop")
KIND_ALIASES = {"429": "rate_limit", "error": "status", "slow": "delay", "timeout": "delay"}
MAX_DELAY_SECONDS = 120


class DropConnection(Exception):
    """Raised by the application to ask the server to hang up without answering."""


@dataclass
class FaultRule:
    id: int
    kind: str
    path: str = "*"
    method: str | None = None
    count: int = 1
    status: int | None = None
    retry_after: int | None = None
    seconds: float | None = None
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        relative = path[len(API_PREFIX):] if path.startswith(API_PREFIX) else path
        return fnmatchcase(path, self.path) or fnmatchcase(relative or "/", self.path)

    def as_json(self) -> dict:
        data = asdict(self)
        data["remaining"] = self.count - self.fired
        return {key: value for key, value in data.items() if value is not None}


class FaultInjector:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next_id = 1

    def add(
        self,
        kind: str,
        *,
        path: str = "*",
        method: str | None = None,
        count: int = 1,
        status: int | None = None,
        retry_after: int | None = None,
        seconds: float | None = None,
    ) -> FaultRule:
        """Queue a fault; raises ValueError for anything that would not make sense."""
        kind = KIND_ALIASES.get(str(kind), str(kind))
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError("count must be a positive integer")
        if not isinstance(path, str) or not path:
            raise ValueError("path must be a non-empty pattern")
        if kind == "status":
            status = 500 if status is None else status
            if not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError("status must be an HTTP error status (400-599)")
        elif status is not None:
            raise ValueError(f"status does not apply to {kind} faults")
        if kind == "rate_limit" or status == 429:
            retry_after = 1 if retry_after is None else retry_after
            if not isinstance(retry_after, int) or retry_after < 0:
                raise ValueError("retry_after must be a whole number of seconds >= 0")
        elif retry_after is not None:
            raise ValueError(f"retry_after does not apply to {kind} faults")
        if kind == "delay":
            seconds = 1.0 if seconds is None else seconds
            if not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_DELAY_SECONDS:
                raise ValueError(f"seconds must be between 0 and {MAX_DELAY_SECONDS}")
        elif seconds is not None:
            raise ValueError(f"seconds does not apply to {kind} faults")
        with self._lock:
            rule = FaultRule(self._next_id, kind, path, method, count, status, retry_after, seconds)
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """The fault this request gets, if any; using it up counts one firing."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.fired += 1
                    if rule.fired >= rule.count:
                        self._rules.remove(rule)
                    return rule
        return None

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> int:
        with self._lock:
            cleared = len(self._rules)
            self._rules.clear()
        return cleared
