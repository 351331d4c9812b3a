"""Timesheet: hours per person per local day, totals per person, per day and overall, manual apart."""

import re

import pytest

from tests.factories import MembershipFactory

from .report_fixtures import (
    ENTRIES,
    TIMESHEET,
    WEEK,
    local,
    make_project,
    make_task,
    row_by_id,
    scenario,
    table_rows,
    timesheet_numbers,
    track,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]

#                Mon     Tue     Wed     Thu     Fri     Sat     Sun     tracked manual  total
ANA = ["5.25", "2.75", "0.00", "0.00", "0.00", "0.50", "2.50", "9.75", "1.25", "11.00"]
BEN = ["0.00", "0.00", "1.75", "0.00", "0.00", "0.00", "0.00", "1.00", "0.75", "1.75"]
CHLOE = ["0.00", "0.00", "0.00", "2.00", "0.00", "0.00", "0.00", "2.00", "0.00", "2.00"]
MAYA = ["0.00", "0.00", "0.00", "0.00", "0.50", "0.00", "0.00", "0.50", "0.00", "0.50"]
NOBODY = ["0.00"] * 10
ALL = ["5.25", "2.75", "1.75", "2.00", "0.50", "0.50", "2.50", "13.25", "2.00", "15.25"]


def test_the_timesheet_shows_hours_per_person_per_day_with_totals(client_for, scenario):
    page = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}")

    assert page.status_code == 200
    assert timesheet_numbers(page.content.decode()) == {
        "Adam Admin": NOBODY,
        "Ana Ruiz": ANA,
        "Ben Okafor": BEN,
        "Chloe Martin": CHLOE,
        "Maya Manager": MAYA,
        "Olivia Owner": NOBODY,
        "All people": ALL,
    }


def test_the_days_are_the_columns_of_the_range_from_monday(client_for, scenario):
    header = table_rows(client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode(), "timesheet")[0]

    assert header == [
        "Person",
        "Mon 3 Mar",
        "Tue 4 Mar",
        "Wed 5 Mar",
        "Thu 6 Mar",
        "Fri 7 Mar",
        "Sat 8 Mar",
        "Sun 9 Mar",
        "Tracked",
        "Manual",
        "Total",
    ]


def test_an_entry_across_midnight_is_split_between_the_two_local_days(client_for, company, member):
    company.time_zone = "America/New_York"
    company.save()
    track(member, "2025-06-10 23:00", "2025-06-11 01:30")  # 03:00 → 05:30 UTC: one UTC day, two local ones

    html = client_for(member).get(f"{TIMESHEET}?start=2025-06-10&end=2025-06-11").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["1.00", "1.50", "2.50", "0.00", "2.50"]


def test_days_are_cut_at_the_companys_midnight_not_at_utc_midnight(client_for, company, member):
    company.time_zone = "America/New_York"
    company.save()
    track(member, "2025-06-10 19:00", "2025-06-10 21:00")  # 23:00 → 01:00 UTC, the same local evening

    html = client_for(member).get(f"{TIMESHEET}?start=2025-06-10&end=2025-06-11").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["2.00", "0.00", "2.00", "0.00", "2.00"]


def test_the_night_daylight_saving_time_starts_counts_the_real_hours(client_for, scenario):
    # Sat 8 March 23:30 EST → Sun 9 March 03:30 EDT is 3 hours: 0.5 on Saturday, 2.5 on Sunday.
    numbers = timesheet_numbers(client_for(scenario.ana).get(f"{TIMESHEET}?{WEEK}").content.decode())

    assert numbers["Ana Ruiz"][5:7] == ["0.50", "2.50"]


def test_the_night_clocks_go_back_counts_the_extra_hour(client_for, company, member):
    company.time_zone = "America/New_York"
    company.save()
    # Sunday 2 November lasts 25 hours. Sat 22:00 EDT → Mon 02:00 EST is 29 hours (longer than the
    # timer allows, but a report must still cut it right): 2 on Saturday, 25 on Sunday, 2 on Monday.
    entry = track(member, "2025-11-01 22:00", "2025-11-03 02:00", source="manual")
    entry.refresh_from_db()
    assert (entry.ended_at - entry.started_at).total_seconds() == 29 * 3600

    html = client_for(member).get(f"{TIMESHEET}?start=2025-11-01&end=2025-11-03").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["2.00", "25.00", "2.00", "0.00", "29.00", "29.00"]


