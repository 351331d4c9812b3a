"""GitHub's paths and limits on top of the kit's WSGI plumbing (`emulator_kit.web`)."""

from __future__ import annotations

from integrations.providers.emulator_kit.web import split_prefix

MAX_BODY_BYTES = 16_000_000  # the control API takes hostile values of any length
ENTERPRISE_PREFIX = "/api/v3"  # GitHub Enterprise Server's API root: https://<host>/api/v3


def split_enterprise_prefix(path: str) -> tuple[str, str]:
    """("/api/v3", the rest) for a path under the Enterprise-style root, else ("", path)."""
    return split_prefix(path, ENTERPRISE_PREFIX)
