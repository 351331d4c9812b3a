"""The Tracker emulator's request log (`emulator_kit.request_log`), so tests can count calls per
sync. Entries name the caller as `person_id`. Credentials never enter it: not the
`X-TrackerToken` header, not the `?token=` parameter.
"""

from __future__ import annotations

from integrations.providers.emulator_kit import request_log as kit

SECRET_PARAMETERS = frozenset({"token", "api_token", "password"})


class RequestLog(kit.RequestLog):
    secret_parameters = SECRET_PARAMETERS
