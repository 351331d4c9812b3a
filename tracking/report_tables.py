"""The parts of a report page that hold hundreds or thousands of values, rendered by Jinja2
(tracking/jinja2/, see timedoctor/jinja2.py) and put into the Django page that shows them: the
timesheet's rows, the projects report's groups, a page of entries, the chart and the options of the
filters' selects. Jinja2 escapes every value it writes."""

from django.http import HttpRequest
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .reports.charts import Chart
from .reports.projects import ProjectsReport
from .reports.timesheet import Timesheet


def _render(name: str, context: dict[str, object]) -> SafeString:
    # autoescape is on in that environment: what it returns is HTML, every value in it escaped
    return mark_safe(render_to_string(f"tracking/reports/{name}", context, using="jinja2"))  # noqa: S308


def timesheet_rows(report: Timesheet) -> SafeString:
    return _render(
        "timesheet_rows.html",
        {"report": report, "entries_url": reverse("reports:entries")},
    )


def projects_rows(report: ProjectsReport) -> SafeString:
    return _render("projects_rows.html", {"report": report, "entries_url": reverse("reports:entries")})


def entries_rows(request: HttpRequest, lines: list) -> SafeString:
    membership = request.membership  # type: ignore[attr-defined]
    back = urlencode(request.get_full_path())

    def edit_link(code: object) -> str:
        return f"{reverse('edit-entry', args=[code])}?next={back}"

    return _render(
        "entries_rows.html",
        {
            "lines": lines,
            "may_edit": membership.company.allow_manual_time,
            "membership_id": membership.pk,
            "edit_link": edit_link,
        },
    )


def chart_figure(chart: Chart) -> SafeString:
    return _render("chart.html", {"chart": chart})


def select_options(options: list[tuple[str, str, bool]]) -> SafeString:
    return _render("options.html", {"options": options})
