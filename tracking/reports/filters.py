"""What a report covers, already validated against what the viewer may see (tracking/report_forms.py),
and the query string that reproduces it."""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from ..models import Task
from .periods import DateRange

NO_TASK = "none"
CHART_BY = [("person", "By person"), ("project", "By project")]


@dataclass(frozen=True)
class ReportFilters:
    date_range: DateRange
    people: tuple = ()  # Memberships; empty: everyone the viewer may see
    projects: tuple = ()  # Projects; empty: every project, and time without a task
    task: object = None  # a Task, NO_TASK for time without a task, or None
    chart_by: str = "person"

    def params(self, **overrides):
        """The query-string pairs that reproduce these filters; keyword arguments replace some."""
        values = {
            "range": self.date_range.preset or None,
            "start": None if self.date_range.preset else self.date_range.start.isoformat(),
            "end": None if self.date_range.preset else self.date_range.end.isoformat(),
            "people": [str(person.code) for person in self.people],
            "projects": [str(project.pk) for project in self.projects],
            "task": self.task if self.task == NO_TASK else (str(self.task.code) if self.task else None),
            "chart": None if self.chart_by == "person" else self.chart_by,
        }
        if "start" in overrides or "end" in overrides:
            values["range"] = None
        values.update(overrides)
        if isinstance(values.get("task"), Task):
            values["task"] = str(values["task"].code)
        if values.get("range"):
            values["start"] = values["end"] = None
        pairs = []
        for key in _KEYS:
            value = values.get(key)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if item not in (None, ""):
                    pairs.append((key, str(item)))
        return pairs

    def query(self, **overrides):
        return urlencode(self.params(**overrides))

    def narrowing(self):
        """`Narrowing`: these filters' query string with some values replaced, for the thousands of
        links of a report."""
        return Narrowing(self)


class Narrowing:
    """`narrowing(people=[…], projects=[…], task=…)` is `filters.query(…)` of the same arguments
    (those left out keep the filters' values): the parts that do not change are encoded once, and
    each value given (a person, a project, a task, which many links repeat) once too.
    `varying(key, **overrides)` is the query string as a function of one value, the others fixed:
    for the lines of one task, one per person."""

    def __init__(self, filters):
        self._parts = {key: urlencode([pair for pair in filters.params() if pair[0] == key]) for key in _KEYS}
        self._encoded = {}

    def __call__(self, **overrides):
        return _joined(self._texts(overrides))

    def varying(self, key, **overrides):
        texts = self._texts(overrides)
        position = _KEYS.index(key)
        before, after = _joined(texts[:position]), _joined(texts[position + 1 :])
        part = self._part
        return lambda value: _joined([before, part(key, value), after])

    def _texts(self, overrides):
        part, parts = self._part, self._parts
        return [part(key, overrides[key]) if key in overrides else parts[key] for key in _KEYS]

    def _part(self, key, value):
        if isinstance(value, Task):
            value = value.code
        items = tuple(value) if isinstance(value, (list, tuple)) else (value,)
        text = self._encoded.get((key, items))
        if text is None:
            text = self._encoded[key, items] = _encoded(key, [str(item) for item in items if item not in (None, "")])
        return text


def _joined(texts):
    return "&".join([text for text in texts if text])


_LEFT_AS_IS = re.compile(r"[A-Za-z0-9_.~-]*")  # the characters `quote_plus` never changes


def _encoded(key, texts):
    """`urlencode([(key, text), …])`, without its per-character quoting where there is nothing to
    quote (the codes, primary keys and dates of a report's thousands of links)."""
    if all(_LEFT_AS_IS.fullmatch(text) for text in texts):
        return "&".join(f"{key}={text}" for text in texts)
    return urlencode([(key, text) for text in texts])


_KEYS = ("range", "start", "end", "people", "projects", "task", "chart")


def parse_code(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
