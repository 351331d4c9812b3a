"""The dashboard's week: this week (Monday to Sunday, company time) of what the person may see."""

from dataclasses import dataclass

from .charts import Chart, chart_by_person, chart_by_project
from .filters import ReportFilters
from .periods import company_today, preset_range
from .tallies import Time, sum_times, tally


@dataclass
class WeekSummary:
    filters: ReportFilters
    total: Time
    chart: Chart


def build_week_summary(membership):
    """By person for reviewers, by project for people who only see their own time; None without a
    membership."""
    if membership is None:
        return None
    week = preset_range("this_week", company_today(membership.company))
    filters = ReportFilters(date_range=week, chart_by="person" if membership.is_reviewer else "project")
    if filters.chart_by == "person":
        per_person_day = tally(membership, filters, ("person",), per_day=True)
        total, chart = sum_times(per_person_day.values()), chart_by_person(membership, filters, per_person_day)
    else:
        per_project_day = tally(membership, filters, ("project",), per_day=True)
        total, chart = sum_times(per_project_day.values()), chart_by_project(membership, filters, per_project_day)
    return WeekSummary(filters=filters, total=total, chart=chart)
