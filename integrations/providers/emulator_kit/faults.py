"""Fault injection: make an emulator misbehave the ways a real API can, on purpose.

A rule names a kind, an optional path pattern and method, and a count. The first rule that
matches a request fires, is used up once, and disappears after `count` firings.

What a kind does to the answer is the emulator's business; the kit keeps the registry: each
`FaultKind` has a name, other names it answers to, and the options it takes with their
defaults. An emulator lists its kinds on its `FaultInjector` subclass. The options are always
these (None means "not set"):

- `status`       the error status to answer with (400-599)
- `retry_after`  seconds for a `Retry-After` header (a whole number >= 0)
- `reset_in`     seconds until a rate-limit window resets (a whole number >= 0)
- `seconds`      how long to wait before answering (0-120)

The kinds below mean the same in every emulator: `status` (an error answer in the API's own
error shape), `delay` (wait, then answer normally, to trigger client timeouts), `malformed`
(200 with a body that is not valid JSON) and `drop` (the application raises `DropConnection`;
the kit's server then closes the connection without any answer).

Patterns are shell-style (`fnmatch`, where `*` also spans slashes): `*`, `/projects/*/stories`.
They are matched against the path as sent and against the path below the injector's
`api_prefix`; query strings are ignored.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from types import MappingProxyType

from .web import split_prefix

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
    reset_in: int | None = None
    seconds: float | None = None
    fired: int = 0

    def matches(self, method: str, path: str, api_prefix: str = "") -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        relative = split_prefix(path, api_prefix)[1]
        return fnmatchcase(path, self.path) or fnmatchcase(relative, self.path)

    def as_json(self) -> dict:
        data = asdict(self)
        data["remaining"] = self.count - self.fired
        return {key: value for key, value in data.items() if value is not None}


OPTION_NAMES = ("status", "retry_after", "reset_in", "seconds")


@dataclass(frozen=True)
class FaultKind:
    """One way to misbehave. `options` maps the options it takes to their defaults; `finish`,
    if given, applies a rule of this kind to the checked options (or raises ValueError)."""

    name: str
    options: Mapping[str, object] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    finish: Callable[[dict], None] | None = None

    def __post_init__(self):
        unknown = set(self.options) - set(OPTION_NAMES)
        if unknown:
            raise TypeError(f"fault options are {', '.join(OPTION_NAMES)}, not {', '.join(sorted(unknown))}")
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    def with_aliases(self, *aliases: str) -> FaultKind:
        return dataclasses.replace(self, aliases=aliases)


STATUS = FaultKind("status", {"status": 500})
DELAY = FaultKind("delay", {"seconds": 1.0})
MALFORMED = FaultKind("malformed")
DROP = FaultKind("drop")


class FaultInjector:
    """The fault rules of one emulator. Subclasses set `kinds` (in the order error messages
    list them) and `api_prefix` (a path root that patterns may leave out)."""

    kinds: tuple[FaultKind, ...] = (STATUS, DELAY, MALFORMED, DROP)
    api_prefix: str = ""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self._kinds_by_name = {name: kind for kind in self.kinds for name in (kind.name, *kind.aliases)}

    @classmethod
    def kind_names(cls) -> tuple[str, ...]:
        return tuple(kind.name for kind in cls.kinds)

    @classmethod
    def option_names(cls) -> set[str]:
        """What a rule may set besides its kind: the matching and counting, and every option a kind takes."""
        return {"path", "method", "count"}.union(*(kind.options for kind in cls.kinds))

    def add(
        self,
        kind: str,
        *,
        path: str = "*",
        method: str | None = None,
        count: int = 1,
        status: int | None = None,
        retry_after: int | None = None,
        reset_in: int | None = None,
        seconds: float | None = None,
    ) -> FaultRule:
        """Queue a fault; raises ValueError for anything that would not make sense."""
        fault_kind = self._kinds_by_name.get(str(kind))
        if fault_kind is None:
            raise ValueError(f"kind must be one of {', '.join(self.kind_names())}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError("count must be a positive integer")
        if not isinstance(path, str) or not path:
            raise ValueError("path must be a non-empty pattern")
        options = _options(fault_kind, status=status, retry_after=retry_after, reset_in=reset_in, seconds=seconds)
        with self._lock:
            rule = FaultRule(self._next_id, fault_kind.name, path, method, count, **options)
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """The fault this request gets, if any; using it up counts one firing."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path, self.api_prefix):
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


def _options(kind: FaultKind, **given) -> dict:
    """The kind's options: given values over defaults, each checked, then the kind's own rule."""
    for name, value in given.items():
        if value is not None and name not in kind.options:
            raise ValueError(f"{name} does not apply to {kind.name} faults")
    values = {name: default if given[name] is None else given[name] for name, default in kind.options.items()}
    for name, value in values.items():
        if value is not None:
            OPTION_CHECKS[name](value)
    if kind.finish is not None:
        kind.finish(values)
    return values


def _check_status(status) -> None:
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("status must be an HTTP error status (400-599)")


def _whole_seconds(name: str) -> Callable[[object], None]:
    def check(value) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of seconds >= 0")

    return check


def _check_delay(seconds) -> None:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_DELAY_SECONDS:
        raise ValueError(f"seconds must be between 0 and {MAX_DELAY_SECONDS}")


OPTION_CHECKS = {
    "status": _check_status,
    "retry_after": _whole_seconds("retry_after"),
    "reset_in": _whole_seconds("reset_in"),
    "seconds": _check_delay,
}
