"""Reports: who may see whose time, date ranges, the aggregates behind every report, charts and CSV rows.

Visibility is decided once, in `visible_people()` / `visible_entries()`: owners and admins see
everyone in the company (deactivated members included: their time stays), a manager sees the people
assigned to them and themselves, a user sees only themselves. Every report, chart, filter choice and
CSV starts from these two querysets.

Days are cut at midnight in the company's time zone. `tally()` adds time up per local day in two
queries, whatever the number of entries:

- entries that start and end on the same local day (almost all of them) are summed in SQL, grouped
  by the requested keys and the local day (`TruncDate(..., tzinfo=company zone)`, i.e.
  ``AT TIME ZONE`` on PostgreSQL);
- the few that cross a local midnight (or an edge of the range) are read one by one and cut in
  Python at the day boundaries of the range (computed with `zoneinfo`, so DST days last 23 or 25
  hours).

Together the two parts count every second of every finished entry once, on the day it happened.
Running timers (no end yet) are left out. Entries last at most `time_entries.MAX_DURATION` (24 h):
the queries rely on it to read only the range (plus a day) from the (company, started_at) index.

Pages show hours in the viewer's unit (decimal, 2.50, or hours and minutes, 2:30; see
companies/preferences.py), rounded half up from the exact durations (a total is the rounded exact
sum, not the sum of rounded cells). The CSV files always carry decimal hours, whoever exports them: a
spreadsheet sums 2.50 but reads 2:30 as a time of day, and a file handed to payroll must not depend
on who downloaded it. Their times are in the company's zone (the one the days are cut in), which
the Started and Ended headers name.

Each project and person has one colour on every chart (services/colors.py).
"""

import bisect
import calendar
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Greatest, Least, TruncDate
from django.utils import timezone

from companies.models import Membership
from companies.preferences import DurationFormat, current_duration_format, decimal_hours, format_duration

from ..models import Project, Task, TimeEntry
from . import colors
from .time_entries import MAX_DURATION

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
NO_TASK = "none"
CHART_BY = [("person", "By person"), ("project", "By project")]


# --- Who sees whom: the one place ----------------------------------------------------------------

def visible_people(membership):
    """The memberships whose time `membership` may see (deactivated ones included)."""
    if membership is None:
        return Membership.objects.none()
    people = Membership.objects.for_company(membership.company_id)
    if membership.is_company_admin:
        return people
    if membership.role == Membership.Role.MANAGER:
        managed = Membership.objects.for_company(membership.company_id).filter(managers=membership).values("pk")
        return people.filter(Q(pk=membership.pk) | Q(pk__in=managed))
    return people.filter(pk=membership.pk)


def visible_entries(membership):
    """The live time entries `membership` may see: those of `visible_people(membership)` (deleted
    ones never count)."""
    if membership is None:
        return TimeEntry.objects.none()
    entries = TimeEntry.objects.for_company(membership.company_id).live()
    if membership.is_company_admin:
        return entries
    if membership.role == Membership.Role.MANAGER:
        return entries.filter(membership__in=visible_people(membership).values("pk"))
    return entries.of(membership)


# --- Date ranges ---------------------------------------------------------------------------------

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
            return _long_date(self.start)
        return f"{_long_date(self.start)} – {_long_date(self.end)}"

    def bounds(self, zone):
        """The instants where the range starts and ends (the midnight after `end`)."""
        return local_midnight(self.start, zone), local_midnight(self.end + timedelta(days=1), zone)


def _long_date(day):
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


# --- Filters -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportFilters:
    """What a report covers, already validated against what the viewer may see."""

    date_range: DateRange
    people: tuple = ()  # Memberships; empty: everyone the viewer may see
    projects: tuple = ()  # Projects; empty: every project, and time without a task
    task: object = None  # a Task, NO_TASK for time without a task, or None
    chart_by: str = "person"

    @property
    def is_filtered_by_task(self):
        return self.task is not None

    def params(self, **overrides):
        """The query-string pairs that reproduce these filters; keyword arguments replace some."""
        values = {
            "range": self.date_range.preset or None,
            "start": None if self.date_range.preset else self.date_range.start.isoformat(),
            "end": None if self.date_range.preset else self.date_range.end.isoformat(),
            "people": [str(person.code) for person in self.people],
            "projects": [str(project.pk) for project in self.projects],
            "task": self.task if self.task == NO_TASK else (str(self.task.code) if self.task else None),
            "chart": None if self.chart_by == "person" else self.chart_by,
        }
        if "start" in overrides or "end" in overrides:
            values["range"] = None
        values.update(overrides)
        if isinstance(values.get("task"), Task):
            values["task"] = str(values["task"].code)
        if values.get("range"):
            values["start"] = values["end"] = None
        pairs = []
        for key in ("range", "start", "end", "people", "projects", "task", "chart"):
            value = values.get(key)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if item not in (None, ""):
                    pairs.append((key, str(item)))
        return pairs

    def query(self, **overrides):
        return urlencode(self.params(**overrides))


