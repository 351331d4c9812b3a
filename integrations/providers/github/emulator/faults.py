"""Fault kinds of the GitHub emulator, on the kit's injector (`emulator_kit.faults`).

A rule names a kind, an optional path pattern and method, and a count. The first rule that
matches a request fires, is used up once, and disappears after `count` firings. Kinds:

- `status`                answer `status` (500, 502, 503...) with GitHub's error body
- `secondary_rate_limit`  403 with `Retry-After: <retry_after>` and GitHub's secondary-limit message
- `rate_limit_exhausted`  403 with `X-RateLimit-Remaining: 0` and a reset `reset_in` seconds away
- `delay`                 wait `seconds`, then answer normally (to trigger client timeouts)
- `malformed`             answer 200 with a body that is not valid JSON
- `drop`                  close the connection without any answer

Patterns are shell-style (`fnmatch`, where `*` also spans slashes): `*`, `/repos/*/issues`,
`/user`. They are matched against the path with and without the `/api/v3` prefix; query strings
are ignored.
"""

from __future__ import annotations

from integrations.providers.emulator_kit import faults as kit
from integrations.providers.emulator_kit.faults import DropConnection, FaultKind, FaultRule

from .web import ENTERPRISE_PREFIX

__all__ = ["FAULT_KINDS", "DropConnection", "FaultInjector", "FaultRule"]


class FaultInjector(kit.FaultInjector):
    kinds = (
        kit.STATUS,
        FaultKind("secondary_rate_limit", {"retry_after": 60}),
        FaultKind("rate_limit_exhausted", {"reset_in": 60}),
        kit.DELAY,
        kit.MALFORMED,
        kit.DROP,
    )
    api_prefix = ENTERPRISE_PREFIX


FAULT_KINDS = FaultInjector.kind_names()
