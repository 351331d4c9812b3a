"""Fault kinds of the Tracker emulator, on the kit's injector (`emulator_kit.faults`).

A rule names a kind, an optional path pattern and method, and a count. The first rule that
matches a request fires, is used up once, and disappears after `count` firings. Kinds:

- `status`      answer with an error status (500, 502, 503...) and a Tracker-style error body
                (with `Retry-After: <retry_after>` when the status is 429; "error" is accepted too)
- `rate_limit`  answer 429 with a `Retry-After: <retry_after>` header ("429" is accepted too)
- `delay`       wait `seconds`, then answer normally (to trigger client timeouts; "slow", "timeout")
- `malformed`   answer 200 with a body that is not valid JSON
- `drop`        close the connection without any answer

Patterns are shell-style (`fnmatch`): `*`, `/projects/*/stories`, `/services/v5/me`. They are
matched against the path with and without the `/services/v5` prefix; query strings are ignored.
"""

from __future__ import annotations

from integrations.providers.emulator_kit import faults as kit
from integrations.providers.emulator_kit.faults import DropConnection, FaultKind, FaultRule

API_PREFIX = "/services/v5"

__all__ = ["API_PREFIX", "FAULT_KINDS", "DropConnection", "FaultInjector", "FaultRule"]


def _retry_after_only_with_429(options: dict) -> None:
    if options["status"] == 429:
        options["retry_after"] = 1 if options["retry_after"] is None else options["retry_after"]
    elif options["retry_after"] is not None:
        raise ValueError("retry_after does not apply to status faults")


class FaultInjector(kit.FaultInjector):
    kinds = (
        FaultKind("status", {"status": 500, "retry_after": None}, ("error",), _retry_after_only_with_429),
        FaultKind("rate_limit", {"retry_after": 1}, ("429",)),
        kit.DELAY.with_aliases("slow", "timeout"),
        kit.MALFORMED,
        kit.DROP,
    )
    api_prefix = API_PREFIX


FAULT_KINDS = FaultInjector.kind_names()
