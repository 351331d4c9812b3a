"""Stacked bar charts of hours: their geometry (bars, segments, ticks, legend), drawn by
tracking/jinja2/tracking/reports/chart.html. Each project and person has one colour on every chart
(tracking/services/colors.py)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from companies.preferences import DurationFormat, current_duration_format, format_duration

from ..models import Project
from ..services import colors
from .periods import ZERO, long_date
from .tallies import tally
from .visibility import people_by_id

MAX_SERIES = 8  # beyond, the smallest series are stacked as "Others"
CHART_WIDTH, CHART_HEIGHT = 960, 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 12, 24, 252


@dataclass
class Chart:
    title: str
    bars: list
    ticks: list
    legend: list
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = CHART_WIDTH - PLOT_RIGHT
    plot_bottom: int = PLOT_BOTTOM
    unit: str = "day"

    @property
    def is_empty(self):
        return not self.legend


def _bucket(date_range):
    """Per day up to a month, per week (from Monday) up to half a year, per month beyond: ≤ 31 bars."""
    if date_range.length <= 31:
        return "day", lambda day: day
    if date_range.length <= 31 * 7:
        return "week", lambda day: max(day - timedelta(days=day.weekday()), date_range.start)
    return "month", lambda day: max(day.replace(day=1), date_range.start)


def _bar_label(unit, day, crowded):
    if unit == "day" and crowded:
        return f"{day:%a}"[0], str(day.day)
    if unit == "day":
        return f"{day:%a}", f"{day.day} {day:%b}"
    if unit == "week":
        return (f"{day:%b}", str(day.day)) if crowded else ("week of", f"{day.day} {day:%b}")
    return f"{day:%b}", f"{day:%Y}"


def _short_hours(duration, crowded):
    """The figure above a bar, in the viewer's unit; shorter on a crowded chart."""
    value = duration / timedelta(hours=1)
    if not crowded or value < 10:
        return format_duration(duration)
    if value >= 100:
        return f"{value:.0f}"
    if current_duration_format() == DurationFormat.DECIMAL:
        return f"{value:.1f}"
    return format_duration(duration)