def test_an_entry_that_starts_before_the_range_counts_only_its_part_inside(client_for, scenario):
    # Sun 2 March 23:30 → Mon 3 March 00:45: 0.75 h of it fall on Monday.
    html = client_for(scenario.ana).get(f"{TIMESHEET}?start=2025-03-02&end=2025-03-03").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["0.50", "5.25", "5.75", "0.00", "5.75"]


def test_an_entry_of_almost_a_day_counts_in_a_range_that_starts_the_next_day(client_for, company, member):
    track(member, "2025-06-09 00:30", "2025-06-10 00:15")  # 23 h 45 min, the longest kind of entry

    html = client_for(member).get(f"{TIMESHEET}?start=2025-06-10&end=2025-06-10").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["0.25", "0.25", "0.00", "0.25"]


def test_manual_time_is_shown_apart_from_tracked_time(client_for, scenario):
    row = row_by_id(
        client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode(), f"person-{scenario.ana.code}"
    )

    assert row[2] == "2.75 1.25 manual"  # Tuesday: 1.50 tracked + 1.25 added by hand
    assert row[-3:] == ["9.75", "1.25", "11.00"]


def test_running_timers_are_left_out(client_for, scenario):
    numbers = timesheet_numbers(client_for(scenario.ana).get(f"{TIMESHEET}?{WEEK}").content.decode())

    assert numbers["Ana Ruiz"][2] == "0.00"  # Wednesday's timer is still running


def test_totals_are_rounded_from_the_exact_time_not_summed_from_rounded_cells(client_for, company, member):
    for day in ("2025-06-09", "2025-06-10", "2025-06-11"):
        track(member, f"{day} 09:00", f"{day} 09:20")  # 0.333… h each

    html = client_for(member).get(f"{TIMESHEET}?start=2025-06-09&end=2025-06-11").content.decode()

    assert timesheet_numbers(html)["Ana Ruiz"] == ["0.33", "0.33", "0.33", "1.00", "0.00", "1.00"]


def test_people_and_projects_filters_narrow_the_timesheet(client_for, scenario):
    query = f"{WEEK}&people={scenario.ana.code}&people={scenario.ben.code}&projects={scenario.website.pk}"

    numbers = timesheet_numbers(client_for(scenario.owner).get(f"{TIMESHEET}?{query}").content.decode())

    # Only Website time: Ana's Login page and Signup form, not her manual time without a task.
    assert numbers == {
        "Ana Ruiz": ["5.25", "1.50", "0.00", "0.00", "0.00", "0.50", "2.50", "9.75", "0.00", "9.75"],
        "Ben Okafor": NOBODY[:7] + ["0.00", "0.00", "0.00"],
        "All people": ["5.25", "1.50", "0.00", "0.00", "0.00", "0.50", "2.50", "9.75", "0.00", "9.75"],
    }


def test_a_cell_links_to_the_entries_behind_it(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode()
    row = re.search(rf'<tr id="person-{scenario.ana.code}".*?</tr>', html, re.S).group(0)

    links = re.findall(r'<a href="([^"]+)">([\d.]+)</a>', row)

    assert (f"{ENTRIES}?people={scenario.ana.code}&amp;start=2025-03-04&amp;end=2025-03-04", "2.75") in links
    assert (f"{ENTRIES}?start=2025-03-03&amp;end=2025-03-09&amp;people={scenario.ana.code}", "11.00") in links


def test_the_chart_is_an_svg_readable_without_hovering(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode()
    chart = re.search(r'<figure class="chart">(.*?)</figure>', html, re.S).group(1)

    assert "Hours per day, by person" in chart and "<svg" in chart
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", chart)
    assert {"5.25", "2.75", "1.75", "2.00", "0.50", "2.50"} <= set(texts)  # a value above every bar
    assert {"Mon", "Tue", "Sun", "3 Mar", "9 Mar", "0 h"} <= set(texts)  # axis labels
    legend = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<ul class="chart-legend">(.*?)</ul>', chart, re.S).group(1))
    )
    assert "Ana Ruiz 11.00 h" in legend and "Chloe Martin 2.00 h" in legend and "Ben Okafor 1.75 h" in legend


def test_the_chart_can_be_stacked_by_project(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}&chart=project").content.decode()
    legend = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<ul class="chart-legend">(.*?)</ul>', html, re.S).group(1))
    )

    assert "Hours per day, by project" in html
    assert "Website 11.75 h" in legend and "Mobile 1.75 h" in legend and "No task 1.75 h" in legend


