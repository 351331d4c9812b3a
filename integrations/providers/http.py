"""What every provider's HTTP client shares: jittered backoff and reading `Retry-After`."""

import random
import time
from datetime import UTC
from email.utils import parsedate_to_datetime


def retry_delay(attempt: int, *, base: float, cap: float) -> float:
    """Exponential backoff with full jitter: up to base·2^(attempt-1) seconds, never above cap."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """A `Retry-After` header (seconds, or an HTTP date) as seconds from `now` (epoch seconds;
    default: the current time), never negative; None when missing or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return max(0.0, moment.timestamp() - (time.time() if now is None else now))
