"""How the signed-in person reads time: their time zone and their unit of hours.

Both are the person's (`User.time_zone`, blank for the zone of the company they are working in, and
`User.duration_format`). `CurrentMembershipMiddleware` makes them current for the whole request with
`activated(membership)`: Django's current time zone (so `{{ value|date }}` and `localtime` show the
person's wall clock everywhere) and the unit `format_duration` writes. Outside a request (emails,
tasks, the CSV files) nothing is active: UTC and decimal hours.

The template filters of `companies/templatetags/person_tags.py` are the one place pages turn an
instant into the person's zone and a duration into their unit.
"""

import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import lru_cache

from django.utils import timezone

from .models import Membership, User

DurationFormat = User.DurationFormat
# Per request: per thread under WSGI, per asyncio task under ASGI (as asgiref's Local), at a tenth of
# its cost a read, and a report's page reads it once per figure, thousands of times. Set and reset
# only by `override_duration_format`, in the same context (a thread started inside one does not
# need the unit: nothing there formats durations).
_duration_format: ContextVar[str] = ContextVar("duration_format", default=DurationFormat.DECIMAL)


def person_time_zone(membership: Membership) -> str:
    """The name of the zone `membership`'s person reads times in: theirs, else their company's."""
    return membership.user.time_zone or membership.company.time_zone


def zone(name: str, fallback: str = "UTC") -> zoneinfo.ZoneInfo:
    """A ZoneInfo for a saved name; a name this machine's tz database lacks falls back (a page
    never fails over a zone)."""
    for candidate in (name, fallback, "UTC"):
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            continue
    raise AssertionError("UTC is always available")


def person_zone(membership: Membership) -> zoneinfo.ZoneInfo:
    return zone(person_time_zone(membership), membership.company.time_zone)


def current_duration_format() -> str:
    return _duration_format.get()


@contextmanager
def override_duration_format(duration_format: str) -> Iterator[None]:
    token = _duration_format.set(duration_format)
    try:
        yield
    finally:
        _duration_format.reset(token)


@contextmanager
def activated(membership: Membership | None) -> Iterator[None]:
    """The person's zone and unit for what runs inside (nothing changes without a membership)."""
    if membership is None:
        yield
        return
    with timezone.override(person_zone(membership)), override_duration_format(membership.user.duration_format):
        yield


# --- Durations ---------------------------------------------------------------------------------

_MICROSECONDS_PER_HUNDREDTH = 36_000_000  # of an hour
_MICROSECONDS_PER_MINUTE = 60_000_000


def _microseconds(duration: timedelta | float | None) -> tuple[str, int]:
    if not isinstance(duration, timedelta):
        duration = timedelta(seconds=duration or 0)
    microseconds = duration // timedelta(microseconds=1)
    return ("-", -microseconds) if microseconds < 0 else ("", microseconds)


@lru_cache(maxsize=65536)  # reports repeat the same few thousand durations
def decimal_hours(duration: timedelta | float | None) -> str:
    """`2.50`: hours with two decimals, rounded half up (exact integer arithmetic)."""
    sign, microseconds = _microseconds(duration)
    hundredths = (microseconds + _MICROSECONDS_PER_HUNDREDTH // 2) // _MICROSECONDS_PER_HUNDREDTH
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


@lru_cache(maxsize=65536)
def hours_and_minutes(duration: timedelta | float | None) -> str:
    """`2:30`: hours and minutes, rounded half up to the minute, as decimal hours are to the hundredth."""
    sign, microseconds = _microseconds(duration)
    minutes = (microseconds + _MICROSECONDS_PER_MINUTE // 2) // _MICROSECONDS_PER_MINUTE
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


FORMATTERS: dict[str, Callable[[timedelta | float | None], str]] = {
    DurationFormat.DECIMAL: decimal_hours,
    DurationFormat.HOURS_MINUTES: hours_and_minutes,
}


def current_duration_formatter() -> Callable[[timedelta | float | None], str]:
    """The active person's unit as a function, for code that writes thousands of durations."""
    return FORMATTERS.get(current_duration_format(), decimal_hours)


def format_duration(duration: timedelta | float | None, duration_format: str | None = None) -> str:
    """A duration (a timedelta or seconds) in the given unit, else the active person's."""
    write = FORMATTERS.get(duration_format, decimal_hours) if duration_format else current_duration_formatter()
    return write(duration)
