"""Every report runs a small, constant number of SQL queries, whatever the amount of data."""

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
    make_project,
    make_task,
    scenario,
    track,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]
REPORTS = [
    TIMESHEET,
    f"{TIMESHEET}?chart=project",
    PROJECTS,
    f"{PROJECTS}?chart=project",
    ENTRIES,
    TIMESHEET_CSV,
    PROJECTS_CSV,
    ENTRIES_CSV,
    "/",
]


def queries_for(client, path):
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}{separator}{WEEK}")
        if response.streaming:
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018
    assert response.status_code == 200
    return len(queries)


def add_lots_of_time(scenario):
    """Five more people (assigned to Maya), three more projects of four tasks, and every day of the
    week for everyone: work, time without a task, manual time and a night shift across midnight."""
    people = [MembershipFactory(company=scenario.company) for _ in range(5)]
    for person in people:
        person.managers.add(scenario.manager)
    tasks = [
        make_task(make_project(scenario.company, f"Project {number}"), f"Task {number}.{index}")
        for number in range(3)
        for index in range(4)
    ]
    for number, person in enumerate(people + [scenario.ana, scenario.manager]):
        for day in range(3, 9):
            track(person, f"2025-03-{day:02d} 08:00", f"2025-03-{day:02d} 09:00", task=tasks[(number + day) % 12])
            track(person, f"2025-03-{day:02d} 09:00", f"2025-03-{day:02d} 09:30")
            track(person, f"2025-03-{day:02d} 10:00", f"2025-03-{day:02d} 10:20", source="manual", task=tasks[day % 12])
            track(
                person,
                f"2025-03-{day:02d} 22:30",
                f"2025-03-{day + 1:02d} 00:15",
                task=tasks[number % 12],
                source="web",
            )


@pytest.mark.parametrize("role", ["owner", "manager", "ana"])
def test_each_report_runs_the_same_few_queries_whatever_the_data_size(client_for, scenario, role):
    client = client_for(getattr(scenario, role))
    small = {path: queries_for(client, path) for path in REPORTS}

    add_lots_of_time(scenario)
    large = {path: queries_for(client, path) for path in REPORTS}

    assert large == small
    assert max(small.values()) <= 13, small  # including the session, the user and the membership


@pytest.mark.parametrize("path", [TIMESHEET, PROJECTS, ENTRIES])
def test_a_report_page_loads_the_people_in_sight_once_for_its_filters_and_its_figures(client_for, scenario, path):
    with CaptureQueriesContext(connection) as queries:
        assert client_for(scenario.owner).get(f"{path}?{WEEK}").status_code == 200

    # a list of the company's people with their users (not the viewer's own memberships: the request's, the menu's)
    people_lists = [
        query
        for query in queries
        if 'FROM "companies_membership" INNER JOIN "companies_user"' in query["sql"]
        and '"companies_membership"."user_id" =' not in query["sql"].partition(" WHERE ")[2]
    ]
    assert len(people_lists) == 1, [query["sql"][query["sql"].index(" FROM ") :] for query in people_lists]


@pytest.mark.parametrize("path", [PROJECTS, PROJECTS_CSV])
def test_a_week_without_time_asks_for_no_tasks_or_projects(client_for, scenario, path):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(scenario.owner).get(f"{path}?start=2024-03-04&end=2024-03-10")
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200

    assert not [query["sql"] for query in queries if 'FROM "tracking_task"' in query["sql"]]
    # the page's Projects filter lists the projects; the export has no filter to fill
    project_lists = [query for query in queries if 'FROM "tracking_project"' in query["sql"]]
    assert len(project_lists) == (1 if path == PROJECTS else 0)
