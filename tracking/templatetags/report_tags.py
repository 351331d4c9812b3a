"""Template tags of the Reports section.

- ``{% week_summary %}``: the dashboard's chart of the current week, for what the signed-in person
  may see (the membership comes from the template context; no change to the dashboard view);
  ``{% week_summary oob=True %}`` for an htmx out-of-band swap.
- ``{% timesheet_cells cells days href_prefix %}``: the day cells of one timesheet row, and
  ``{% projects_body report filters %}``: the rows of the projects report. A year of a large company is
  tens of thousands of cells and a busy week thousands of rows; writing them here takes a fraction
  of the time the template language would. Every text is escaped; numbers, dates and codes are ours.
  Hours are in the viewer's unit (`format_duration`, as the `duration` filter).
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from companies.preferences import format_duration

from ..services import reports

register = template.Library()


@register.inclusion_tag("tracking/reports/_week_summary.html", takes_context=True)
def week_summary(context, oob=False):
    """`oob=True` marks it for an htmx out-of-band swap (after a deletion or a restore)."""
    request = context.get("request")
    membership = context.get("membership") or getattr(request, "membership", None)
    if membership is None:
        return {"summary": None}
    return {"summary": reports.build_week_summary(membership), "timesheet_url": reverse("reports:timesheet"),
            "oob": oob, "company": membership.company}


@register.simple_tag
def timesheet_cells(cells, days, href_prefix):
    """`<td>` per day: the hours (a link to the entries behind them) and the manual part apart.
    `href_prefix` is the entries URL with every filter but the day, ending with ``&`` or ``?``."""
    prefix = escape(href_prefix)
    html = []
    for day, time_ in zip(days, cells, strict=True):
        if not time_:
            html.append('<td class="num zero"></td>')
            continue
        iso = day.isoformat()
        manual = f'<span class="manual">{format_duration(time_.manual)} manual</span>' if time_.manual else ""
        html.append(f'<td class="num"><a href="{prefix}start={iso}&amp;end={iso}">{format_duration(time_.total)}</a>'
                    f'{manual}</td>')
    return mark_safe("".join(html))


@register.simple_tag(takes_context=True)
def projects_body(context, report, filters):
    """The `<tbody>` of each project: its row, its tasks' rows (story link, state, closed, deleted
    upstream) and their people's rows; the “No task” group has no task level. Written here rather
    than in the template for the same reason as `timesheet_cells`: a busy week has thousands of rows."""
    entries = _url(context, "entries")

    def link(time_, **narrowed):
        href = escape(f"{entries}?{filters.query(**_as_lists(narrowed))}")
        return f'<a href="{href}">{format_duration(time_.total)}</a>'

    def numbers(time_, total_class, **narrowed):
        return (f'<td class="num">{format_duration(time_.tracked)}</td>'
                f'<td class="num">{format_duration(time_.manual)}</td>'
                f'<td class="{total_class}">{link(time_, **narrowed)}</td>')

    html = []
    for line in report.projects:
        project = line.project
        narrowed = {"projects": project.pk} if project else {"task": reports.NO_TASK}
        row_id = f"project-{project.pk}" if project else "no-task"
        name = escape(Truncator(project.name).chars(120)) if project else "No task"
        html.append(f'<tbody class="project-group"><tr class="level-project" id="{row_id}">'
                    f'<th scope="rowgroup" colspan="2">{name}</th>{numbers(line.time, "num total", **narrowed)}</tr>')
        for task_line in line.tasks:
            task = task_line.task
            if project is not None:
                narrowed["task"] = task.code
                title = escape(Truncator(task.title).chars(160))
                if task.url:  # stored only when http(s) (the sync keeps no other link)
                    title = f'<a href="{escape(task.url)}" rel="noopener noreferrer" target="_blank">{title}</a>'
                badges = "".join([
                    f'<span class="badge off">{escape(Truncator(task.state).chars(30))}</span> ' if task.state else "",
                    '<span class="badge warn">closed</span> ' if not task.is_open else "",
                    '<span class="badge error">deleted upstream</span>' if task.is_deleted_upstream else "",
                ])
                html.append(f'<tr class="level-task" id="task-{task.code}"><td class="indent-1">{title}</td>'
                            f'<td>{badges}</td>{numbers(task_line.time, "num total", **narrowed)}</tr>')
            indent = "indent-2" if project is not None else "indent-1"
            for person_line in task_line.people:
                person = person_line.person
                badge = "" if person.is_active else ' <span class="badge off">deactivated</span>'
                html.append(f'<tr class="level-person"><td class="{indent}">{escape(person_line.name)}{badge}</td>'
                            f'<td></td>{numbers(person_line.time, "num", people=person.code, **narrowed)}</tr>')
        html.append("</tbody>")
    return mark_safe("".join(html))


def _as_lists(overrides):
    for key in ("people", "projects"):
        if key in overrides and overrides[key] is not None and not isinstance(overrides[key], (list, tuple)):
            overrides[key] = [overrides[key]]
    return overrides


def _url(context, name):
    """`reverse()` once per rendering: a projects report can hold thousands of links."""
    urls = context.render_context.setdefault("report_urls", {})
    if name not in urls:
        urls[name] = reverse(f"reports:{name}")
    return urls[name]


@register.simple_tag(takes_context=True)
def report_link(context, tab, filters, **overrides):
    """A report (`tab`: timesheet, projects, entries) with the current filters, some replaced."""
    return f"{_url(context, tab)}?{filters.query(**_as_lists(overrides))}"


@register.simple_tag(takes_context=True)
def entries_link(context, filters, **overrides):
    """The entries behind a number: the current filters, narrowed by the given ones."""
    return report_link(context, "entries", filters, **overrides)


@register.simple_tag(takes_context=True)
def entries_prefix(context, filters, **overrides):
    """Like `entries_link`, ready for more parameters to be appended (see `timesheet_cells`)."""
    query = filters.query(start=None, end=None, range=None, **_as_lists(overrides))
    return f"{_url(context, 'entries')}?{query}&" if query else f"{_url(context, 'entries')}?"


@register.filter
def task_status(task):
    return reports.task_status(task)
