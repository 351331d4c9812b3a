"""Report filters: date presets in the company's time zone, custom ranges, and bad input."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from .report_fixtures import (
    ENTRIES,
    ENTRIES_CSV,
    PROJECTS,
    PROJECTS_CSV,
    TIMESHEET,
    TIMESHEET_CSV,
    WEEK,
    scenario,
    table_rows,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]
ALL_PATHS = [TIMESHEET, PROJECTS, ENTRIES, TIMESHEET_CSV, PROJECTS_CSV, ENTRIES_CSV]
# Wednesday 5 March 2025, 03:00 UTC: still Tuesday 4 March, 22:00, in New York.
NOW = datetime(2025, 3, 5, 3, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.mark.parametrize(
    ("preset", "label"),
    [
        ("today", "Tue 4 Mar 2025"),
        ("yesterday", "Mon 3 Mar 2025"),
        ("this_week", "Mon 3 Mar 2025 – Sun 9 Mar 2025"),
        ("last_week", "Mon 24 Feb 2025 – Sun 2 Mar 2025"),
        ("this_month", "Sat 1 Mar 2025 – Mon 31 Mar 2025"),
        ("last_month", "Sat 1 Feb 2025 – Fri 28 Feb 2025"),
    ],
)
def test_presets_are_days_of_the_companys_calendar_with_weeks_from_monday(
    client_for, scenario, frozen_now, preset, label
):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?range={preset}").content.decode()

    assert re.search(r'id="range-label">\s*' + re.escape(label) + " ·", html)


def test_today_shows_the_time_of_the_local_day(client_for, scenario, frozen_now):
    html = client_for(scenario.ana).get(f"{ENTRIES}?range=today").content.decode()

    assert [(row[1], row[3]) for row in table_rows(html, "entries")[1:]] == [
        ("Mon 3 Mar 2025, 23:00", "1.50 of 2.50"),
        ("Tue 4 Mar 2025, 14:00", "1.25"),
    ]


def test_the_presets_are_links_that_keep_the_other_filters(client_for, scenario, frozen_now):
    html = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}&people={scenario.ana.code}").content.decode()

    assert f'href="/reports/projects/?range=last_week&amp;people={scenario.ana.code}"' in html
    assert 'class="button small primary"' not in re.search(r'<p class="presets">.*?</p>', html, re.S).group(0)


def test_the_active_preset_is_marked_and_its_dates_fill_the_form(client_for, scenario, frozen_now):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?range=last_month").content.decode()

    assert re.search(r'class="button small primary" aria-current="true">Last month</a>', html)
    assert 'name="start" id="id_start" value="2025-02-01"' in html and 'value="2025-02-28"' in html


def test_a_preset_wins_over_dates_in_the_same_request(client_for, scenario, frozen_now):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?range=today&start=2024-01-01&end=2024-12-31").content.decode()

    assert "Tue 4 Mar 2025 ·" in html


def test_a_range_of_a_whole_leap_year_is_allowed(client_for, scenario):
    assert client_for(scenario.owner).get(f"{TIMESHEET}?start=2024-01-01&end=2024-12-31").status_code == 200


BAD_INPUT = [
    ("start=2025-03-09&end=2025-03-03", "The end date (2025-03-03) is before the start date (2025-03-09)."),
    ("start=2025-02-30&end=2025-03-03", "Enter a valid date."),
    ("start=yesterday&end=2025-03-03", "Enter a valid date."),
    ("start=2025-03-03", "Enter both dates: the range needs a start and an end."),
    ("end=2025-03-03", "Enter both dates: the range needs a start and an end."),
    ("start=2024-01-01&end=2025-01-01", "A report covers at most one year (366 days); this range has 367 days."),
    ("start=0001-01-01&end=0001-01-02", "Choose a date between 2000 and 2100."),
    ("start=9999-12-30&end=9999-12-31", "Choose a date between 2000 and 2100."),
    ("range=fortnight", "Select a valid choice. fortnight is not one of the available choices."),
    (
        "people=00000000-0000-0000-0000-000000000000",
        "You cannot see the time of this person, or there is no such person: 00000000-0000-0000-0000-000000000000.",
    ),
    ("people=not-an-id", "“not-an-id” is not a valid person id."),
    ("projects=999999", "There is no such project in your company: 999999."),
    ("projects=abc", "“abc” is not a valid project id."),
    (
        "task=00000000-0000-0000-0000-000000000000",
        "There is no such task in your company: 00000000-0000-0000-0000-000000000000.",
    ),
    ("task=42", "There is no such task in your company: 42."),
    ("chart=pie", "Select a valid choice. pie is not one of the available choices."),
]


@pytest.mark.parametrize(("query", "message"), BAD_INPUT)
@pytest.mark.parametrize("path", ALL_PATHS)
def test_bad_filters_get_a_clear_message_and_no_data(client_for, scenario, path, query, message):
    response = client_for(scenario.owner).get(f"{path}?{query}")
    body = response.content.decode()

    assert response.status_code == 400
    assert message in body
    assert "11.00" not in body and "Login page" not in body


def test_a_bad_filter_still_shows_the_form_with_what_was_typed(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?start=2025-03-09&end=2025-03-03").content.decode()

    assert 'role="alert"' in html and 'value="2025-03-09"' in html and 'value="2025-03-03"' in html
    assert 'id="timesheet"' not in html and "Export CSV" not in html


def test_an_error_in_the_csv_is_plain_text_naming_the_field(client_for, scenario):
    response = client_for(scenario.owner).get(f"{TIMESHEET_CSV}?start=2025-03-09&end=2025-03-03")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "To: The end date (2025-03-03) is before the start date (2025-03-09).\n"


def test_filters_are_a_get_form(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode()

    assert '<form method="get" action="" class="inline-form filter-form">' in html
    assert client_for(scenario.owner).post(f"{TIMESHEET}?{WEEK}").status_code == 405


def test_an_id_too_large_for_any_database_is_a_clear_error(client_for, owner):
    response = client_for(owner).get(reverse("reports:timesheet"), {"projects": "99999999999999999999999"})
    export = client_for(owner).get(reverse("reports:timesheet-csv"), {"projects": "99999999999999999999999"})

    assert response.status_code == 400 and "is not a valid project id" in response.content.decode()
    assert export.status_code == 400
