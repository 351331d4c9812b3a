"""Entries: the individual entries behind any number of the other reports."""

import re
from datetime import timedelta
from html import unescape

import pytest

from tracking.models import TimeEntry
from tracking.report_views import ENTRIES_PER_PAGE

from .report_fixtures import ENTRIES, TIMESHEET, WEEK, local, row_by_id, scenario, table_rows

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]


def test_the_entries_behind_a_timesheet_cell_add_up_to_it(client_for, scenario):
    client = client_for(scenario.manager)
    timesheet = client.get(f"{TIMESHEET}?{WEEK}").content.decode()
    row = re.search(rf'<tr id="person-{scenario.ana.code}".*?</tr>', timesheet, re.S).group(0)
    monday_link, monday_hours = re.findall(r'<a href="([^"]+)">([\d.]+)</a>', row)[0]

    html = client.get(unescape(monday_link)).content.decode()

    assert monday_hours == "5.25"
    assert 'Entries <span class="muted">· 5.25 h' in html
    assert [row[:4] for row in table_rows(html, "entries")[1:]] == [
        ["Ana Ruiz", "Sun 2 Mar 2025, 23:30", "Mon 3 Mar 2025, 00:45", "0.75 of 1.25"],
        ["Ana Ruiz", "Mon 3 Mar 2025, 09:00", "Mon 3 Mar 2025, 12:30", "3.50"],
        ["Ana Ruiz", "Mon 3 Mar 2025, 23:00", "Tue 4 Mar 2025, 01:30", "1.00 of 2.50"],
    ]


def test_entries_show_their_source_task_and_note(client_for, scenario):
    html = client_for(scenario.ana).get(f"{ENTRIES}?start=2025-03-04&end=2025-03-04").content.decode()

    assert row_by_id(html, f"entry-{scenario.across_midnight.code}") == [
        "Ana Ruiz",
        "Mon 3 Mar 2025, 23:00",
        "Tue 4 Mar 2025, 01:30",
        "1.50 of 2.50",
        "Web timer",
        "Website",
        "Login page",
        "",
    ]
    assert row_by_id(html, f"entry-{scenario.planning.code}") == [
        "Ana Ruiz",
        "Tue 4 Mar 2025, 14:00",
        "Tue 4 Mar 2025, 15:15",
        "1.25",
        "Manual",
        "",
        "No task",
        "Planning",
    ]


def test_entries_on_a_closed_or_deleted_task_say_so(client_for, scenario):
    html = client_for(scenario.owner).get(f"{ENTRIES}?{WEEK}&task={scenario.push.code}").content.decode()

    assert row_by_id(html, f"entry-{scenario.ben_tracked.code}")[6] == "Push notifications closed deleted upstream"
    assert len(table_rows(html, "entries")) == 3


def test_the_no_task_filter_lists_time_without_a_task(client_for, scenario):
    html = client_for(scenario.owner).get(f"{ENTRIES}?{WEEK}&task=none").content.decode()

    assert [(row[0], row[3]) for row in table_rows(html, "entries")[1:]] == [
        ("Ana Ruiz", "1.25"),
        ("Maya Manager", "0.50"),
    ]
    assert "task: <strong>No task</strong>" in html


def test_running_timers_are_not_listed(client_for, scenario):
    html = client_for(scenario.ana).get(f"{ENTRIES}?start=2025-03-05&end=2025-03-05").content.decode()

    assert f"entry-{scenario.running.code}" not in html
    assert "No entries in this range for these filters." in html


def test_entries_are_paginated_and_the_total_covers_every_page(client_for, company, member):
    start = local(company, "2025-06-10 09:00")
    TimeEntry.objects.bulk_create(
        TimeEntry(
            company=company,
            membership=member,
            source="desktop",
            started_at=start + timedelta(minutes=number),
            ended_at=start + timedelta(minutes=number, seconds=30),
        )
        for number in range(ENTRIES_PER_PAGE + 5)
    )
    client = client_for(member)

    first = client.get(f"{ENTRIES}?start=2025-06-10&end=2025-06-10").content.decode()
    second = client.get(f"{ENTRIES}?start=2025-06-10&end=2025-06-10&page=2").content.decode()

    assert len(table_rows(first, "entries")) == ENTRIES_PER_PAGE + 1 and len(table_rows(second, "entries")) == 6
    assert "Page 1 of 2" in first and "start=2025-06-10&amp;end=2025-06-10&amp;page=2" in first
    assert f"{ENTRIES_PER_PAGE + 5} entries" in first
    assert 'Entries <span class="muted">· 0.88 h' in second  # 105 × 30 s = 0.875 h, rounded half up


def test_a_page_number_out_of_range_shows_the_last_page(client_for, scenario):
    page = client_for(scenario.ana).get(f"{ENTRIES}?{WEEK}&page=999")

    assert page.status_code == 200
    assert f"entry-{scenario.across_dst.code}" in page.content.decode()
