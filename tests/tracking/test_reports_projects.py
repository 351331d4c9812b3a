"""Projects & Tasks: time per project, then per task, then per person, with totals at each level."""

import re

import pytest

from .report_fixtures import (
    ENTRIES,
    PROJECTS,
    WEEK,
    make_project,
    make_task,
    row_by_id,
    scenario,
    table_rows,
    track,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]


def test_time_is_grouped_by_project_then_task_then_person_with_totals(client_for, scenario):
    page = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}")

    assert page.status_code == 200
    assert table_rows(page.content.decode(), "projects-report") == [
        ["Project · task · person", "Task state", "Tracked", "Manual", "Total"],
        ["Mobile", "1.00", "0.75", "1.75"],
        ["Push notifications", "started closed deleted upstream", "1.00", "0.75", "1.75"],
        ["Ben Okafor", "", "1.00", "0.75", "1.75"],
        ["Website", "11.75", "0.00", "11.75"],
        ["Login page", "started", "8.75", "0.00", "8.75"],
        ["Ana Ruiz", "", "6.75", "0.00", "6.75"],  # 0.75 + 3.50 + 2.50: the Sunday-night entry counts from Monday 00:00
        ["Chloe Martin deactivated", "", "2.00", "0.00", "2.00"],
        ["Signup form", "accepted closed", "3.00", "0.00", "3.00"],
        ["Ana Ruiz", "", "3.00", "0.00", "3.00"],
        ["No task", "0.50", "1.25", "1.75"],
        ["Ana Ruiz", "", "0.00", "1.25", "1.25"],
        ["Maya Manager", "", "0.50", "0.00", "0.50"],
        ["All projects", "13.25", "2.00", "15.25"],
    ]


def test_tasks_link_to_their_story_and_show_closed_and_deleted_upstream(client_for, scenario):
    html = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}").content.decode()
    push = re.search(rf'<tr class="level-task" id="task-{scenario.push.code}">(.*?)</tr>', html, re.S).group(1)

    assert f'<a href="{scenario.push.url}" rel="noopener noreferrer" target="_blank">Push notifications</a>' in push
    assert '<span class="badge warn">closed</span>' in push
    assert '<span class="badge error">deleted upstream</span>' in push


def test_time_without_a_task_goes_in_a_no_task_row(client_for, scenario):
    assert row_by_id(client_for(scenario.manager).get(f"{PROJECTS}?{WEEK}").content.decode(), "no-task") == [
        "No task",
        "0.50",
        "1.25",
        "1.75",
    ]


def test_the_range_edges_clip_the_entries_that_cross_them(client_for, scenario):
    # Tuesday only: 1.50 of the Monday-night entry, and the manual 1.25 without a task.
    html = client_for(scenario.ana).get(f"{PROJECTS}?start=2025-03-04&end=2025-03-04").content.decode()

    assert table_rows(html, "projects-report")[1:] == [
        ["Website", "1.50", "0.00", "1.50"],
        ["Login page", "started", "1.50", "0.00", "1.50"],
        ["Ana Ruiz", "", "1.50", "0.00", "1.50"],
        ["No task", "0.00", "1.25", "1.25"],
        ["Ana Ruiz", "", "0.00", "1.25", "1.25"],
        ["All projects", "1.50", "1.25", "2.75"],
    ]


def test_every_total_links_to_the_entries_behind_it(client_for, scenario):
    html = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}").content.decode()

    def link_in(row_id):
        row = re.search(rf'<tr[^>]*id="{row_id}"[^>]*>(.*?)</tr>', html, re.S).group(1)
        return re.search(r'<td class="num total"><a href="([^"]+)">', row).group(1)

    week = "start=2025-03-03&amp;end=2025-03-09"
    assert link_in(f"project-{scenario.website.pk}") == f"{ENTRIES}?{week}&amp;projects={scenario.website.pk}"
    assert link_in(f"task-{scenario.login.code}") == (
        f"{ENTRIES}?{week}&amp;projects={scenario.website.pk}&amp;task={scenario.login.code}"
    )
    assert link_in("no-task") == f"{ENTRIES}?{week}&amp;task=none"
    assert link_in("projects-total") == f"{ENTRIES}?{week}"
    ben = (
        f"{ENTRIES}?{week}&amp;people={scenario.ben.code}&amp;projects={scenario.mobile.pk}"
        f"&amp;task={scenario.push.code}"
    )
    assert f'<a href="{ben}">1.75</a>' in html


def test_the_projects_chart_is_stacked_by_project_on_request(client_for, scenario):
    html = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}&chart=project").content.decode()

    assert "Hours per day, by project" in html
    assert re.search(r"Website\s*<span class=\"muted\">11.75 h</span>", html)


def test_filtering_on_one_project_leaves_out_time_without_a_task(client_for, scenario):
    html = client_for(scenario.owner).get(f"{PROJECTS}?{WEEK}&projects={scenario.mobile.pk}").content.decode()

    assert [row[0] for row in table_rows(html, "projects-report")[1:]] == [
        "Mobile",
        "Push notifications",
        "Ben Okafor",
        "All projects",
    ]


def test_an_empty_range_says_so(client_for, scenario):
    html = client_for(scenario.owner).get(f"{PROJECTS}?start=2024-01-01&end=2024-01-07").content.decode()

    assert "No time in this range for these filters." in html


def test_names_from_pivotal_are_escaped(client_for, company, member):
    project = make_project(company, "<b>Bold</b> project")
    task = make_task(project, "<script>alert(1)</script>")
    track(member, "2025-06-10 09:00", "2025-06-10 10:00", task=task)

    html = client_for(member).get(f"{PROJECTS}?start=2025-06-10&end=2025-06-10").content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; project" in html


def test_hostile_project_names_are_escaped_in_the_chart_and_the_filters(client_for, company, owner):
    longest = "Ω" * 5000  # Project.name has no limit: a long name from a tracker, whole on the chart
    hostile = make_project(company, '\u202e<img src=x onerror="alert(1)">&javascript:alert(2)')
    long_named = make_project(company, longest)
    track(owner, "2025-06-10 09:00", "2025-06-10 10:00", task=make_task(hostile, "one"))
    track(owner, "2025-06-10 10:00", "2025-06-10 11:30", task=make_task(long_named, "two"))

    html = client_for(owner).get(f"{PROJECTS}?start=2025-06-10&end=2025-06-10&chart=project").content.decode()

    chart = re.search(r'<figure class="chart">(.*?)</figure>', html, re.S).group(1)
    options = re.search(r'<select name="projects".*?</select>', html, re.S).group(0)
    escaped = "\u202e&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;javascript:alert(2)"
    for part in (chart, options):
        assert "<img" not in part and escaped in part and longest in part
    legend = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<ul class="chart-legend">(.*?)</ul>', chart, re.S).group(1))
    )
    assert f"{longest} 1.50 h" in legend
