"""The entries export PostgreSQL writes line by line (tracking/reports/csv_sql.py) is, byte for byte,
the file the Python writer makes from the same entries: hostile text, quotes, line breaks, odd
spaces, time without a task, clipped and DST-crossing entries, every source and task status."""

from datetime import date

import pytest

from tests.factories import MembershipFactory
from tracking.reports.csv import csv_chunks, entries_csv_rows
from tracking.reports.csv_sql import entries_csv_chunks
from tracking.reports.filters import ReportFilters
from tracking.reports.periods import DateRange

from .report_fixtures import make_project, make_task, track

pytestmark = pytest.mark.django_db
HOSTILE = [
    "=cmd|'/C calc'!A0",
    "@SUM(1)",
    "+1+1",
    "-2+3",
    "x;=1",
    "x,=1",
    " =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    'say "hi";=1+1',
    'ok\n=HYPERLINK("x")',
    "\u00a0=1",
    "\u2003-1",
    "\x1c=1",
    "a\u0085=1",
    "plain",
    "",
    "it's 50% done",
    "back\\slash -1",
    "émoji 🕑 @home",
    '"quoted"',
    "1-2-3",
]


@pytest.fixture
def entries(company, owner):
    company.time_zone = "Europe/Madrid"
    company.save()
    person = MembershipFactory(company=company, role="user", user__full_name="", user__email="-x@acme.example")
    other = MembershipFactory(company=company, role="user", user__full_name='Zoë "Z" O\'Neil')
    states = ["", "started", "=1", "accepted"]
    for number, text in enumerate(HOSTILE):
        project = make_project(company, text)
        task = make_task(
            project,
            HOSTILE[(number + 1) % len(HOSTILE)],
            state=states[number % 4],
            is_open=number % 3 != 0,
            is_deleted_upstream=number % 5 == 0,
        )
        task.url = HOSTILE[(number + 2) % len(HOSTILE)]
        task.save()
        member = person if number % 2 else other
        track(
            member,
            f"2025-03-{10 + number % 15:02d} 09:00",
            f"2025-03-{10 + number % 15:02d} 09:{number + 7:02d}",
            task=task if number % 4 else None,
            note=HOSTILE[(number + 3) % len(HOSTILE)],
            source=["desktop", "web", "manual"][number % 3],
        )
    track(person, "2025-03-29 23:00", "2025-03-30 04:00", note="across the DST change")  # 02:00 is skipped
    track(person, "2025-03-09 22:00", "2025-03-10 01:30", note="starts before the range")
    track(person, "2025-03-31 23:15", "2025-04-01 00:45", note="ends after the range")
    return company


def test_the_database_writes_the_file_python_writes(owner, entries):
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 10), date(2025, 3, 31)))

    in_sql = "".join(entries_csv_chunks(owner, filters))
    in_python = "".join(csv_chunks(entries_csv_rows(owner, filters)))

    assert in_sql.count("\r\n") > len(HOSTILE) and "\"'=cmd|'" in in_sql and '"\u00a0\'=1"' in in_sql
    assert in_sql == in_python
