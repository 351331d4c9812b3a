"""Reports: timesheet, projects & tasks, entries, each as a page and as a streamed CSV.

Every view is open to every member; what each one sees is decided by `reports.visible_people()`.
Filters are a GET form: an invalid one answers 400 with the form's messages and no data.
"""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from companies.tenancy import membership_required

from .report_forms import ReportFilterForm
from .services import reports

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
        "preset_links": [{"label": label, "url": f"{reverse(f'reports:{tab}')}?range={name}"}
                         for name, label in reports.PRESETS],
    }
    context = {"page": "reports", "tab": tab, "form": form, "filters": None, **links}
    return render(request, "tracking/reports/invalid.html", context, status=400)


def _links(tab, filters):
    """Tabs, presets, chart switch and CSV export, each keeping the other filters."""
    def url(name, **overrides):
        return f"{reverse(f'reports:{name}')}?{filters.query(**overrides)}"

    return {
        "tabs": [{"label": label, "url": url(name), "active": name == tab} for name, label in TABS],
        "preset_links": [{"label": label, "url": url(tab, range=name), "active": filters.date_range.preset == name}
                         for name, label in reports.PRESETS],
        "chart_links": [{"label": label, "url": url(tab, chart=name), "active": filters.chart_by == name}
                        for name, label in reports.CHART_BY],
        "csv_url": url(f"{tab}-csv"),
    }


def _csv(kind, form, rows):
    """The rows as a streamed CSV download; an invalid form answers 400 with its messages as text."""
    if not form.is_valid():
        return HttpResponse("\n".join(form.error_messages()) + "\n", status=400,
                            content_type="text/plain; charset=utf-8")
    filters = form.filters()
    response = StreamingHttpResponse(_csv_chunks(rows(filters)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{reports.csv_filename(kind, filters)}"'
    return response


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value):
        return value


def _csv_chunks(rows, lines_per_chunk=500):
    """CSV text, a few hundred lines at a time (one write per line would cost more than the line).
    Every cell is quoted, so a spreadsheet whose list separator is `;` (or `,`) never splits one,
    and every text cell is neutralised against formulas, whatever the row builder did."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    safe_text = reports.safe_text
    lines = []
    for row in rows:
        lines.append(writer.writerow([safe_text(cell) if cell.__class__ is str else cell for cell in row]))
        if len(lines) == lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


@require_safe
@membership_required()
def timesheet(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "timesheet", form)
    report = reports.build_timesheet(request.membership, form.filters())
    return _page(request, "timesheet", form, "tracking/reports/timesheet.html", report=report)


@require_safe
@membership_required()
def timesheet_csv(request):
    form = _filter_form(request)
    return _csv("timesheet", form,
                lambda filters: reports.timesheet_csv_rows(
                    reports.build_timesheet(request.membership, filters, with_chart=False)))


@require_safe
@membership_required()
def projects(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "projects", form)
    report = reports.build_projects_report(request.membership, form.filters())
    return _page(request, "projects", form, "tracking/reports/projects.html", report=report)


@require_safe
@membership_required()
def projects_csv(request):
    form = _filter_form(request)
    return _csv("projects", form,
                lambda filters: reports.projects_csv_rows(
                    reports.build_projects_report(request.membership, filters, with_chart=False)))


@require_safe
@membership_required()
def entries(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "entries", form)
    filters = form.filters()
    page = Paginator(reports.entries_in_order(request.membership, filters), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page"))
    return _page(request, "entries", form, "tracking/reports/entries.html",
                 report=reports.build_entries_summary(request.membership, filters), entries_page=page,
                 lines=reports.entry_lines(request.membership, filters, page.object_list))


@require_safe
@membership_required()
def entries_csv(request):
    form = _filter_form(request)
    return _csv("entries", form, lambda filters: reports.entries_csv_rows(request.membership, filters))
