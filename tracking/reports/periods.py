"""Date ranges of whole local days. Days are cut at midnight in the company's time zone (computed
with `zoneinfo`, so DST days last 23 or 25 hours)."""

import bisect
import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

ZERO = timedelta(0)
MAX_DAYS = 366
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
PRESETS = [
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("this_week", "This week"),
    ("last_week", "Last week"),
    ("this_month", "This month"),
    ("last_month", "Last month"),
]
DEFAULT_PRESET = "this_week"


@dataclass(frozen=True)
class DateRange:
    """Whole local days, `start` to `end` inclusive."""

    start: date
    end: date
    preset: str = ""

    @property
    def days(self):
        return [self.start + timedelta(days=number) for number in range(self.length)]

    @property
    def length(self):
        return (self.end - self.start).days + 1

    @property
    def label(self):
        if self.start == self.end:
            return long_date(self.start)
        return f"{long_date(self.start)} – {long_date(self.end)}"

    def bounds(self, zone):
        """The instants where the range starts and ends (the midnight after `end`)."""
        return local_midnight(self.start, zone), local_midnight(self.end + timedelta(days=1), zone)


def long_date(day):
    return f"{day:%a} {day.day} {day:%b %Y}"


def local_midnight(day, zone):
    """The first instant of a local day, in UTC (so that differences are real elapsed time: Python
    subtracts two datetimes of the same zone by their wall clocks). A midnight skipped by DST maps to
    the transition instant."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def company_zone(company):
    return ZoneInfo(company.time_zone)


def company_today(company, now=None):
    return (now or timezone.now()).astimezone(company_zone(company)).date()


def preset_range(name, today):
    """A named range around `today`; weeks start on Monday, months are whole calendar months."""
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    if name == "today":
        return DateRange(today, today, name)
    if name == "yesterday":
        yesterday = today - timedelta(days=1)
        return DateRange(yesterday, yesterday, name)
    if name == "this_week":
        return DateRange(monday, monday + timedelta(days=6), name)
    if name == "last_week":
        return DateRange(monday - timedelta(days=7), monday - timedelta(days=1), name)
    if name == "this_month":
        return DateRange(first_of_month, _last_of_month(first_of_month), name)
    if name == "last_month":
        end = first_of_month - timedelta(days=1)
        return DateRange(end.replace(day=1), end, name)
    raise ValueError(f"Unknown range preset {name!r}")


def _last_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class DayCutter:
    """Cuts an entry at the local midnights of a range (computed once per range)."""

    def __init__(self, date_range, zone):
        self.days = date_range.days
        self.edges = [local_midnight(day, zone) for day in self.days]
        self.edges.append(local_midnight(date_range.end + timedelta(days=1), zone))

    def clip(self, started_at, ended_at):
        return max(min(ended_at, self.edges[-1]) - max(started_at, self.edges[0]), ZERO)

    def split(self, started_at, ended_at):
        """[(local day, duration on that day)] for the part of the entry inside the range."""
        started_at, ended_at = max(started_at, self.edges[0]), min(ended_at, self.edges[-1])
        parts = []
        index = max(bisect.bisect_right(self.edges, started_at) - 1, 0)
        while index < len(self.days) and self.edges[index] < ended_at:
            duration = min(ended_at, self.edges[index + 1]) - max(started_at, self.edges[index])
            if duration > ZERO:
                parts.append((self.days[index], duration))
            index += 1
        return parts
