"""The report tables of thousands of rows are rendered by Jinja2 (tracking/report_tables.py): every
value from a tracker or a person is escaped there as on every other page, and a link is a link."""

import pytest

from tests.factories import MembershipFactory
from tracking.models import TimeEntry

from .report_fixtures import ENTRIES, PROJECTS, TIMESHEET, make_project, make_task, track

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">'
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


@pytest.fixture
def hostile_day(company):
    company.allow_manual_time = True
    company.save()
    person = MembershipFactory(company=company, user__full_name=f"{HOSTILE} Person")
    task = make_task(make_project(company, f"{HOSTILE} project"), f"{HOSTILE} title")
    track(person, "2025-06-10 09:00", "2025-06-10 10:00", task=task, note=f"{HOSTILE} note")
    track(person, "2025-06-10 11:00", "2025-06-10 12:00", source=TimeEntry.Source.MANUAL, note="by hand")
    return person


@pytest.mark.parametrize("report", [TIMESHEET, PROJECTS, ENTRIES])
def test_names_titles_and_notes_are_escaped_in_every_report_table(client_for, owner, hostile_day, report):
    html = client_for(owner).get(f"{report}?start=2025-06-10&end=2025-06-10").content.decode()

    assert HOSTILE not in html
    assert f"{ESCAPED} Person" in html
    if report != TIMESHEET:
        assert f"{ESCAPED} title" in html


def test_the_entries_table_offers_edit_only_on_ones_own_entries_and_comes_back_to_the_same_page(
    client_for, owner, hostile_day
):
    query = f"start=2025-06-10&end=2025-06-10&people={hostile_day.code}"
    own = client_for(hostile_day).get(f"{ENTRIES}?{query}").content.decode()
    others = client_for(owner).get(f"{ENTRIES}?{query}").content.decode()

    assert f"{ESCAPED} note" in own and HOSTILE not in own
    back = "?next=/reports/entries/%3Fstart%3D2025-06-10%26end%3D2025-06-10%26people%3D"
    assert own.count('class="button small" href="/time/') == own.count(back) == 2
    assert 'href="/time/' not in others
