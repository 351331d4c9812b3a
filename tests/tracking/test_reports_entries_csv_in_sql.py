"""The entries export the database writes line by line (tracking/reports/csv_sql.py), on PostgreSQL
and on SQLite, is, byte for byte, the file Python's csv writer makes from the same entries: hostile
text, quotes, line breaks, odd spaces, time without a task, clipped and DST-crossing entries, every
source and task status."""

import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import MembershipFactory
from tracking.models import TimeEntry
from tracking.reports.csv import csv_chunks
from tracking.reports.csv_sql import (
    SPACES,
    _people_cells,
    _task_cells,
    entries_csv_chunks,
    hundredths_text,
    utc_offsets,
)
from tracking.reports.filters import ReportFilters
from tracking.reports.periods import DateRange

from .entries_csv_reference import entries_csv_rows
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
    "javascript:alert(document.cookie)",
    "\u202eexe.=1+1",  # right-to-left override before a formula
    "שלום -1",
]
LONGEST_TITLE = "@" + "ж" * 4_999  # Pivotal allows a 5,000-character story name


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
    longest = make_task(make_project(company, "Long"), LONGEST_TITLE)
    longest.url = "javascript:alert(1)"
    longest.save()
    track(other, "2025-03-21 10:00", "2025-03-21 10:30", task=longest, note="the longest title")
    odd = track(person, "2025-03-20 10:00", "2025-03-20 10:30", note="a source from no version of ours")
    TimeEntry.objects.filter(pk=odd.pk).update(source='=1+"x"')
    return company


def test_the_database_writes_the_file_python_writes(owner, entries):
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 10), date(2025, 3, 31)))

    in_sql = "".join(entries_csv_chunks(owner, filters))
    in_python = "".join(csv_chunks(entries_csv_rows(owner, filters)))

    assert in_sql.count("\r\n") > len(HOSTILE) and "\"'=cmd|'" in in_sql and '"\u00a0\'=1"' in in_sql
    assert '"\'=1+""x"""' in in_sql
    assert f'"\'{LONGEST_TITLE}"' in in_sql and '"javascript:alert(1)"' in in_sql
    assert in_sql == in_python


def test_times_are_cut_to_the_second_and_hours_rounded_half_up_as_python_does(company, owner):
    """SQLite's strftime rounds to the millisecond when it shifts a time: the export must not."""
    company.time_zone = "Europe/Madrid"
    company.save()
    change = datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # 02:00 in Madrid becomes 03:00
    just_before = timedelta(microseconds=-1)
    starts = [
        datetime(2025, 3, 12, 8, 59, 59, 999_999, tzinfo=UTC),
        datetime(2025, 3, 12, 22, 59, 59, 999_500, tzinfo=UTC),  # 23:59:59.9995 local
        change + just_before,
        change,
        change + timedelta(microseconds=1),
    ]
    lengths = [timedelta(seconds=18), timedelta(seconds=18) + just_before, timedelta(hours=2, microseconds=999_999)]
    for number, started_at in enumerate(starts):
        for length in lengths:
            TimeEntry.objects.create(
                company=company, membership=owner, started_at=started_at, ended_at=started_at + length, note=str(number)
            )
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 10), date(2025, 3, 31)))

    in_sql = "".join(entries_csv_chunks(owner, filters))

    assert in_sql == "".join(csv_chunks(entries_csv_rows(owner, filters)))
    assert '"2025-03-30 01:59:59","2025-03-30 03:00:17"' in in_sql  # a microsecond before the change: still CET
    assert '"2025-03-30 03:00:00","2025-03-30 03:00:18","0.01"' in in_sql  # 18 s: half a hundredth, up


ZONES = ["UTC", "Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Africa/Casablanca"]


@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)),
    days=st.integers(min_value=1, max_value=370),
    data=st.data(),
)
def test_the_offsets_for_sqlite_are_the_zones_at_every_instant(zone, start, days, data):
    zone = ZoneInfo(zone)
    end = start + timedelta(days=days)
    offsets = utc_offsets(zone, start, end)
    moment = data.draw(st.datetimes(min_value=start.replace(tzinfo=None), max_value=end.replace(tzinfo=None)))
    moment = moment.replace(tzinfo=UTC)

    modifier = next(modifier for until, modifier in offsets if until is None or moment < until)

    assert modifier == f"{moment.astimezone(zone).utcoffset() // timedelta(seconds=1):+d} seconds"


def test_each_change_of_offset_is_found_to_the_second():
    zone = ZoneInfo("America/New_York")

    offsets = utc_offsets(zone, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    assert offsets == [
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "-18000 seconds"),
        (datetime(2026, 11, 1, 6, 0, tzinfo=UTC), "-14400 seconds"),
        (None, "-18000 seconds"),
    ]


def test_a_person_or_task_added_while_the_export_runs_is_written_all_the_same(company, owner, caplog):
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 10), date(2025, 3, 16)))
    people, tasks = _people_cells(owner, filters), _task_cells(owner, filters)  # loaded as the export starts
    newcomer = MembershipFactory(company=company, user__full_name="=Late, Lou", user__email="lou@acme.example")
    task = make_task(make_project(company, "Web"), '@new "task"')
    track(newcomer, "2025-03-11 09:00", "2025-03-11 10:00", task=task)

    assert people[newcomer.pk] == '"\'=Late, Lou","lou@acme.example",'
    assert tasks[task.pk] == f'"Web","\'@new ""task""","started","{task.url}",'
    assert tasks[None] == '"","No task","","",'
    assert tasks[10**9] == '"","","","",'  # nothing behind the id: the columns stay in place
    assert "no task 1000000000" in caplog.text


def test_only_the_people_and_tasks_of_the_exported_entries_are_loaded(company, owner, member):
    web = make_project(company, "Web")
    worked_on, untouched = make_task(web, "Login"), make_task(web, "Signup")
    track(member, "2025-03-11 09:00", "2025-03-11 10:00", task=worked_on)
    MembershipFactory.create_batch(3, company=company)
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 10), date(2025, 3, 16)))

    assert set(_people_cells(owner, filters)) == {member.pk}
    assert set(_task_cells(owner, filters)) == {worked_on.pk, None}
    assert untouched.pk not in _task_cells(owner, filters)


def test_every_number_of_hundredths_up_to_2400_hours_is_written_as_its_digits():
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE n(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM n WHERE h < 240000) "
            f"SELECT h, {hundredths_text(connection, 'h')} FROM n",
            [],  # no parameter, but the SQL is read as a template (`%%` is one %), as a query's is
        )
        written = cursor.fetchall()

    assert len(written) == 240_001
    assert [(h, text) for h, text in written if text != f"{h // 100}.{h % 100:02d}"] == []


def test_the_spaces_the_export_checks_in_sql_are_every_space_python_knows():
    """The formula check in SQL skips the spaces a spreadsheet skips, as `csv.safe_text` does with
    `str.isspace`: the list written in csv_sql.py is exactly Python's, for this Python's Unicode."""
    assert sorted(SPACES) == [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
