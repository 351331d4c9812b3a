"""The GitHub emulator's request log (`emulator_kit.request_log`), so tests can count calls per
sync. Entries name the caller as `login`. Credentials never enter it: not the Authorization
header, not an `access_token` or `token` parameter.
"""

from __future__ import annotations

from integrations.providers.emulator_kit import request_log as kit

SECRET_PARAMETERS = frozenset({"token", "access_token", "client_secret", "password"})


class RequestLog(kit.RequestLog):
    secret_parameters = SECRET_PARAMETERS
