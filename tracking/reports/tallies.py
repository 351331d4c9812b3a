"""The aggregate behind every report: time added up per person, project, task and local day.

`tally()` adds time up per local day in one query, whatever the number of entries (a second one
on SQLite only where an entry lasts longer than the rule below allows):

- on PostgreSQL, entries that start and end on the same local day (almost all of them) are summed
  in SQL, grouped by the requested keys and the local day (``AT TIME ZONE``); the few that cross a
  local midnight (or an edge of the range) come with the same query, as an array in their own
  groups, and are cut in Python at the day boundaries of the range (periods.DayCutter);
- on SQLite, which has no time zones, each entry is joined with the local days it touches (the
  range's local midnights in UTC) and clipped to each of them in SQL (MATERIALIZED: SQLite 3.35,
  older than Django's oldest).

Either way every second of every finished entry counts once, on the day it happened.
Running timers (no end yet) are left out. Entries last at most `time_entries.MAX_DURATION` (24 h):
the queries rely on it to read only the range (plus a day) from the (company, started_at) index.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, DateTimeField, F, Func, Q, Sum, Value
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
    return matching_entries(membership, filters).filter(
        started_at__lt=window_end,
        ended_at__gt=window_start,
        started_at__gt=window_start - MAX_DURATION,
    )


def matching_entries(membership, filters):
    """The finished entries the viewer may see that match the filters, whenever they happened."""
    entries = visible_entries(membership).filter(Q(ended_at__gt=F("started_at")), ended_at__isnull=False)
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
    last item of each key is the day, still one query (see the module's docstring). Either way
    the number of queries does not depend on the number of entries.
    """
    zone = company_zone(membership.company)
    window_start, window_end = filters.date_range.bounds(zone)
    fields = [KEY_FIELDS[key] for key in by]
    result = defaultdict(Time)
    if per_day and connection.vendor == "sqlite":  # bounded by each day rather than the range (see there)
        entries = matching_entries(membership, filters).order_by()
        return _tally_per_day_sqlite(entries, fields, DayCutter(filters.date_range, zone), result)
    entries = report_entries(membership, filters).order_by()
    # Result sets are small (groups; entries across a midnight) and are read in one go: a server-side
    # cursor (`.iterator()` on PostgreSQL) would also keep the planner from parallel scans.
    if not per_day:
        end, start = Least("ended_at", Value(window_end)), Greatest("started_at", Value(window_start))
        sqlite = connection.vendor == "sqlite"
        clipped = ElapsedMicroseconds(end, start) if sqlite else end - start
        for *keys, source, total in entries.values_list(*fields, "source").annotate(duration=Sum(clipped)):
            result[tuple(keys)].add(source, _microseconds(total) if sqlite else total)
        return result
    return _tally_per_day_postgresql(entries, fields, DayCutter(filters.date_range, zone), zone, result)


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
    """One query: each entry joined with every local day of the range it touches, its time clipped
    to that day and summed by SQLite (`entries`: not yet narrowed to the range). SQLite has no time
    zones: the days come as the range's local midnights in UTC, one JSON parameter, and for each
    day the (company, started_at) index reads the entries that started from `MAX_DURATION` before
    it to its end. Durations are computed by SQLite from the stored text; an entry across a
    midnight needs no second pass.

    No entry lasts longer than `MAX_DURATION`. Should one (written around the product), a day's scan
    would not reach back to its start: the query also says which groups hold an entry the next
    day's scan misses, and only then a second query reads those entries (`_add_days_beyond_reach`).
    """
    adapt = connection.ops.adapt_datetimefield_value
    lows, highs = cutter.edges[:-1], cutter.edges[1:]
    reach = [adapt(low - MAX_DURATION) for low in lows]
    days = json.dumps(
        [
            [adapt(low), adapt(high), reach[day], reach[day + 1] if day + 1 < len(lows) else ""]
            for day, (low, high) in enumerate(zip(lows, highs, strict=True))
        ]
    )
    key_columns = {f"key_{number}": F(field) for number, field in enumerate(fields)}
    touching, touching_params = (
        entries.annotate(**key_columns)
        .values_list(*key_columns, "source", "started_at", "ended_at")
        .query.sql_with_params()
    )
    grouped = ", ".join([*(f"e.{column}" for column in key_columns), "d.day", "e.source"])
    clipped = _elapsed_microseconds_sql(connection, "MIN(e.ended_at, d.high)", "MAX(e.started_at, d.low)")
    sql = (
        "WITH d AS MATERIALIZED (SELECT CAST(key AS INTEGER) AS day, json_extract(value, '$[0]') AS low,"
        " json_extract(value, '$[1]') AS high, json_extract(value, '$[2]') AS reach,"
        " json_extract(value, '$[3]') AS next_reach FROM json_each(%s))"
        f" SELECT {grouped}, SUM({clipped}), MAX(e.ended_at > d.high AND e.started_at <= d.next_reach)"
        f" FROM d JOIN ({touching}) AS e ON e.started_at < d.high AND e.started_at > d.reach AND e.ended_at > d.low"
        f" GROUP BY {grouped}"
    )
    beyond_reach = False
    with connection.cursor() as cursor:
        cursor.execute(sql, (days, *touching_params))
        for *keys, day, source, total, misses_next_day in cursor.fetchall():
            result[(*keys, cutter.days[day])].add(source, _microseconds(total))
            beyond_reach = beyond_reach or bool(misses_next_day)
    if beyond_reach:
        _add_days_beyond_reach(entries, fields, cutter, result)
    return result


