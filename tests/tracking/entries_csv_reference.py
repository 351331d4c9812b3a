"""The entries export as plain Python would write it, row by row from the ORM: the reference the
export the database writes (tracking/reports/csv_sql.py) is tested against, byte for byte, after
`csv.csv_chunks`."""

from tracking.models import TimeEntry
from tracking.reports.csv import ENTRY_COLUMNS, status_text
from tracking.reports.entries import entries_in_order
from tracking.reports.periods import DayCutter, company_zone
from tracking.reports.tallies import hours_text

_ENTRY_VALUES = (
    "membership__user__full_name",
    "membership__user__email",
    "started_at",
    "ended_at",
    "source",
    "task__project__name",
    "task_id",
    "task__title",
    "task__state",
    "task__is_open",
    "task__is_deleted_upstream",
    "task__url",
    "note",
    "code",
)
_SOURCE_LABELS = dict(TimeEntry.Source.choices)


def entries_csv_rows(membership, filters, chunk_size=5000, *, with_header=True):
    """Every matching entry, read from the database in chunks (memory stays flat for a year) as plain
    values rather than model instances: the Entries page's entries, in decimal hours, their times in
    the company's zone (the last column names it)."""
    zone = company_zone(membership.company)
    zone_name = membership.company.time_zone
    cutter = DayCutter(filters.date_range, zone)
    rows = entries_in_order(membership, filters).values_list(*_ENTRY_VALUES)
    if with_header:
        yield ENTRY_COLUMNS
    for (
        name,
        email,
        started_at,
        ended_at,
        source,
        project,
        task_id,
        title,
        state,
        is_open,
        is_deleted_upstream,
        url,
        note,
        code,
    ) in rows.iterator(chunk_size=chunk_size):
        if task_id is None:
            project = status = url = ""
            title = "No task"
        else:
            status = status_text(state, is_open, is_deleted_upstream)
        yield [
            name or email,
            email,
            _local_text(started_at, zone),
            _local_text(ended_at, zone),
            hours_text(cutter.clip(started_at, ended_at)),
            hours_text(ended_at - started_at),
            _SOURCE_LABELS.get(source, source),
            project,
            title,
            status,
            url,
            note,
            str(code),
            zone_name,
        ]


def _local_text(moment, zone):
    """'2025-03-03 23:30:00' in the company's time zone (isoformat is C-fast; the offset is cut)."""
    return moment.astimezone(zone).isoformat(sep=" ", timespec="seconds")[:19]
