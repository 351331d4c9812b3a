"""The entries report: the matching entries in order (a page of them on screen), each with its part
inside the range, and the total and chart above them."""

from dataclasses import dataclass
from datetime import timedelta

from companies.preferences import format_duration

from ..models import TimeEntry
from .charts import Chart, build_chart
from .periods import DayCutter, company_zone
from .tallies import Time, report_entries, sum_times, tally
from .visibility import people_by_id


@dataclass
class EntryLine:
    entry: TimeEntry
    in_range: timedelta

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
    return (
        report_entries(membership, filters)
        .select_related("membership__user", "task__project")
        .order_by("started_at", "pk")
    )


def entry_lines(membership, filters, entries):
    cutter = DayCutter(filters.date_range, company_zone(membership.company))
    return [EntryLine(entry, cutter.clip(entry.started_at, entry.ended_at)) for entry in entries]


@dataclass
class EntriesSummary:
    total: Time
    chart: Chart


def build_entries_summary(membership, filters, *, people_in_sight=None):
    """The total and the chart above the list of entries. `people_in_sight`: as in `build_timesheet`."""
    per_person_day = tally(membership, filters, ("person",), per_day=True)
    total = sum_times(per_person_day.values())
    people = None if people_in_sight is None else people_by_id(membership, among=people_in_sight)
    chart = build_chart(membership, filters, per_person_day=per_person_day, people=people)
    return EntriesSummary(total=total, chart=chart)
