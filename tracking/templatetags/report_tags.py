"""Template tags of the Reports section: links that keep the current filters (every value is
escaped by the template, as any other)."""

import unicodedata

from django import template
from django.template.defaultfilters import stringfilter
from django.urls import reverse
from django.utils.text import Truncator

from .. import report_tables

register = template.Library()


@register.simple_tag
def chart(chart):
    """A report's chart (its SVG and legend), rendered by Jinja2 (report_tables.py)."""
    return report_tables.chart_figure(chart)


@register.simple_tag
def select_options(form, name):
    """The `<option>`s of the report filters' select `name` (ReportFilterForm.options)."""
    return report_tables.select_options(form.options(name))


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


@register.filter(is_safe=True)
@stringfilter
def shorten(value, length):
    """`truncatechars`, without its cost where there is nothing to cut (most titles of a long report):
    the same text, NFC-normalised as `Truncator` does, cut to `length` characters with an ellipsis."""
    if len(value) <= length and unicodedata.is_normalized("NFC", value):
        return value
    return Truncator(value).chars(length)
