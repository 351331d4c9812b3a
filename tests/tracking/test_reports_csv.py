"""CSV exports: streamed, same filters and visibility as the page, exactly the numbers on the screen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory

from .report_fixtures import (
    ENTRIES,
    ENTRIES_CSV,
    PROJECTS,
    PROJECTS_CSV,
    TIMESHEET,
    TIMESHEET_CSV,
    WEEK,
    csv_rows,
    make_project,
    make_task,
    scenario,
    table_rows,
    timesheet_numbers,
    track,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]


@pytest.mark.parametrize("role", ["owner", "manager", "ana"])
def test_the_timesheet_csv_has_the_numbers_on_the_screen(client_for, scenario, role):
    client = client_for(getattr(scenario, role))
    html = client.get(f"{TIMESHEET}?{WEEK}").content.decode()
    rows = csv_rows(client.get(f"{TIMESHEET_CSV}?{WEEK}"))

    assert rows[0] == [
        "Person",
        "Email",
        "Hours",
        "2025-03-03",
        "2025-03-04",
        "2025-03-05",
        "2025-03-06",
        "2025-03-07",
        "2025-03-08",
        "2025-03-09",
        "All days",
    ]
    totals = {row[0]: row[3:] for row in rows[1:] if row[2] == "Total"}
    tracked = {row[0]: row[-1] for row in rows[1:] if row[2] == "Tracked"}
    manual = {row[0]: row[3:] for row in rows[1:] if row[2] == "Manual"}
    on_screen = timesheet_numbers(html)
    assert set(on_screen) == set(totals)
    for name, numbers in on_screen.items():
        days, (screen_tracked, screen_manual, screen_total) = numbers[:7], numbers[7:]
        assert totals[name] == [*days, screen_total]
        assert tracked[name] == screen_tracked and manual[name][-1] == screen_manual
        for manual_hours in manual[name][:7]:  # the “x.xx manual” line under a cell
            if manual_hours != "0.00":
                assert f"{manual_hours} manual" in html


def test_the_timesheet_csv_of_the_scenario_reads_as_computed_by_hand(client_for, scenario):
    rows = csv_rows(client_for(scenario.manager).get(f"{TIMESHEET_CSV}?{WEEK}"))

    assert rows[1:] == [
        ["Ana Ruiz", "ana@acme.example", "Tracked", "5.25", "1.50", "0.00", "0.00", "0.00", "0.50", "2.50", "9.75"],
        ["Ana Ruiz", "ana@acme.example", "Manual", "0.00", "1.25", "0.00", "0.00", "0.00", "0.00", "0.00", "1.25"],
        ["Ana Ruiz", "ana@acme.example", "Total", "5.25", "2.75", "0.00", "0.00", "0.00", "0.50", "2.50", "11.00"],
        [
            "Chloe Martin",
            "chloe@acme.example",
            "Tracked",
            "0.00",
            "0.00",
            "0.00",
            "2.00",
            "0.00",
            "0.00",
            "0.00",
            "2.00",
        ],
        ["Chloe Martin", "chloe@acme.example", "Manual", *["0.00"] * 8],
        ["Chloe Martin", "chloe@acme.example", "Total", "0.00", "0.00", "0.00", "2.00", "0.00", "0.00", "0.00", "2.00"],
        [
            "Maya Manager",
            "maya@acme.example",
            "Tracked",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.50",
            "0.00",
            "0.00",
            "0.50",
        ],
        ["Maya Manager", "maya@acme.example", "Manual", *["0.00"] * 8],
        ["Maya Manager", "maya@acme.example", "Total", "0.00", "0.00", "0.00", "0.00", "0.50", "0.00", "0.00", "0.50"],
        ["All people", "", "Tracked", "5.25", "1.50", "0.00", "2.00", "0.50", "0.50", "2.50", "12.25"],
        ["All people", "", "Manual", "0.00", "1.25", "0.00", "0.00", "0.00", "0.00", "0.00", "1.25"],
        ["All people", "", "Total", "5.25", "2.75", "0.00", "2.00", "0.50", "0.50", "2.50", "13.50"],
    ]


@pytest.mark.parametrize("role", ["owner", "manager", "ana"])
def test_the_projects_csv_has_the_numbers_on_the_screen(client_for, scenario, role):
    client = client_for(getattr(scenario, role))
    screen = table_rows(client.get(f"{PROJECTS}?{WEEK}").content.decode(), "projects-report")[1:]
    rows = csv_rows(client.get(f"{PROJECTS_CSV}?{WEEK}"))

    assert rows[0] == [
        "Level",
        "Project",
        "Task",
        "Story",
        "Task status",
        "Person",
        "Email",
        "Tracked",
        "Manual",
        "Total",
    ]
    assert len(rows) - 1 == len(screen)
    for line, shown in zip(rows[1:], screen, strict=True):
        assert line[-3:] == shown[-3:]
        name = {"Project": line[1], "Task": line[2], "Person": line[5], "All projects": "All projects"}[line[0]]
        assert shown[0].removesuffix(" deactivated") == name


def test_the_projects_csv_names_tasks_with_their_story_and_status(client_for, scenario):
    rows = csv_rows(client_for(scenario.owner).get(f"{PROJECTS_CSV}?{WEEK}"))

    assert [
        "Task",
        "Mobile",
        "Push notifications",
        scenario.push.url,
        "started, closed, deleted upstream",
        "",
        "",
        "1.00",
        "0.75",
        "1.75",
    ] in rows
    assert ["Project", "No task", "", "", "", "", "", "0.50", "1.25", "1.75"] in rows
    assert rows[-1] == ["All projects", "", "", "", "", "", "", "13.25", "2.00", "15.25"]


def test_the_projects_csv_keeps_every_text_whole_whatever_it_holds(client_for, company, owner):
    """Quotes, separators, line breaks, any script and a right-to-left override: each cell reads back as
    the text it holds."""
    text = 'Say "hi", then\r\nleave; 東京 ✓ \U0001f680 \u202eexe.=1+1'
    person = MembershipFactory(company=company, role="user", user__full_name=text, user__email="o'hara@acme.example")
    project = make_project(company, f"{text} project")
    task = make_task(project, f"{text} task", state='"started"')
    task.url = 'https://tracker.example/story?id=1&x="y",z'
    task.save()
    track(person, "2025-06-10 09:00", "2025-06-10 10:30", task=task)

    rows = csv_rows(client_for(owner).get(f"{PROJECTS_CSV}?start=2025-06-09&end=2025-06-15"))

    times = ["1.50", "0.00", "1.50"]
    assert rows[1:] == [
        ["Project", project.name, "", "", "", "", "", *times],
        ["Task", project.name, task.title, task.url, '"started"', "", "", *times],
        ["Person", project.name, task.title, task.url, '"started"', text, "o'hara@acme.example", *times],
        ["All projects", "", "", "", "", "", "", *times],
    ]


def test_the_entries_csv_has_the_entries_on_the_screen(client_for, scenario):
    client = client_for(scenario.owner)
    query = f"{WEEK}&people={scenario.ana.code}"
    screen = table_rows(client.get(f"{ENTRIES}?{query}").content.decode(), "entries")[1:]
    rows = csv_rows(client.get(f"{ENTRIES_CSV}?{query}"))

    assert rows[0] == [
        "Person",
        "Email",
        "Started",
        "Ended",
        "Hours in range",
        "Entry hours",
        "Source",
        "Project",
        "Task",
        "Task status",
        "Story",
        "Note",
        "Entry id",
        "Time zone",
    ]
    assert [row[4] for row in rows[1:]] == [shown[3].split()[0] for shown in screen]
    assert [row[4] for row in rows[1:]] == ["0.75", "3.50", "2.50", "1.25", "3.00"]
    assert rows[1][2:6] == ["2025-03-02 23:30:00", "2025-03-03 00:45:00", "0.75", "1.25"]
    assert rows[4][6:12] == ["Manual", "", "No task", "", "", "Planning"]


def test_the_csv_of_a_drill_down_adds_up_to_the_cell(client_for, scenario):
    rows = csv_rows(
        client_for(scenario.owner).get(f"{ENTRIES_CSV}?start=2025-03-04&end=2025-03-04&people={scenario.ana.code}")
    )

    assert sum(float(row[4]) for row in rows[1:]) == pytest.approx(2.75)


def test_exports_are_streamed_attachments_named_after_the_range(client_for, scenario):
    for path, name in ((TIMESHEET_CSV, "timesheet"), (PROJECTS_CSV, "projects"), (ENTRIES_CSV, "entries")):
        response = client_for(scenario.owner).get(f"{path}?{WEEK}")

        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{name}-2025-03-03-to-2025-03-09.csv"'


def test_each_page_links_to_its_csv_with_the_same_filters(client_for, scenario):
    query = f"start=2025-03-03&amp;end=2025-03-09&amp;people={scenario.ana.code}"
    for path, export in ((TIMESHEET, TIMESHEET_CSV), (PROJECTS, PROJECTS_CSV), (ENTRIES, ENTRIES_CSV)):
        html = client_for(scenario.owner).get(f"{path}?{WEEK}&people={scenario.ana.code}").content.decode()

        assert f'<a class="button" href="{export}?{query}" id="export-csv">Export CSV</a>' in html


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(client_for, company, member):
    project = make_project(company, '=HYPERLINK("http://evil.example")')
    task = make_task(project, "+1 then @SUM(A1)")
    track(member, "2025-06-10 09:00", "2025-06-10 10:00", task=task, note="-2+3")

    rows = csv_rows(client_for(member).get(f"{ENTRIES_CSV}?start=2025-06-10&end=2025-06-10"))

    assert rows[1][7:9] == ['\'=HYPERLINK("http://evil.example")', "'+1 then @SUM(A1)"] and rows[1][11] == "'-2+3"


def test_the_entries_export_reads_the_entries_while_it_streams_them(client_for, company, member):
    for day in range(1, 29):
        track(member, f"2025-02-{day:02d} 09:00", f"2025-02-{day:02d} 10:00")
    client = client_for(member)

    with CaptureQueriesContext(connection) as answering:
        response = client.get(f"{ENTRIES_CSV}?start=2025-02-01&end=2025-02-28")
    with CaptureQueriesContext(connection) as streaming:
        rows = csv_rows(response)

    reads_entries = [query["sql"] for query in answering if 'FROM "tracking_timeentry"' in query["sql"]]
    assert reads_entries == []  # the response went out before a single entry was read
    # the lines come from one query of the entries (the tasks they name are listed by one more)
    assert (
        len(
            [
                query
                for query in streaming
                if " FROM " in query["sql"] and _main_table(query["sql"]) == '"tracking_timeentry"'
            ]
        )
        == 1
    )
    assert len(rows) == 29


def _main_table(sql):
    return sql.split(" FROM ", 1)[1].split(" ", 1)[0]
