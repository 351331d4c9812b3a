"""Every page shows times in the reader's time zone (theirs, else their company's) and durations in
their unit (2.50 or 2:30); reports still cut days at midnight in the company's zone and say so; the
CSV files keep decimal hours and the company's zone, whoever exports them."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from companies.models import AuditEvent
from companies.preferences import format_duration, override_duration_format, person_zone
from tracking.models import TimeEntry

from .entry_helpers import at, entry, frozen_now, manual_on
from .report_fixtures import (
    ENTRIES,
    ENTRIES_CSV,
    TIMESHEET,
    WEEK,
    csv_rows,
    row_by_id,
    scenario,
    table_rows,
    timesheet_numbers,
)

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on", "scenario"]
DASHBOARD = reverse("dashboard")
TOKYO = "Asia/Tokyo"  # UTC+9, no DST: the frozen noon UTC is 21:00 there


def prefer(membership, time_zone="", duration_format="decimal"):
    membership.user.time_zone = time_zone
    membership.user.duration_format = duration_format
    membership.user.save()


def text(html_fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_fragment)).strip()


def section(html, section_id):
    found = re.search(rf'<section class="card[^"]*" id="{section_id}"[^>]*>(.*?)</section>', html, re.S)
    assert found, f"no section #{section_id}"
    return found.group(1)


# --- The filters, on their own -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "decimal", "hm"),
    [
        (timedelta(hours=2, minutes=30), "2.50", "2:30"),
        (timedelta(minutes=1), "0.02", "0:01"),
        (timedelta(seconds=29), "0.01", "0:00"),
        (timedelta(seconds=30), "0.01", "0:01"),
        (timedelta(hours=23, minutes=59, seconds=59), "24.00", "24:00"),
        (9000, "2.50", "2:30"),
        (timedelta(0), "0.00", "0:00"),
    ],
)
def test_a_duration_is_written_in_either_unit_rounded_half_up(duration, decimal, hm):
    assert format_duration(duration, "decimal") == decimal and format_duration(duration, "hm") == hm
    with override_duration_format("hm"):
        assert format_duration(duration) == hm
    assert format_duration(duration) == decimal  # nothing active: decimal


def test_any_template_can_load_the_filters_and_they_follow_the_active_zone_and_unit():
    template = Template(
        '{% load person_tags %}{{ when|in_person_zone:"M j, H:i T" }} · {{ when|in_person_zone }}'
        " · {% person_zone %} · {{ took|duration }}"
    )
    context = Context({"when": datetime(2025, 7, 1, 10, 5, tzinfo=UTC), "took": timedelta(minutes=90)})

    assert template.render(context) == "Jul 1, 10:05 UTC · Tue 1 Jul 2025, 10:05 · UTC · 1.50"
    with timezone.override(ZoneInfo("Europe/Madrid")), override_duration_format("hm"):
        assert template.render(context) == "Jul 1, 12:05 CEST · Tue 1 Jul 2025, 12:05 · Europe/Madrid · 1:30"


def test_a_zone_missing_from_this_machine_falls_back_to_the_companys(member, company):
    company.time_zone = "Europe/Madrid"
    member.user.time_zone = "Mars/Olympus"  # saved elsewhere, say

    assert person_zone(member).key == "Europe/Madrid"


# --- The dashboard: today's list, the timer, recently deleted, time by hand ---------------------


def test_todays_list_is_the_persons_day_in_their_zone_and_unit(client_for, member, frozen_now):
    prefer(member, TOKYO, "hm")
    entry(member, "16:00", "17:00", day="2025-03-05")  # Thursday 01:00–02:00 in Tokyo: today there
    entry(member, "08:00", "09:30")  # Thursday 17:00–18:30 in Tokyo
    entry(member, "13:00", "14:30", day="2025-03-05")  # Wednesday 22:00–23:30 in Tokyo: yesterday there

    today = section(client_for(member).get(DASHBOARD).content.decode(), "today")

    assert "Today · 2:30 h" in text(today)
    assert "From (Asia/Tokyo)" in text(today)
    rows = [text(row) for row in re.findall(r'<tr id="entry-[^"]+">(.*?)</tr>', today, re.S)]
    assert [row.split(" No task")[0] for row in rows] == ["01:00 02:00", "17:00 18:30"]
    assert [row.split("Desktop app ")[1].split()[0] for row in rows] == ["1:00", "1:30"]


def test_a_colleague_in_the_company_zone_sees_their_own_day_in_decimal_hours(client_for, member, admin, frozen_now):
    prefer(member, TOKYO, "hm")
    entry(admin, "08:00", "09:30")

    today = section(client_for(admin).get(DASHBOARD).content.decode(), "today")

    assert "Today · 1.50 h" in text(today) and "08:00 09:30" in text(today) and "From (UTC)" in text(today)


def test_the_running_timer_and_todays_ticking_total_use_the_persons_zone_and_unit(client_for, member, frozen_now):
    prefer(member, TOKYO, "hm")
    entry(member, "08:00", "09:00")
    entry(member, "11:30", None, source=TimeEntry.Source.WEB)

    html = client_for(member).get(DASHBOARD).content.decode()

    assert "since 20:30" in text(section(html, "timer"))
    assert 'data-duration-format="hm"' in html and "Today · 1:30 h" in text(section(html, "today"))
    assert '<script src="/static/js/durations.js" defer></script>' in html


def test_recently_deleted_entries_show_their_day_times_and_length_as_the_person_reads_them(
    client_for, member, frozen_now, manual_on
):
    prefer(member, TOKYO, "hm")
    gone = entry(member, "14:30", "16:15", day="2025-03-05")  # Wed 23:30 → Thu 01:15 in Tokyo
    client = client_for(member)
    client.post(reverse("delete-entry", args=[gone.code]))

    row = re.search(rf'<tr id="deleted-{gone.code}">(.*?)</tr>', client.get(DASHBOARD).content.decode(), re.S)

    assert text(row.group(1)).startswith("Wed 5 Mar 23:30 01:15 No task 1:45")


def test_time_by_hand_is_read_in_the_persons_zone(client_for, member, frozen_now, manual_on):
    prefer(member, TOKYO)
    client = client_for(member)

    page = client.get(DASHBOARD).content.decode()
    client.post(reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "10:00", "end": "11:00"})

    assert "Times are in your time zone, Asia/Tokyo." in page
    assert 'name="date" value="2025-03-06"' in page
    added = TimeEntry.objects.get()
    assert (added.started_at, added.ended_at) == (at("01:00"), at("02:00"))


def test_editing_an_entry_shows_and_reads_its_times_in_the_persons_zone(
    client_for, member, outsider, admin, frozen_now, manual_on
):
    prefer(member, TOKYO)
    mine = entry(member, "08:00", "09:30")
    url = reverse("edit-entry", args=[mine.code])
    client = client_for(member)

    form = client.get(url).content.decode()
    client.post(url, {"started_at": "2025-03-06T18:00", "ended_at": "2025-03-06T18:30", "task": "", "note": ""})

    assert 'value="2025-03-06T17:00"' in form and 'value="2025-03-06T18:30"' in form
    assert "Times are in your time zone, Asia/Tokyo." in form
    mine.refresh_from_db()
    assert (mine.started_at, mine.ended_at) == (at("09:00"), at("09:30"))
    assert client_for(admin).get(url).status_code == 404  # a colleague's entry is not theirs to edit
    assert client_for(outsider).get(url).status_code == 404


# --- The audit log -------------------------------------------------------------------------------


def test_the_audit_log_shows_when_in_the_readers_zone(client_for, owner, admin, member, outsider, company):
    prefer(admin, TOKYO)
    AuditEvent.objects.create(
        company=company,
        actor=owner,
        action="company.updated",
        summary="Changed the logo",
        created_at=datetime(2025, 3, 6, 12, 0, 5, tzinfo=UTC),
    )

    seen_by_admin = client_for(admin).get(reverse("companies:audit-log")).content.decode()
    seen_by_owner = client_for(owner).get(reverse("companies:audit-log")).content.decode()

    assert "When (Asia/Tokyo)" in text(seen_by_admin) and ">2025-03-06 21:00:05</time>" in seen_by_admin
    assert "When (UTC)" in text(seen_by_owner) and ">2025-03-06 12:00:05</time>" in seen_by_owner
    assert client_for(member).get(reverse("companies:audit-log")).status_code == 403
    assert "Changed the logo" not in client_for(outsider).get(reverse("companies:audit-log")).content.decode()


def test_an_audited_change_of_time_names_the_zone_of_its_times(client_for, member, company, frozen_now, manual_on):
    company.time_zone = "Europe/Madrid"
    company.save()

    client_for(member).post(
        reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "10:00", "end": "11:00"}
    )

    assert AuditEvent.objects.get(action="time_entry.added").summary.endswith("10:00–11:00 (Europe/Madrid)")


# --- Reports: the company's days, the reader's clock and unit ------------------------------------


def test_reports_cut_days_in_the_company_zone_whatever_the_readers_zone(client_for, scenario):
    before = timesheet_numbers(client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode())
    prefer(scenario.owner, TOKYO)

    after = timesheet_numbers(client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode())

    assert after == before
    assert after["Ana Ruiz"][:7] == ["5.25", "2.75", "0.00", "0.00", "0.00", "0.50", "2.50"]


def test_the_line_under_the_filters_says_whose_zone_cuts_the_days_and_whose_shows_the_times(client_for, scenario):
    prefer(scenario.owner, TOKYO)

    label = text(
        re.search(
            r'id="range-label">(.*?)</p>', client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}").content.decode(), re.S
        ).group(1)
    )
    same_zone = text(
        re.search(
            r'id="range-label">(.*?)</p>',
            client_for(scenario.manager).get(f"{TIMESHEET}?{WEEK}").content.decode(),
            re.S,
        ).group(1)
    )

    assert (
        "days cut at midnight in the company's time zone, America/New_York (times shown in yours, Asia/Tokyo)" in label
    )
    assert "days cut at midnight in the company's time zone, America/New_York · weeks" in same_zone


def test_the_entries_report_shows_times_in_the_readers_zone_and_hours_in_their_unit(client_for, scenario):
    prefer(scenario.owner, "Europe/Madrid", "hm")  # New York + 6 hours that week

    html = (
        client_for(scenario.owner)
        .get(f"{ENTRIES}?start=2025-03-03&end=2025-03-03&people={scenario.ana.code}")
        .content.decode()
    )

    assert row_by_id(html, f"entry-{scenario.monday_morning.code}")[1:4] == [
        "Mon 3 Mar 2025, 15:00",
        "Mon 3 Mar 2025, 18:30",
        "3:30",
    ]
    assert row_by_id(html, f"entry-{scenario.across_midnight.code}")[1:4] == [
        "Tue 4 Mar 2025, 05:00",
        "Tue 4 Mar 2025, 07:30",
        "1:00 of 2:30",
    ]
    assert "Times in Europe/Madrid." in html and 'Entries <span class="muted">· 5:15 h' in html


def test_the_timesheet_and_projects_report_write_hours_in_the_readers_unit(client_for, scenario):
    prefer(scenario.owner, duration_format="hm")
    client = client_for(scenario.owner)

    timesheet = timesheet_numbers(client.get(f"{TIMESHEET}?{WEEK}").content.decode())
    projects = table_rows(client.get(f"{reverse('reports:projects')}?{WEEK}").content.decode(), "projects-report")

    assert timesheet["Ana Ruiz"][:2] == ["5:15", "2:45"] and timesheet["All people"][-1] == "15:15"
    assert projects[-1] == ["All projects", "13:15", "2:00", "15:15"]


def test_the_csv_keeps_decimal_hours_and_the_company_zone_whoever_exports_it(client_for, scenario):
    query = f"{WEEK}&people={scenario.ana.code}"
    as_company = csv_rows(client_for(scenario.manager).get(f"{ENTRIES_CSV}?{query}"))
    prefer(scenario.owner, TOKYO, "hm")

    rows = csv_rows(client_for(scenario.owner).get(f"{ENTRIES_CSV}?{query}"))

    assert rows == as_company
    assert rows[0][-1] == "Time zone" and {row[-1] for row in rows[1:]} == {"America/New_York"}
    assert rows[1][2:6] == ["2025-03-02 23:30:00", "2025-03-03 00:45:00", "0.75", "1.25"]


def test_the_dashboards_week_in_the_readers_unit_says_the_days_are_the_companys(client_for, scenario, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 3, 6, 17, 0, tzinfo=UTC))
    prefer(scenario.ana, TOKYO, "hm")

    summary = text(section(client_for(scenario.ana).get(DASHBOARD).content.decode(), "week-summary"))

    assert "This week · 11:00 h, of which 1:15 h manual" in summary
    assert "days cut at midnight in the company's time zone, America/New_York" in summary
    assert "Website 9:45 h No task 1:15 h" in summary