def _nice_step(top):
    for step in (0.25, 0.5, 1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top / step <= 5:
            return step
    return 10 ** len(str(int(top)))


def _default_colors(keys):
    return {key: colors.PALETTE[index % len(colors.PALETTE)] for index, key in enumerate(keys)}


def stacked_chart(date_range, amounts, labels, *, series_name, colors_of=_default_colors):
    """A stacked bar chart of hours: `amounts` maps (series key, day) → timedelta, `labels` key → name,
    `colors_of(keys)` the shown series' keys → their colours (each project's and person's own, see
    services/colors.py).

    The biggest series are shown, the rest are stacked as “Others”. Everything needed to read it is
    text: hours above each bar (in the viewer's unit), axis labels and a legend with each series' total.
    """
    unit, bucket_of = _bucket(date_range)
    buckets = sorted({bucket_of(day) for day in date_range.days})
    totals = defaultdict(lambda: ZERO)
    per_bucket = defaultdict(lambda: ZERO)
    for (key, day), duration in amounts.items():
        totals[key] += duration
        per_bucket[(key, bucket_of(day))] += duration
    ranked = sorted((key for key in totals if totals[key] > ZERO), key=lambda key: (-totals[key], labels.get(key, "")))
    shown = ranked if len(ranked) <= MAX_SERIES else ranked[: MAX_SERIES - 1]
    others = ranked[len(shown) :]
    color_of = colors_of(shown) if shown else {}
    series = [(key, labels.get(key, "?"), color_of.get(key, colors.OTHERS_COLOR)) for key in shown]
    if others:
        series.append(("__others__", f"Others ({len(others)})", colors.OTHERS_COLOR))
    stack = {}
    for bucket in buckets:
        column = [per_bucket.get((key, bucket), ZERO) for key in shown]
        if others:
            column.append(sum((per_bucket.get((key, bucket), ZERO) for key in others), ZERO))
        stack[bucket] = column
    legend = [
        {
            "color": color,
            "label": label,
            "hours": format_duration(totals[key] if key != "__others__" else sum((totals[k] for k in others), ZERO)),
        }
        for key, label, color in series
    ]
    top = max((sum(column, ZERO) for column in stack.values()), default=ZERO) / timedelta(hours=1)
    step = _nice_step(top) if top > 0 else 1
    ceiling = step * max(1, -(-top // step))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    scale = plot_height / ceiling
    ticks = []
    value = 0
    while value <= ceiling + 1e-9:
        y = PLOT_BOTTOM - value * scale
        ticks.append({"y": round(y, 1), "label_y": round(y + 4, 1), "label": f"{value:g} h"})
        value += step
    slot = (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(buckets), 1)
    bar_width = max(min(slot * 0.7, 48), 2)
    crowded = len(buckets) > 16  # narrower bars: shorter labels (the table below has every figure)
    bars = []
    for number, bucket in enumerate(buckets):
        x = PLOT_LEFT + number * slot + (slot - bar_width) / 2
        y = PLOT_BOTTOM
        segments = []
        for (_key, label, color), duration in zip(series, stack[bucket], strict=True):
            if duration <= ZERO:
                continue
            height = duration / timedelta(hours=1) * scale
            y -= height
            segments.append(
                {
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "width": round(bar_width, 1),
                    "height": round(height, 1),
                    "color": color,
                    "title": f"{label}: {format_duration(duration)} h",
                }
            )
        total = sum(stack[bucket], ZERO)
        first, second = _bar_label(unit, bucket, crowded)
        bars.append(
            {
                "segments": segments,
                "center": round(x + bar_width / 2, 1),
                "value_y": round(y - 5, 1),
                "value": _short_hours(total, crowded) if total else "",
                "label": first,
                "sublabel": second,
                "title": f"{long_date(bucket)}: {format_duration(total)} h",
            }
        )
    title = f"Hours per {unit}, by {series_name}"
    return Chart(title=title, bars=bars, ticks=ticks, legend=legend, unit=unit)


def chart_by_person(membership, filters, per_person_day=None, people=None):
    """The chart stacked by person; reuses a per (person, day) tally when the caller has one."""
    if per_person_day is None:
        per_person_day = tally(membership, filters, ("person",), per_day=True)
    amounts = defaultdict(lambda: ZERO)
    for (person_id, day), time_ in per_person_day.items():
        amounts[(person_id, day)] += time_.total
    people = people if people is not None else people_by_id(membership, {key[0] for key in amounts})
    labels = {pk: person.name for pk, person in people.items()}
    return stacked_chart(
        filters.date_range,
        amounts,
        labels,
        series_name="person",
        colors_of=lambda keys: colors.person_colors(membership.company_id, keys),
    )


def chart_by_project(membership, filters, per_project_day=None, projects=None):
    """The chart stacked by project (“No task” for time without one); reuses what the caller has."""
    if per_project_day is None:
        per_project_day = tally(membership, filters, ("project",), per_day=True)
    amounts = {key: time_.total for key, time_ in per_project_day.items()}
    if projects is None:
        ids = {key[0] for key in amounts if key[0] is not None}
        projects = Project.objects.for_company(membership.company_id).in_bulk(ids)
    labels = {pk: project.name for pk, project in projects.items()}
    labels[None] = "No task"
    return stacked_chart(
        filters.date_range,
        amounts,
        labels,
        series_name="project",
        colors_of=lambda keys: colors.project_colors(membership.company_id, keys),
    )


def build_chart(membership, filters, *, per_person_day=None, people=None, projects=None):
    if filters.chart_by == "project":
        return chart_by_project(membership, filters, projects=projects)
    return chart_by_person(membership, filters, per_person_day, people)