def _add_days_beyond_reach(entries, fields, cutter, result):
    """The days the query above missed of entries longer than `MAX_DURATION`: those starting at or
    before `MAX_DURATION` ahead of the day (whose scans began after the entry's start)."""
    window_start, window_end = cutter.edges[0], cutter.edges[-1]
    longer = entries.filter(
        started_at__lt=window_end, ended_at__gt=window_start, started_at__gt=window_start - MAX_DURATION
    ).filter(ended_at__gt=F("started_at") + MAX_DURATION)
    midnights = dict(zip(cutter.days, cutter.edges, strict=False))
    for *keys, source, started_at, ended_at in longer.values_list(*fields, "source", "started_at", "ended_at"):
        for day, duration in cutter.split(started_at, ended_at):
            if started_at <= midnights[day] - MAX_DURATION:
                result[(*keys, day)].add(source, duration)


class LocalDate(TruncDate):
    """`TruncDate` without its converter, a call for each row that returns a date unchanged (it only
    acts on datetimes): a year's tally reads 85,000 rows of two dates each."""

    def get_db_converters(self, connection):
        return self.output_field.get_db_converters(connection)


def _microseconds(value):
    return timedelta(microseconds=value)


class ElapsedMicroseconds(Func):
    """`end - start` (two datetime expressions) in microseconds, computed by SQLite from the text
    Django stores (`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC): whole seconds, then the fractions. The
    fraction is cut before SQLite reads the time, which would round it to the millisecond (59.9995 s
    would count as the next minute)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        # each appears twice, in this order: end, start, end, start
        return _elapsed_microseconds_sql(connection, end, start), (*end_params, *start_params) * 2


def _elapsed_microseconds_sql(connection, end, start):
    """SQLite's `end - start` in microseconds, `end` and `start` being SQL of datetime texts (see
    `ElapsedMicroseconds`)."""
    seconds = (
        _whole_seconds(connection, f"substr({end}, 1, 19)"),
        _whole_seconds(connection, f"substr({start}, 1, 19)"),
    )
    return (
        f"(({seconds[0]} - {seconds[1]}) * 1000000"
        f" + CAST(substr({end}, 21) AS INTEGER) - CAST(substr({start}, 21) AS INTEGER))"
    )


def _whole_seconds(connection, text):
    """Seconds since 1970 of an SQLite date text, as an integer: unixepoch (SQLite 3.38) is a
    quarter faster than strftime('%s'), which spells it as text."""
    if connection.Database.sqlite_version_info >= (3, 38):
        return f"unixepoch({text})"
    return f"strftime('%%s', {text})"
