"""Reports: timesheet, projects & tasks, entries, each as a page and as a streamed CSV.

Every view is open to every member; what each one sees is decided by `visibility.visible_people()`.
Filters are a GET form: an invalid one answers 400 with the form's messages and no data.
"""

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from companies.tenancy import membership_required

from . import report_tables
from .report_forms import ReportFilterForm
from .reports import csv, csv_sql, periods
from .reports import entries as entries_report
from .reports import projects as projects_report
from .reports import timesheet as timesheet_report
from .reports.filters import CHART_BY

ENTRIES_PER_PAGE = 100
TABS = [("timesheet", "Timesheet"), ("projects", "Projects & Tasks"), ("entries", "Entries")]


def _filter_form(request):
    return ReportFilterForm(request.GET, membership=request.membership)


def _page(request, tab, form, template, **context):
    filters = form.filters()
    context.update(page="reports", tab=tab, form=form, filters=filters, **_links(tab, filters))
    return render(request, template, context)


def _invalid(request, tab, form):
    """The form and its messages, no data: 400."""
    links = {
        "tabs": [{"label": label, "url": reverse(f"reports:{name}"), "active": name == tab} for name, label in TABS],
        "preset_links": [
            {"label": label, "url": f"{reverse(f'reports:{tab}')}?range={name}"} for name, label in periods.PRESETS
        ],
    }
    context = {"page": "reports", "tab": tab, "form": form, "filters": None, **links}
    return render(request, "tracking/reports/invalid.html", context, status=400)


def _links(tab, filters):
    """Tabs, presets, chart switch and CSV export, each keeping the other filters."""

    def url(name, **overrides):
        return f"{reverse(f'reports:{name}')}?{filters.query(**overrides)}"

    return {
        "tabs": [{"label": label, "url": url(name), "active": name == tab} for name, label in TABS],
        "preset_links": [
            {"label": label, "url": url(tab, range=name), "active": filters.date_range.preset == name}
            for name, label in periods.PRESETS
        ],
        "chart_links": [
            {"label": label, "url": url(tab, chart=name), "active": filters.chart_by == name}
            for name, label in CHART_BY
        ],
        "csv_url": url(f"{tab}-csv"),
    }


def _csv(kind, form, rows=None, *, chunks=None):
    """The rows (or the CSV text `chunks` makes) as a streamed CSV download; an invalid form answers
    400 with its messages as text."""
    if not form.is_valid():
        return HttpResponse(
            "\n".join(form.error_messages()) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    filters = form.filters()
    content = chunks(filters) if chunks else csv.csv_chunks(rows(filters))
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv.csv_filename(kind, filters)}"'
    return response


@require_safe
@membership_required()
def timesheet(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "timesheet", form)
    report = timesheet_report.build_timesheet(request.membership, form.filters(), people_in_sight=form.people_in_sight)
    timesheet_report.add_page_texts(report)
    rows = report_tables.timesheet_rows(report)
    return _page(request, "timesheet", form, "tracking/reports/timesheet.html", report=report, rows=rows)


@require_safe
@membership_required()
def timesheet_csv(request):
    form = _filter_form(request)
    return _csv(
        "timesheet",
        form,
        lambda filters: csv.timesheet_csv_rows(
            timesheet_report.build_timesheet(request.membership, filters, with_chart=False)
        ),
    )


@require_safe
@membership_required()
def projects(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "projects", form)
    report = projects_report.build_projects_report(
        request.membership, form.filters(), people_in_sight=form.people_in_sight
    )
    projects_report.add_page_texts(report)
    rows = report_tables.projects_rows(report)
    return _page(request, "projects", form, "tracking/reports/projects.html", report=report, rows=rows)


@require_safe
@membership_required()
def projects_csv(request):
    form = _filter_form(request)
    return _csv(
        "projects",
        form,
        chunks=lambda filters: csv.projects_csv_chunks(
            projects_report.build_projects_report(request.membership, filters, with_chart=False)
        ),
    )


@require_safe
@membership_required()
def entries(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "entries", form)
    filters = form.filters()
    page = Paginator(entries_report.entries_in_order(request.membership, filters), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    lines = entries_report.entry_lines(request.membership, filters, page.object_list)
    return _page(
        request,
        "entries",
        form,
        "tracking/reports/entries.html",
        report=entries_report.build_entries_summary(request.membership, filters, people_in_sight=form.people_in_sight),
        entries_page=page,
        lines=lines,
        rows=report_tables.entries_rows(request, lines),
    )


@require_safe
@membership_required()
def entries_csv(request):
    form = _filter_form(request)
    return _csv("entries", form, chunks=lambda filters: csv_sql.entries_csv_chunks(request.membership, filters))