# --- Amounts of time -----------------------------------------------------------------------------

# Decimal hours, as in the CSV files (pages use `format_duration`, the viewer's unit).
hours_text = decimal_hours


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


def _sum(times):
    result = Time()
    for item in times:
        result += item
    return result


# --- The aggregate behind every report -----------------------------------------------------------

KEY_FIELDS = {"person": "membership_id", "project": "task__project_id", "task": "task_id"}


def report_entries(membership, filters):
    """The finished entries the viewer may see that match the filters and touch the range.

    An entry lasts at most `MAX_DURATION` (a rule of every entry, see services/time_entries.py), so
    one that touches the range started less than that before it: saying so lets the database read
    only the range from its (company, started_at) index instead of every older entry.
    """
    window_start, window_end = filters.date_range.bounds(company_zone(membership.company))
    entries = visible_entries(membership).filter(
        Q(ended_at__gt=F("started_at")), ended_at__isnull=False, started_at__lt=window_end, ended_at__gt=window_start,
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
    entries = entries.annotate(start_day=TruncDate("started_at", tzinfo=zone),
                               end_day=TruncDate("ended_at", tzinfo=zone))
    # Grouped by both days rather than filtered on their equality: PostgreSQL cannot estimate that
    # filter and would pick a slow plan. Groups whose two days differ are left to the second query.
    whole = (entries.values_list(*fields, "start_day", "end_day", "source")
             .annotate(duration=Sum(F("ended_at") - F("started_at"))).order_by())
    for *keys, start_day, end_day, source, duration in whole:
        if start_day == end_day:
            result[(*keys, start_day)].add(source, duration)
    cutter = DayCutter(filters.date_range, zone)
    crossing = entries.exclude(start_day=F("end_day")).values_list(*fields, "source", "started_at", "ended_at")
    for *keys, source, started_at, ended_at in crossing:
        for day, duration in cutter.split(started_at, ended_at):
            result[(*keys, day)].add(source, duration)
    return result


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


# --- Names -----------------------------------------------------------------------------------------

def person_name(person):
    return person.user.full_name or person.user.email


def _people_by_id(membership, ids=None):
    people = visible_people(membership).select_related("user")
    if ids is not None:
        people = people.filter(pk__in=list(ids))
    return {person.pk: person for person in people}


# --- Charts --------------------------------------------------------------------------------------

PALETTE, OTHERS_COLOR = colors.PALETTE, colors.OTHERS_COLOR
MAX_SERIES = 8  # beyond, the smallest series are stacked as "Others"
CHART_WIDTH, CHART_HEIGHT = 960, 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 12, 24, 252


@dataclass
class Chart:
    title: str
    bars: list
    ticks: list
    legend: list
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = CHART_WIDTH - PLOT_RIGHT
    plot_bottom: int = PLOT_BOTTOM
    unit: str = "day"

    @property
    def is_empty(self):
        return not self.legend


def _bucket(date_range):
    """Per day up to a month, per week (from Monday) up to half a year, per month beyond: ≤ 31 bars."""
    if date_range.length <= 31:
        return "day", lambda day: day
    if date_range.length <= 31 * 7:
        return "week", lambda day: max(day - timedelta(days=day.weekday()), date_range.start)
    return "month", lambda day: max(day.replace(day=1), date_range.start)


def _bar_label(unit, day, crowded):
    if unit == "day" and crowded:
        return f"{day:%a}"[0], str(day.day)
    if unit == "day":
        return f"{day:%a}", f"{day.day} {day:%b}"
    if unit == "week":
        return (f"{day:%b}", str(day.day)) if crowded else ("week of", f"{day.day} {day:%b}")
    return f"{day:%b}", f"{day:%Y}"


def _short_hours(duration, crowded):
    """The figure above a bar, in the viewer's unit; shorter on a crowded chart."""
    value = duration / timedelta(hours=1)
    if not crowded or value < 10:
        return format_duration(duration)
    if value >= 100:
        return f"{value:.0f}"
    if current_duration_format() == DurationFormat.DECIMAL:
        return f"{value:.1f}"
    return format_duration(duration)


def _nice_step(top):
    for step in (0.25, 0.5, 1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top / step <= 5:
            return step
    return 10 ** len(str(int(top)))


def _default_colors(keys):
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(keys)}


def stacked_chart(date_range, amounts, labels, *, series_name, colors_of=_default_colors):
    """A stacked bar chart of hours: `amounts` maps (series key, day) → timedelta, `labels` key → name,
    `colors_of(keys)` the shown series' keys → their colours (each project's and person's own, see
    services/colors.py).

    The biggest series are shown, the rest are stacked as “Others”. Everything needed to read it is
    text: hours above each bar (in the viewer's unit), axis labels and a legend with each series' total.
    """
    unit, bucket_of = _bucket(date_range)
    buckets = sorted({bucket_of(day) for day in date_range.days})
    totals = defaultdict(lambda: ZERO)
    per_bucket = defaultdict(lambda: ZERO)
    for (key, day), duration in amounts.items():
        totals[key] += duration
        per_bucket[(key, bucket_of(day))] += duration
    ranked = sorted((key for key in totals if totals[key] > ZERO), key=lambda key: (-totals[key], labels.get(key, "")))
    shown = ranked if len(ranked) <= MAX_SERIES else ranked[:MAX_SERIES - 1]
    others = ranked[len(shown):]
    color_of = colors_of(shown) if shown else {}
    series = [(key, labels.get(key, "?"), color_of.get(key, OTHERS_COLOR)) for key in shown]
    if others:
        series.append(("__others__", f"Others ({len(others)})", OTHERS_COLOR))
    stack = {}
    for bucket in buckets:
        column = [per_bucket.get((key, bucket), ZERO) for key in shown]
        if others:
            column.append(sum((per_bucket.get((key, bucket), ZERO) for key in others), ZERO))
        stack[bucket] = column
    legend = [{"color": color, "label": label,
               "hours": format_duration(totals[key] if key != "__others__"
                                        else sum((totals[k] for k in others), ZERO))}
              for key, label, color in series]
    top = max((sum(column, ZERO) for column in stack.values()), default=ZERO) / timedelta(hours=1)
    step = _nice_step(top) if top > 0 else 1
    ceiling = step * max(1, -(-top // step))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    scale = plot_height / ceiling
    ticks = []
    value = 0
    while value <= ceiling + 1e-9:
        y = PLOT_BOTTOM - value * scale
        ticks.append({"y": round(y, 1), "label_y": round(y + 4, 1), "label": f"{value:g} h"})
        value += step
    slot = (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(buckets), 1)
    bar_width = max(min(slot * 0.7, 48), 2)
    crowded = len(buckets) > 16  # narrower bars: shorter labels (the table below has every figure)
    bars = []
    for number, bucket in enumerate(buckets):
        x = PLOT_LEFT + number * slot + (slot - bar_width) / 2
        y = PLOT_BOTTOM
        segments = []
        for (_key, label, color), duration in zip(series, stack[bucket], strict=True):
            if duration <= ZERO:
                continue
            height = duration / timedelta(hours=1) * scale
            y -= height
            segments.append({"x": round(x, 1), "y": round(y, 1), "width": round(bar_width, 1),
                             "height": round(height, 1), "color": color,
                             "title": f"{label}: {format_duration(duration)} h"})
        total = sum(stack[bucket], ZERO)
        first, second = _bar_label(unit, bucket, crowded)
        bars.append({
            "segments": segments, "center": round(x + bar_width / 2, 1), "value_y": round(y - 5, 1),
            "value": _short_hours(total, crowded) if total else "",
            "label": first, "sublabel": second,
            "title": f"{_long_date(bucket)}: {format_duration(total)} h",
        })
    title = f"Hours per {unit}, by {series_name}"
    return Chart(title=title, bars=bars, ticks=ticks, legend=legend, unit=unit)


def chart_by_person(membership, filters, per_person_day=None, people=None):
    """The chart stacked by person; reuses a per (person, day) tally when the caller has one."""
    if per_person_day is None:
        per_person_day = tally(membership, filters, ("person",), per_day=True)
    amounts = defaultdict(lambda: ZERO)
    for (person_id, day), time_ in per_person_day.items():
        amounts[(person_id, day)] += time_.total
    people = people if people is not None else _people_by_id(membership, {key[0] for key in amounts})
    labels = {pk: person_name(person) for pk, person in people.items()}
    return stacked_chart(filters.date_range, amounts, labels, series_name="person",
                         colors_of=lambda keys: colors.person_colors(membership.company_id, keys))


def chart_by_project(membership, filters, per_project_day=None, projects=None):
    """The chart stacked by project (“No task” for time without one); reuses what the caller has."""
    if per_project_day is None:
        per_project_day = tally(membership, filters, ("project",), per_day=True)
    amounts = {key: time_.total for key, time_ in per_project_day.items()}
    if projects is None:
        ids = {key[0] for key in amounts if key[0] is not None}
        projects = Project.objects.for_company(membership.company_id).in_bulk(ids)
    labels = {pk: project.name for pk, project in projects.items()}
    labels[None] = "No task"
    return stacked_chart(filters.date_range, amounts, labels, series_name="project",
                         colors_of=lambda keys: colors.project_colors(membership.company_id, keys))


def build_chart(membership, filters, *, per_person_day=None, people=None, projects=None):
    if filters.chart_by == "project":
        return chart_by_project(membership, filters, projects=projects)
    return chart_by_person(membership, filters, per_person_day, people)


# --- Timesheet -----------------------------------------------------------------------------------

@dataclass
class TimesheetRow:
    person: Membership
    cells: list  # Time per day of the range
    total: Time

    @property
    def name(self):
        return person_name(self.person)


@dataclass
class Timesheet:
    filters: ReportFilters
    days: list
    rows: list
    day_totals: list
    total: Time
    chart: Chart = None


def build_timesheet(membership, filters, *, with_chart=True):
    """Hours per person per local day, with totals per person, per day and overall."""
    per_person_day = tally(membership, filters, ("person",), per_day=True)
    people = visible_people(membership).select_related("user")
    if filters.people:
        people = people.filter(pk__in=[person.pk for person in filters.people])
    with_time = {key[0] for key in per_person_day}
    # Everyone with time in the range, plus the active people one may see (or the ones picked).
    people = [person for person in people if person.pk in with_time or person.is_active or filters.people]
    days = filters.date_range.days
    rows = []
    for person in people:
        cells = [per_person_day.get((person.pk, day)) or Time() for day in days]
        rows.append(TimesheetRow(person=person, cells=cells, total=_sum(cells)))
    day_totals = [_sum(row.cells[index] for row in rows) for index in range(len(days))]
    report = Timesheet(filters=filters, days=days, rows=rows, day_totals=day_totals, total=_sum(day_totals))
    if with_chart:
        report.chart = build_chart(membership, filters, per_person_day=per_person_day,
                                   people={person.pk: person for person in people})
    return report


# --- Projects & tasks ----------------------------------------------------------------------------

@dataclass
class PersonLine:
    person: Membership
    time: Time

    @property
    def name(self):
        return person_name(self.person)


@dataclass
class TaskLine:
    task: Task | None  # None: time without a task
    time: Time = field(default_factory=Time)
    people: list = field(default_factory=list)


@dataclass
class ProjectLine:
    project: Project | None  # None: the “No task” group
    time: Time = field(default_factory=Time)
    tasks: list = field(default_factory=list)


@dataclass
class ProjectsReport:
    filters: ReportFilters
    projects: list
    total: Time
    chart: Chart = None


def build_projects_report(membership, filters, *, with_chart=True):
    """Time per project, then per task (closed and deleted-upstream ones too), then per person.
    Time without a task is one “No task” group at the end."""
    amounts = tally(membership, filters, ("project", "task", "person"))
    company = membership.company_id
    projects = Project.objects.for_company(company).in_bulk({key[0] for key in amounts if key[0] is not None})
    tasks = (Task.objects.for_company(company).only("code", "title", "url", "state", "is_open", "is_deleted_upstream")
             .in_bulk({key[1] for key in amounts if key[1] is not None}))
    people = _people_by_id(membership, {key[2] for key in amounts})
    grouped = defaultdict(lambda: defaultdict(list))
    for (project_id, task_id, person_id), time_ in amounts.items():
        grouped[project_id][task_id].append(PersonLine(people[person_id], time_))
    lines = []
    for project_id, by_task in grouped.items():
        line = ProjectLine(project=projects.get(project_id))
        for task_id, person_lines in by_task.items():
            person_lines.sort(key=lambda item: (item.name.lower(), item.person.pk))
            task_line = TaskLine(task=tasks.get(task_id), time=_sum(item.time for item in person_lines),
                                 people=person_lines)
            line.tasks.append(task_line)
            line.time += task_line.time
        line.tasks.sort(key=lambda item: (item.task.title.lower(), item.task.pk) if item.task else ("", 0))
        lines.append(line)
    lines.sort(key=lambda item: (item.project is None, item.project.name.lower() if item.project else "",
                                 item.project.pk if item.project else 0))
    report = ProjectsReport(filters=filters, projects=lines, total=_sum(line.time for line in lines))
    if with_chart:
        report.chart = build_chart(membership, filters, people=people, projects=projects)
    return report


# --- Entries -------------------------------------------------------------------------------------

@dataclass
class EntryLine:
    entry: TimeEntry
    in_range: timedelta
    zone: ZoneInfo

    @property
    def length(self):
        return self.entry.ended_at - self.entry.started_at

    @property
    def hours(self):
        return format_duration(self.in_range)

    @property
    def entry_hours(self):
        return format_duration(self.length)

    @property
    def is_clipped(self):
        return self.in_range != self.length


def entries_in_order(membership, filters):
    return (report_entries(membership, filters)
            .select_related("membership__user", "task__project").order_by("started_at", "pk"))


def entry_lines(membership, filters, entries):
    zone = company_zone(membership.company)
    cutter = DayCutter(filters.date_range, zone)
    return [EntryLine(entry, cutter.clip(entry.started_at, entry.ended_at), zone) for entry in entries]


@dataclass
class EntriesSummary:
    total: Time
    chart: Chart


def build_entries_summary(membership, filters):
    """The total and the chart above the list of entries."""
    per_person_day = tally(membership, filters, ("person",), per_day=True)
    total = _sum(per_person_day.values())
    return EntriesSummary(total=total, chart=build_chart(membership, filters, per_person_day=per_person_day))


# --- The dashboard's week ------------------------------------------------------------------------

@dataclass
class WeekSummary:
    filters: ReportFilters
    total: Time
    chart: Chart


def build_week_summary(membership):
    """This week (Monday to Sunday, company time) of what the person may see: by person for
    reviewers, by project for people who only see their own time."""
    week = preset_range("this_week", company_today(membership.company))
    filters = ReportFilters(date_range=week, chart_by="person" if membership.is_reviewer else "project")
    if filters.chart_by == "person":
        per_person_day = tally(membership, filters, ("person",), per_day=True)
        total, chart = _sum(per_person_day.values()), chart_by_person(membership, filters, per_person_day)
    else:
        per_project_day = tally(membership, filters, ("project",), per_day=True)
        total, chart = _sum(per_project_day.values()), chart_by_project(membership, filters, per_project_day)
    return WeekSummary(filters=filters, total=total, chart=chart)


# --- CSV rows (decimal hours, whoever exports; the CSV writer neutralises every text cell) -------

# OWASP's CSV injection guidance: a cell that starts with `=`, `+`, `-` or `@` (spaces or quotes
# before them are skipped by some spreadsheets), or with a tab or a carriage return, is run as a
# formula. The CSV writer (tracking/report_views.py) quotes every cell, but a spreadsheet that splits
# on another list separator (`;` where `,` is the decimal mark, as in Spain) loses track of the quotes
# and starts a cell after any `,`, `;`, tab or line break inside a value: each of those positions
# gets the same `'` as the start of the value.
_FORMULA_AT_A_CELL_START = re.compile(r"(^|[,;\t\r\n])([\s\"]*)(?=[=+\-@])")


def safe_text(value):
    """Text that no spreadsheet runs as a formula, whatever its list separator: a `'` before every
    formula character that could start a cell. Applying it twice changes nothing more."""
    if not value:
        return ""
    value = str(value)
    if "=" in value or "+" in value or "-" in value or "@" in value:  # most cells have none: skip the regex
        value = _FORMULA_AT_A_CELL_START.sub(r"\1\2'", value)
    return "'" + value if value[0] in "\t\r" else value


def timesheet_csv_rows(report):
    days = [day.isoformat() for day in report.days]
    yield ["Person", "Email", "Hours", *days, "All days"]
    for row in report.rows:
        name, email = row.name, row.person.user.email
        for kind, attribute in (("Tracked", "tracked_hours"), ("Manual", "manual_hours"), ("Total", "total_hours")):
            yield [name, email, kind, *(getattr(cell, attribute) for cell in row.cells), getattr(row.total, attribute)]
    for kind, attribute in (("Tracked", "tracked_hours"), ("Manual", "manual_hours"), ("Total", "total_hours")):
        yield ["All people", "", kind, *(getattr(cell, attribute) for cell in report.day_totals),
               getattr(report.total, attribute)]


def task_status(task):
    return "" if task is None else _status_text(task.state, task.is_open, task.is_deleted_upstream)


def _status_text(state, is_open, is_deleted_upstream):
    flags = [state or "—"]
    if not is_open:
        flags.append("closed")
    if is_deleted_upstream:
        flags.append("deleted upstream")
    return ", ".join(flags)


def projects_csv_rows(report):
    yield ["Level", "Project", "Task", "Story", "Task status", "Person", "Email", "Tracked", "Manual", "Total"]
    for line in report.projects:
        project = line.project.name if line.project else "No task"
        yield ["Project", project, "", "", "", "", "", *_time_columns(line.time)]
        for task_line in line.tasks:
            task = task_line.task
            title = task.title if task else "No task"
            url = task.url if task else ""
            if line.project is not None:  # the “No task” group has no task level, as on screen
                yield ["Task", project, title, url, task_status(task), "", "", *_time_columns(task_line.time)]
            for person_line in task_line.people:
                yield ["Person", project, title, url, task_status(task), person_line.name,
                       person_line.person.user.email, *_time_columns(person_line.time)]
    yield ["All projects", "", "", "", "", "", "", *_time_columns(report.total)]


def _time_columns(time_):
    return [time_.tracked_hours, time_.manual_hours, time_.total_hours]


ENTRY_COLUMNS = ["Person", "Email", "Started", "Ended", "Hours in range", "Entry hours", "Source", "Project",
                 "Task", "Task status", "Story", "Note", "Entry id", "Time zone"]
_ENTRY_VALUES = ("membership__user__full_name", "membership__user__email", "started_at", "ended_at", "source",
                 "task__project__name", "task_id", "task__title", "task__state", "task__is_open",
                 "task__is_deleted_upstream", "task__url", "note", "code")
_SOURCE_LABELS = dict(TimeEntry.Source.choices)


def entries_csv_rows(membership, filters, chunk_size=5000):
    """Every matching entry, read from the database in chunks (memory stays flat for a year) as plain
    values rather than model instances: the Entries page's entries, in decimal hours, their times in
    the company's zone (the last column names it)."""
    zone = company_zone(membership.company)
    zone_name = membership.company.time_zone
    cutter = DayCutter(filters.date_range, zone)
    rows = entries_in_order(membership, filters).values_list(*_ENTRY_VALUES)
    yield ENTRY_COLUMNS
    for (name, email, started_at, ended_at, source, project, task_id, title, state, is_open, is_deleted_upstream,
         url, note, code) in rows.iterator(chunk_size=chunk_size):
        if task_id is None:
            project = status = url = ""
            title = "No task"
        else:
            status = _status_text(state, is_open, is_deleted_upstream)
        yield [
            name or email, email, _local_text(started_at, zone), _local_text(ended_at, zone),
            hours_text(cutter.clip(started_at, ended_at)), hours_text(ended_at - started_at),
            _SOURCE_LABELS.get(source, source), project, title, status, url, note, str(code), zone_name,
        ]


def _local_text(moment, zone):
    """'2025-03-03 23:30:00' in the company's time zone (isoformat is C-fast; the offset is cut)."""
    return moment.astimezone(zone).isoformat(sep=" ", timespec="seconds")[:19]


def csv_filename(kind, filters):
    return f"{kind}-{filters.date_range.start.isoformat()}-to-{filters.date_range.end.isoformat()}.csv"


def parse_code(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
