"""Reading query parameters the way Tracker validates them: anything malformed is a 400
`invalid_parameter` naming the parameter, never a crash or a silent default."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from integrations.providers.emulator_kit.clock import as_utc

from .errors import invalid_parameter
from .rendering import DATE_FORMATS

TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


def get_int(params: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter(name, "must be an integer") from None
    if value < minimum:
        raise invalid_parameter(name, f"must be greater than or equal to {minimum}")
    if maximum is not None and value > maximum:
        raise invalid_parameter(name, f"must be less than or equal to {maximum}")
    return value


def get_bool(params: dict, name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise invalid_parameter(name, "must be true or false")


def get_time(params: dict, name: str) -> datetime | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_time(raw)
    except ValueError:
        raise invalid_parameter(name, "must be an ISO-8601 date-time or epoch milliseconds") from None


def get_date_format(params: dict) -> str:
    raw = params.get("date_format") or "iso"
    if raw not in DATE_FORMATS:
        raise invalid_parameter("date_format", "must be millis (or absent for ISO-8601 dates)")
    return raw


def get_id_list(params: dict, name: str) -> list[str]:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        raise invalid_parameter(name, "is required")
    return [part.strip() for part in raw.split(",") if part.strip()]


US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_time(text: str) -> datetime:
    """ISO-8601 (`Z`, an offset, or none = UTC; a bare date = midnight UTC), epoch millis, or the
    MM/DD/YYYY dates of Tracker's search box. Raises ValueError otherwise."""
    text = text.strip()
    if re.fullmatch(r"-?\d{9,}", text):
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    match = US_DATE.match(text)
    if match:
        month, day, year = (int(part) for part in match.groups())
        return datetime(year, month, day, tzinfo=UTC)
    return as_utc(datetime.fromisoformat(text.replace(" ", "+") if "T" in text else text))
