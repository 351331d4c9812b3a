"""The timesheet: hours per person per local day, with totals per person, per day and overall."""

from dataclasses import dataclass

from companies.preferences import current_duration_formatter

from . import visibility
from .charts import Chart, build_chart
from .filters import ReportFilters
from .tallies import Time, sum_times, tally
from .visibility import Person


@dataclass
class DayCell:
    iso: str  # the day, as the entries link behind the number names it
    time: Time
    total: str = ""  # for the page (`add_page_texts`): the hours, the manual part, the entries' query
    manual: str = ""
    query: str = ""


@dataclass
class TimesheetRow:
    person: Person
    cells: list  # Time per day of the range
    total: Time
    day_cells: list  # DayCell per day of the range, for the page
    query: str = ""  # the person's entries in the range (`add_page_texts`)

    @property
    def name(self):
        return self.person.name


@dataclass
class Timesheet:
    filters: ReportFilters
    days: list
    rows: list
    day_totals: list
    total: Time
    day_total_cells: list
    chart: Chart = None


def build_timesheet(membership, filters, *, with_chart=True, people_in_sight=None):
    """Everyone with time in the range, plus the active people one may see (or the ones picked).
    `people_in_sight`: `visibility.people_in_sight(membership)`, if the caller has them."""
    per_person_day = tally(membership, filters, ("person",), per_day=True)
    people = visibility.people_in_sight(membership) if people_in_sight is None else people_in_sight
    if filters.people:
        picked = {person.pk for person in filters.people}
        people = [person for person in people if person.pk in picked]
    with_time = {key[0] for key in per_person_day}
    people = [person for person in people if person.pk in with_time or person.is_active or filters.people]
    days = filters.date_range.days
    isos = [day.isoformat() for day in days]
    rows = []
    for person in people:
        cells = [per_person_day.get((person.pk, day)) or Time() for day in days]
        rows.append(TimesheetRow(person=person, cells=cells, total=sum_times(cells), day_cells=_day_cells(isos, cells)))
    day_totals = [sum_times(row.cells[index] for row in rows) for index in range(len(days))]
    report = Timesheet(
        filters=filters,
        days=days,
        rows=rows,
        day_totals=day_totals,
        total=sum_times(day_totals),
        day_total_cells=_day_cells(isos, day_totals),
    )
    if with_chart:
        report.chart = build_chart(
            membership, filters, per_person_day=per_person_day, people={person.pk: person for person in people}
        )
    return report


def _day_cells(isos, cells):
    return [DayCell(iso, time_) for iso, time_ in zip(isos, cells, strict=True)]


def add_page_texts(report):
    """What the page writes in each day cell, in the viewer's unit, and the query string of the
    entries behind it: prepared here, once, for the tens of thousands of cells of a year."""
    query = report.filters.narrowing()
    write = current_duration_formatter()
    blank = {"range": None, "start": None, "end": None}
    for row in report.rows:
        row.query = query(people=[row.person.code])
    for cells, people in [*((row.day_cells, [row.person.code]) for row in report.rows), (report.day_total_cells, None)]:
        prefix = query(**blank, people=people) if people else query(**blank)
        prefix = f"{prefix}&" if prefix else ""
        for cell in cells:
            if cell.time:
                cell.total = write(cell.time.total)
                cell.manual = write(cell.time.manual) if cell.time.manual else ""
                cell.query = f"{prefix}start={cell.iso}&end={cell.iso}"
