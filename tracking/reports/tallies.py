"""The aggregate behind every report: time added up per person, project, task and local day.

`tally()` adds time up per local day in two queries, whatever the number of entries:

- entries that start and end on the same local day (almost all of them) are summed in SQL, grouped
  by the requested keys and the local day (`TruncDate(..., tzinfo=company zone)`, i.e.
  ``AT TIME ZONE`` on PostgreSQL);
- the few that cross a local midnight (or an edge of the range) are read one by one and cut in
  Python at the day boundaries of the range (periods.DayCutter).

Together the two parts count every second of every finished entry once, on the day it happened.
Running timers (no end yet) are left out. Entries last at most `time_entries.MAX_DURATION` (24 h):
the queries rely on it to read only the range (plus a day) from the (company, started_at) index.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Greatest, Least, TruncDate

from companies.preferences import decimal_hours

from ..models import TimeEntry
from ..services.time_entries import MAX_DURATION
from .filters import NO_TASK
from .periods import ZERO, DayCutter, company_zone
from .visibility import visible_entries

# Decimal hours, as in the CSV files (pages use `format_duration`, the viewer's unit).
hours_text = decimal_hours
KEY_FIELDS = {"person": "membership_id", "project": "task__project_id", "task": "task_id"}


@dataclass
class Time:
    """Time split into tracked (desktop app, web timer) and manual."""

    tracked: timedelta = ZERO
    manual: timedelta = ZERO

    def add(self, source, duration):
        if source == TimeEntry.Source.MANUAL:
            self.manual += duration
        else:
            self.tracked += duration
        return self

    def __iadd__(self, other):
        self.tracked += other.tracked
        self.manual += other.manual
        return self

    @property
    def total(self):
        return self.tracked + self.manual

    @property
    def tracked_hours(self):
        return hours_text(self.tracked)

    @property
    def manual_hours(self):
        return hours_text(self.manual)

    @property
    def total_hours(self):
        return hours_text(self.total)

    def __bool__(self):
        return bool(self.tracked or self.manual)


def sum_times(times):
    result = Time()
    for item in times:
        result += item
    return result


def report_entries(membership, filters):
    """The finished entries the viewer may see that match the filters and touch the range.

    An entry lasts at most `MAX_DURATION` (a rule of every entry, see services/time_entries.py), so
    one that touches the range started less than that before it: saying so lets the database read
    only the range from its (company, started_at) index instead of every older entry.
    """
    window_start, window_end = filters.date_range.bounds(company_zone(membership.company))
    entries = visible_entries(membership).filter(
        Q(ended_at__gt=F("started_at")),
        ended_at__isnull=False,
        started_at__lt=window_end,
        ended_at__gt=window_start,
        started_at__gt=window_start - MAX_DURATION,
    )
    if filters.people:
        entries = entries.filter(membership__in=[person.pk for person in filters.people])
    if filters.projects:
        entries = entries.filter(task__project__in=[project.pk for project in filters.projects])
    if filters.task == NO_TASK:
        entries = entries.filter(task__isnull=True)
    elif filters.task is not None:
        entries = entries.filter(task=filters.task)
    return entries


def tally(membership, filters, by=(), *, per_day=False):
    """{(key values…, [local day]): Time} over the filtered entries, clipped to the range.

    `by` names keys among person, project, task. Without `per_day`, one query: each entry is
    clipped to the range in SQL. With `per_day`, time is also cut at every local midnight and the
    last item of each key is the day: two queries (see the module's docstring). Either way the
    number of queries does not depend on the number of entries.
    """
    zone = company_zone(membership.company)
    window_start, window_end = filters.date_range.bounds(zone)
    fields = [KEY_FIELDS[key] for key in by]
    entries = report_entries(membership, filters).order_by()
    result = defaultdict(Time)
    # Result sets are small (groups; entries across a midnight) and are read in one go: a server-side
    # cursor (`.iterator()` on PostgreSQL) would also keep the planner from parallel scans.
    if not per_day:
        clipped = Least("ended_at", Value(window_end)) - Greatest("started_at", Value(window_start))
        for *keys, source, duration in entries.values_list(*fields, "source").annotate(duration=Sum(clipped)):
            result[tuple(keys)].add(source, duration)
        return result
    entries = entries.annotate(
        start_day=TruncDate("started_at", tzinfo=zone), end_day=TruncDate("ended_at", tzinfo=zone)
    )
    # Grouped by both days rather than filtered on their equality: PostgreSQL cannot estimate that
    # filter and would pick a slow plan. Groups whose two days differ are left to the second query.
    whole = (
        entries.values_list(*fields, "start_day", "end_day", "source")
        .annotate(duration=Sum(F("ended_at") - F("started_at")))
        .order_by()
    )
    for *keys, start_day, end_day, source, duration in whole:
        if start_day == end_day:
            result[(*keys, start_day)].add(source, duration)
    cutter = DayCutter(filters.date_range, zone)
    crossing = entries.exclude(start_day=F("end_day")).values_list(*fields, "source", "started_at", "ended_at")
    for *keys, source, started_at, ended_at in crossing:
        for day, duration in cutter.split(started_at, ended_at):
            result[(*keys, day)].add(source, duration)
    return result
