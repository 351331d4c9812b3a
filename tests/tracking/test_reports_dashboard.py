"""The dashboard's summary of the current week (loaded by the view), for what the person may see."""

import re
from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tracking.reports.week import build_week_summary

from .report_fixtures import scenario

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]
# Thursday 6 March 2025, 17:00 UTC (noon in New York): this week is Monday 3 to Sunday 9 March.
NOW = datetime(2025, 3, 6, 17, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def week_summary(html):
    section = re.search(r'<section class="card week-summary" id="week-summary">(.*?)</section>', html, re.S)
    assert section, "no week summary on the page"
    return section.group(1)


def legend(summary):
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<ul class="chart-legend">(.*?)</ul>', summary, re.S).group(1))
    ).strip()


def test_a_manager_sees_their_people_and_themselves_this_week(client_for, scenario, frozen_now):
    summary = week_summary(client_for(scenario.manager).get("/").content.decode())

    assert 'This week <span class="muted">· 13.50 h, of which 1.25 h manual' in summary
    assert "Hours per day, by person" in summary
    assert legend(summary) == "Ana Ruiz 11.00 h Chloe Martin 2.00 h Maya Manager 0.50 h"
    assert "Ben" not in summary
    assert 'href="/reports/?range=this_week"' in summary


def test_an_owner_sees_everyone_this_week(client_for, scenario, frozen_now):
    summary = week_summary(client_for(scenario.owner).get("/").content.decode())

    assert "15.25 h, of which 2.00 h manual" in summary
    assert "Ben Okafor 1.75 h" in legend(summary)


def test_a_user_sees_their_own_week_by_project(client_for, scenario, frozen_now):
    summary = week_summary(client_for(scenario.ana).get("/").content.decode())

    assert "11.00 h, of which 1.25 h manual" in summary and "your time, by project" in summary
    assert legend(summary) == "Website 9.75 h No task 1.25 h"
    values = re.findall(r'font-weight="600" fill="#1f2430">([^<]+)</text>', summary)
    assert values == ["5.25", "2.75", "0.50", "2.50"]  # Monday, Tuesday, Saturday, Sunday


def test_an_outsider_sees_only_their_own_company(client_for, scenario, frozen_now):
    summary = week_summary(client_for(scenario.outsider).get("/").content.decode())

    assert "5.00 h" in summary and "Otto Outsider" in summary and "Ana" not in summary


def test_a_week_without_time_says_so(client_for, member, frozen_now):
    summary = week_summary(client_for(member).get("/").content.decode())

    assert "0.00 h" in summary and "No time to chart in this range." in summary


def test_the_summary_needs_no_inline_style(client_for, scenario, frozen_now):
    html = client_for(scenario.owner).get("/").content.decode()

    assert " style=" not in week_summary(html)


def test_the_summary_renders_nothing_without_a_membership():
    request = RequestFactory().get("/")
    request.membership = None

    assert (
        render_to_string(
            "tracking/reports/_week_summary.html", {"week_summary": build_week_summary(None)}, request=request
        ).strip()
        == ""
    )