def test_a_long_range_charts_weeks_or_months_so_labels_stay_readable(client_for, company, member):
    track(member, "2025-01-06 09:00", "2025-01-06 10:00")
    client = client_for(member)

    by_week = client.get(f"{TIMESHEET}?start=2025-01-01&end=2025-03-31").content.decode()
    by_month = client.get(f"{TIMESHEET}?start=2025-01-01&end=2025-12-31").content.decode()

    assert "Hours per week, by person" in by_week and "week of" in by_week
    assert "Hours per month, by person" in by_month and by_month.count('<g class="bar">') == 12


def test_more_than_eight_people_are_charted_as_the_top_seven_and_others(client_for, company, owner):
    for number in range(10):
        person = MembershipFactory(company=company, user__full_name=f"Person {number:02d}")
        track(person, "2025-06-10 09:00", f"2025-06-10 {10 + number}:00")

    html = client_for(owner).get(f"{TIMESHEET}?start=2025-06-10&end=2025-06-10").content.decode()
    legend = re.findall(r"<li>.*?</svg>\s*([^<]+?)\s*<span", html, re.S)

    assert legend == [f"Person {number:02d}" for number in range(9, 2, -1)] + ["Others (3)"]


def test_report_pages_need_no_inline_styles_or_scripts(client_for, scenario):
    for path in (TIMESHEET, ENTRIES):
        page = client_for(scenario.owner).get(f"{path}?{WEEK}")
        html = page.content.decode()

        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert "/static/css/reports.css" in html


def test_the_reports_menu_item_is_shown_to_every_role(client_for, members):
    for membership in members.values():
        html = client_for(membership).get(TIMESHEET).content.decode()

        assert re.search(r'<a href="/reports/" class="active" aria-current="page">Reports</a>', html)


def test_with_no_dates_the_timesheet_shows_this_week(client_for, company, member, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(company, "2025-06-12 15:00"))

    html = client_for(member).get(TIMESHEET).content.decode()

    assert "Mon 9 Jun 2025 – Sun 15 Jun 2025" in html
    assert table_rows(html, "timesheet")[0][1:8] == [
        "Mon 9 Jun",
        "Tue 10 Jun",
        "Wed 11 Jun",
        "Thu 12 Jun",
        "Fri 13 Jun",
        "Sat 14 Jun",
        "Sun 15 Jun",
    ]


def test_time_on_projects_of_a_deactivated_member_stays_in_the_timesheet(client_for, scenario):
    numbers = timesheet_numbers(client_for(scenario.admin).get(f"{TIMESHEET}?{WEEK}").content.decode())

    assert numbers["Chloe Martin"] == CHLOE


def test_an_empty_range_says_so(client_for, company, member):
    html = client_for(member).get(f"{TIMESHEET}?start=2024-01-01&end=2024-01-07").content.decode()

    assert "No time to chart in this range." in html
    assert timesheet_numbers(html)["Ana Ruiz"] == NOBODY


def test_a_task_filter_narrows_the_timesheet_to_that_task(client_for, scenario):
    query = f"{WEEK}&task={scenario.signup.code}"

    html = client_for(scenario.owner).get(f"{TIMESHEET}?{query}").content.decode()

    assert timesheet_numbers(html)["All people"] == ["0.00"] * 5 + ["0.50", "2.50", "3.00", "0.00", "3.00"]
    assert "task: <strong>Signup form</strong>" in html


def test_projects_from_the_filter_are_those_of_the_company(client_for, scenario):
    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)

    assert options == ["Mobile", "Website"]
    assert "Globex" not in html


def test_a_project_without_time_is_offered_but_shows_nothing(client_for, scenario):
    empty = make_project(scenario.company, "Archive")
    make_task(empty, "Old story")

    html = client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}&projects={empty.pk}").content.decode()

    assert timesheet_numbers(html)["All people"] == ["0.00"] * 10
