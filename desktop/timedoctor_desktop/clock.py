"""Instants as the journal and the API write them: UTC, whole seconds, ISO 8601 with a Z."""

from datetime import UTC, datetime


def now():
    return datetime.now(UTC).replace(microsecond=0)


def to_text(instant):
    return instant.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ") if instant else None


def from_text(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def start_of_local_day(instant):
    """Midnight of the instant's day on this computer's clock, as an aware instant."""
    local = instant.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def format_duration(seconds):
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_hours(seconds):
    minutes = max(0, int(seconds)) // 60
    return f"{minutes // 60} h {minutes % 60:02d} min"
