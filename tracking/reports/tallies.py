"""The aggregate behind every report: time added up per person, project, task and local day.

`tally()` adds time up per local day in a number of queries that does not depend on the entries:

- entries that start and end on the same local day (almost all of them) are summed in SQL, grouped
  by the requested keys and the local day (``AT TIME ZONE`` on PostgreSQL, the range's local
  midnights on SQLite);
- the few that cross a local midnight (or an edge of the range) are read one by one and cut in
  Python at the day boundaries of the range (periods.DayCutter): on PostgreSQL they come with the
  same query, as an array in their own groups; on SQLite from a second query.

Together the two parts count every second of every finished entry once, on the day it happened.
Running timers (no end yet) are left out. Entries last at most `time_entries.MAX_DURATION` (24 h):
the queries rely on it to read only the range (plus a day) from the (company, started_at) index.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Case, DateTimeField, F, Func, IntegerField, Q, Sum, Value, When
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
    last item of each key is the day: one query on PostgreSQL, two on SQLite (see the module's
    docstring). Either way the number of queries does not depend on the number of entries.
    """
    zone = company_zone(membership.company)
    window_start, window_end = filters.date_range.bounds(zone)
    fields = [KEY_FIELDS[key] for key in by]
    entries = report_entries(membership, filters).order_by()
    result = defaultdict(Time)
    # Result sets are small (groups; entries across a midnight) and are read in one go: a server-side
    # cursor (`.iterator()` on PostgreSQL) would also keep the planner from parallel scans.
    if not per_day:
        end, start = Least("ended_at", Value(window_end)), Greatest("started_at", Value(window_start))
        sqlite = connection.vendor == "sqlite"
        clipped = ElapsedMicroseconds(end, start) if sqlite else end - start
        for *keys, source, total in entries.values_list(*fields, "source").annotate(duration=Sum(clipped)):
            result[tuple(keys)].add(source, _microseconds(total) if sqlite else total)
        return result
    cutter = DayCutter(filters.date_range, zone)
    if connection.vendor == "sqlite":
        return _tally_per_day_sqlite(entries, fields, cutter, result)
    return _tally_per_day_postgresql(entries, fields, cutter, zone, result)


def _tally_per_day_postgresql(entries, fields, cutter, zone, result):
    """One query: groups of (keys, local start day, local end day, source). Where the two days
    differ, every entry of the group crosses a midnight: the group also brings its entries' times,
    which are cut in Python. The filter of that array reads the days the grouping computed (the
    planner refers to them), so no entry's time zone conversion is done twice."""
    entries = entries.annotate(
        start_day=LocalDate("started_at", tzinfo=zone), end_day=LocalDate("ended_at", tzinfo=zone)
    )
    crossing = ArrayAgg(
        Func(
            F("started_at"), F("ended_at"), template="ARRAY[%(expressions)s]", output_field=ArrayField(DateTimeField())
        ),
        filter=~Q(start_day=F("end_day")),
    )
    # Grouped by both days rather than filtered on their equality: PostgreSQL cannot estimate that
    # filter and would pick a slow plan.
    groups = entries.values_list(*fields, "start_day", "end_day", "source")
    for *keys, start_day, end_day, source, total, times in groups.annotate(
        duration=Sum(F("ended_at") - F("started_at")), times=crossing
    ).order_by():
        if start_day == end_day:
            result[(*keys, start_day)].add(source, total)
            continue
        for started_at, ended_at in times:
            for day, duration in cutter.split(started_at, ended_at):
                result[(*keys, day)].add(source, duration)
    return result


def _tally_per_day_sqlite(entries, fields, cutter, result):
    """Two queries: the entries within one local day, summed in SQL, then the few that cross a
    midnight, cut in Python. A time-zone conversion or a datetime difference would be a Python call
    for every row there: the local day comes from the range's midnights instead and the duration
    from SQLite itself."""
    entries = entries.annotate(
        start_day=_day_index("started_at", cutter.edges), end_day=_day_index("ended_at", cutter.edges)
    )
    elapsed = ElapsedMicroseconds(F("ended_at"), F("started_at"))
    # Grouped by both days rather than filtered on their equality (as on PostgreSQL).
    whole = entries.values_list(*fields, "start_day", "end_day", "source").annotate(duration=Sum(elapsed)).order_by()
    for *keys, start_day, end_day, source, total in whole:
        if start_day == end_day:
            result[(*keys, cutter.days[start_day])].add(source, _microseconds(total))
    crossing = entries.exclude(start_day=F("end_day")).values_list(*fields, "source", "started_at", "ended_at")
    for *keys, source, started_at, ended_at in crossing:
        for day, duration in cutter.split(started_at, ended_at):
            result[(*keys, day)].add(source, duration)
    return result


class LocalDate(TruncDate):
    """`TruncDate` without its converter, a call for each row that returns a date unchanged (it only
    acts on datetimes): a year's tally reads 85,000 rows of two dates each."""

    def get_db_converters(self, connection):
        return self.output_field.get_db_converters(connection)


def _microseconds(value):
    return timedelta(microseconds=value)


def _day_index(field, edges):
    """The local day of `field` as an index into the range's days, by the range's local midnights
    (`edges`, in UTC, the one after the last day included): a balanced CASE, so a row costs
    log2(days) comparisons. -1 is before the range, len(days) after it; like a local date, an
    instant at midnight belongs to the day it starts."""

    def holding(low, high):  # the number of edges at or before the value is in [low, high]
        if low == high:
            return Value(low - 1)
        middle = (low + high + 1) // 2
        return Case(
            When(**{f"{field}__gte": edges[middle - 1]}, then=holding(middle, high)),
            default=holding(low, middle - 1),
            output_field=IntegerField(),
        )

    return holding(0, len(edges))


class ElapsedMicroseconds(Func):
    """`end - start` (two datetime expressions) in microseconds, computed by SQLite from the text
    Django stores (`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC): whole seconds, then the fractions. The
    fraction is cut before SQLite reads the time, which would round it to the millisecond (59.9995 s
    would count as the next minute)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        seconds = (
            _whole_seconds(connection, f"substr({end}, 1, 19)"),
            _whole_seconds(connection, f"substr({start}, 1, 19)"),
        )
        sql = (
            f"(({seconds[0]} - {seconds[1]}) * 1000000"
            f" + CAST(substr({end}, 21) AS INTEGER) - CAST(substr({start}, 21) AS INTEGER))"
        )
        # each appears twice, in this order: end, start, end, start
        return sql, (*end_params, *start_params) * 2


def _whole_seconds(connection, text):
    """Seconds since 1970 of an SQLite date text, as an integer: unixepoch (SQLite 3.38) is a
    quarter faster than strftime('%s'), which spells it as text."""
    if connection.Database.sqlite_version_info >= (3, 38):
        return f"unixepoch({text})"
    return f"strftime('%%s', {text})"
