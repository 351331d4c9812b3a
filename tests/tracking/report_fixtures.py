"""Helpers for the Reports tests: projects, tasks and time entries written with the ORM, times given
in the company's local time, and readers for the numbers on a page and in a CSV."""

import csv
import io
import re
from datetime import datetime
from html import unescape
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tracking.models import Project, Task, TimeEntry

_numbers = count(1)
TIMESHEET = reverse("reports:timesheet")
PROJECTS = reverse("reports:projects")
ENTRIES = reverse("reports:entries")
TIMESHEET_CSV = reverse("reports:timesheet-csv")
PROJECTS_CSV = reverse("reports:projects-csv")
ENTRIES_CSV = reverse("reports:entries-csv")


def make_project(company, name):
    return Project.objects.create(company=company, provider="pivotal", external_id=str(next(_numbers)), name=name)


def make_task(project, title, *, state="started", is_open=True, is_deleted_upstream=False):
    number = next(_numbers)
    return Task.objects.create(
        company=project.company,
        provider="pivotal",
        external_id=f"story-{number}",
        project=project,
        title=title,
        url=f"https://www.pivotaltracker.com/story/show/{number}",
        kind="feature",
        state=state,
        is_open=is_open,
        is_deleted_upstream=is_deleted_upstream,
    )


def local(company, text):
    """'2025-03-03 23:00' in the company's time zone, as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(company.time_zone))


def track(membership, start, end, *, task=None, source=TimeEntry.Source.DESKTOP, note=""):
    """A finished entry from `start` to `end` (local times of the membership's company); `end=None`
    leaves a timer running."""
    company = membership.company
    return TimeEntry.objects.create(
        company=company,
        membership=membership,
        task=task,
        source=source,
        note=note,
        started_at=local(company, start),
        ended_at=local(company, end) if end else None,
    )


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def cell_text(html_fragment):
    return unescape(re.sub(r"<[^>]+>", " ", html_fragment)).split()


def table_rows(html, table_id):
    """The rows of one table on a page: [[text of each cell, …], …] (header rows included)."""
    table = re.search(rf'<table[^>]*id="{table_id}"[^>]*>(.*?)</table>', html, re.S)
    assert table, f"no table #{table_id}"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(cell_text(cell)) for cell in cells])
    return rows


def row_by_id(html, row_id):
    row = re.search(rf'<tr[^>]*id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row #{row_id}"
    return [" ".join(cell_text(cell)) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


WEEK = "start=2025-03-03&end=2025-03-09"  # Monday to Sunday; in New York, DST starts on Sunday 9 March


class Scenario:
    """Acme in New York, one week of time:

    person  role     manager  entries (local time)                                          hours
    Ana     user     Maya     Sun 2 23:30 → Mon 3 00:45  desktop  Login page  (0.75 in the week) Mon 0.75
                              Mon 3 09:00 → 12:30        desktop  Login page                     Mon 3.50
                              Mon 3 23:00 → Tue 4 01:30  web      Login page                     Mon 1.00, Tue 1.50
                              Tue 4 14:00 → 15:15        manual   no task, note “Planning”       Tue 1.25 manual
                              Sat 8 23:30 → Sun 9 03:30  desktop  Signup form (closed)           Sat 0.50, Sun 2.50
                              Wed 5 10:00 → (running)    web      left out
                              Mon 10 00:00 → 01:00       desktop  after the week
    Ben     user     nobody   Wed 5 10:00 → 11:00        desktop  Push notifications (deleted)   Wed 1.00
                              Wed 5 11:00 → 11:45        manual   Push notifications             Wed 0.75 manual
    Chloe   user     Maya     Thu 6 08:00 → 10:00        desktop  Login page; deactivated since  Thu 2.00
    Maya    manager           Fri 7 13:00 → 13:30        web      no task                        Fri 0.50
    Otto    owner of Globex   Wed 5 09:00 → 14:00        desktop  (another company)
    """

    def __init__(self, company, other_company, owner, admin, manager, member, outsider):
        company.time_zone = "America/New_York"
        company.save()
        self.company, self.owner, self.admin, self.manager, self.ana = company, owner, admin, manager, member
        self.outsider = outsider
        self.ben = MembershipFactory(
            company=company, role="user", user__full_name="Ben Okafor", user__email="ben@acme.example"
        )
        self.chloe = MembershipFactory(
            company=company, role="user", user__full_name="Chloe Martin", user__email="chloe@acme.example"
        )
        self.ana.managers.set([manager])
        self.chloe.managers.set([manager])
        self.website = make_project(company, "Website")
        self.mobile = make_project(company, "Mobile")
        self.login = make_task(self.website, "Login page")
        self.signup = make_task(self.website, "Signup form", state="accepted", is_open=False)
        self.push = make_task(
            self.mobile, "Push notifications", state="started", is_open=False, is_deleted_upstream=True
        )
        ana, ben, chloe = self.ana, self.ben, self.chloe
        self.before_monday = track(ana, "2025-03-02 23:30", "2025-03-03 00:45", task=self.login)
        self.monday_morning = track(ana, "2025-03-03 09:00", "2025-03-03 12:30", task=self.login)
        self.across_midnight = track(ana, "2025-03-03 23:00", "2025-03-04 01:30", task=self.login, source="web")
        self.planning = track(ana, "2025-03-04 14:00", "2025-03-04 15:15", source="manual", note="Planning")
        self.across_dst = track(ana, "2025-03-08 23:30", "2025-03-09 03:30", task=self.signup)
        self.running = track(ana, "2025-03-05 10:00", None, task=self.login, source="web")
        track(ana, "2025-03-10 00:00", "2025-03-10 01:00", task=self.login)
        self.ben_tracked = track(ben, "2025-03-05 10:00", "2025-03-05 11:00", task=self.push)
        self.ben_manual = track(ben, "2025-03-05 11:00", "2025-03-05 11:45", task=self.push, source="manual")
        track(chloe, "2025-03-06 08:00", "2025-03-06 10:00", task=self.login)
        chloe.is_active = False
        chloe.save()
        track(manager, "2025-03-07 13:00", "2025-03-07 13:30", source="web")
        globex_project = make_project(other_company, "Globex secret project")
        self.globex_task = make_task(globex_project, "Globex secret task")
        track(outsider, "2025-03-05 09:00", "2025-03-05 14:00", task=self.globex_task)


@pytest.fixture
def scenario(company, other_company, owner, admin, manager, member, outsider):
    return Scenario(company, other_company, owner, admin, manager, member, outsider)


def timesheet_numbers(html):
    """{person or 'All people': [day cells…, tracked, manual, total]} from a timesheet page; an empty
    cell reads as 0.00 and a cell's manual part is dropped (it is checked apart)."""
    numbers = {}
    for row in table_rows(html, "timesheet")[1:]:
        name = re.sub(r" deactivated$", "", row[0])
        numbers[name] = [(cell.split()[0] if cell else "0.00") for cell in row[1:]]
    return numbers
