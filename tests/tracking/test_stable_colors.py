"""Each project and each person has one colour, the same on every chart and legend of every page,
whatever the range, the filters or their rank on the chart."""

import re
from datetime import UTC, datetime

import pytest

from tracking.services import colors

from .report_fixtures import ENTRIES, PROJECTS, TIMESHEET, WEEK, make_project, scenario, track

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]


@pytest.fixture
def this_week(monkeypatch):
    """Thursday 6 March 2025, noon in New York: the dashboard's week is the scenario's."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 3, 6, 17, 0, tzinfo=UTC))


def legend_colors(html):
    """{series label: colour} of the first chart legend on a page."""
    legend = re.search(r'<ul class="chart-legend">(.*?)</ul>', html, re.DOTALL)
    assert legend, "no chart on the page"
    return dict(
        (label, color)
        for color, label in re.findall(r'fill="(#[0-9a-f]{6})"/></svg> (.*?) <span class="muted">', legend.group(1))
    )


def segment_colors(html):
    """{series label: {colours of its bar segments}}."""
    found = {}
    for color, label in re.findall(r'fill="(#[0-9a-f]{6})"><title>([^:<]+): ', html):
        found.setdefault(label, set()).add(color)
    return found


def test_a_projects_colour_is_the_same_on_the_dashboard_summary_and_every_report(client_for, scenario, this_week):
    client = client_for(scenario.ana)

    pages = [client.get("/").content.decode()] + [
        client.get(f"{path}?{WEEK}&chart=project").content.decode() for path in (TIMESHEET, PROJECTS, ENTRIES)
    ]

    legends = [legend_colors(page) for page in pages]
    assert legends[0] == {"Website": colors.PALETTE[0], "No task": colors.NO_TASK_COLOR}
    assert all(legend == legends[0] for legend in legends)
    assert all(segment_colors(page)["Website"] == {colors.PALETTE[0]} for page in pages)


def test_a_colleague_sees_the_project_in_the_same_colour(client_for, scenario):
    ana = legend_colors(client_for(scenario.ana).get(f"{TIMESHEET}?{WEEK}&chart=project").content.decode())
    owner = legend_colors(client_for(scenario.owner).get(f"{TIMESHEET}?{WEEK}&chart=project").content.decode())

    assert owner["Website"] == ana["Website"] and owner["Mobile"] == colors.PALETTE[1]
    assert len(set(owner.values())) == len(owner)  # Website, Mobile, No task: three colours


def test_a_project_keeps_its_colour_when_alone_on_the_chart_or_ranked_first(client_for, scenario):
    client = client_for(scenario.owner)
    alone = legend_colors(
        client.get(f"{TIMESHEET}?{WEEK}&chart=project&projects={scenario.mobile.pk}").content.decode()
    )
    track(scenario.ben, "2025-03-06 08:00", "2025-03-06 20:00", task=scenario.push)  # Mobile now has the most

    first = legend_colors(client.get(f"{PROJECTS}?{WEEK}&chart=project").content.decode())

    assert alone == {"Mobile": colors.PALETTE[1]}
    assert list(first)[0] == "Mobile" and first["Mobile"] == colors.PALETTE[1]
    assert first["Website"] == colors.PALETTE[0]


def test_a_persons_colour_is_the_same_on_the_managers_dashboard_and_the_timesheet(client_for, scenario, this_week):
    client = client_for(scenario.manager)

    dashboard = legend_colors(client.get("/").content.decode())
    timesheet = legend_colors(client.get(f"{TIMESHEET}?{WEEK}").content.decode())
    monday = legend_colors(client.get(f"{ENTRIES}?start=2025-03-03&end=2025-03-03").content.decode())

    assert dashboard == timesheet and set(dashboard) == {"Ana Ruiz", "Chloe Martin", "Maya Manager"}
    assert monday == {"Ana Ruiz": dashboard["Ana Ruiz"]}  # alone, and still hers
    assert len(set(dashboard.values())) == 3


def test_the_first_twelve_projects_of_a_company_never_share_a_colour(company, other_company):
    projects = []
    for number in range(13):  # another company's projects, created in between, take no place in ours
        make_project(other_company, f"Elsewhere {number}")
        projects.append(make_project(company, f"Project {number}"))

    assigned = colors.project_colors(company.pk, [project.pk for project in projects] + [None])

    assert [assigned[project.pk] for project in projects[:12]] == colors.PALETTE
    assert assigned[projects[12].pk] == colors.PALETTE[0]
    assert assigned[None] == colors.NO_TASK_COLOR
    assert colors.OTHERS_COLOR not in colors.PALETTE and colors.NO_TASK_COLOR not in colors.PALETTE
