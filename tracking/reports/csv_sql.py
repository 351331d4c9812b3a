"""The entries export on PostgreSQL, written by the database: each CSV line is built in SQL, the very
text `csv.csv_chunks(csv.entries_csv_rows(…))` writes (every cell quoted, quotes doubled, `\\r\\n` line
ends, `safe_text` on every text cell, times in the company's zone, decimal hours rounded half up),
so that Python only joins lines. Per-row conversion and formatting in Python cost two to three
times the query for a month or a year (benchmarks/reports.py); in SQL they cost a fraction of it.

Other databases use the Python path (csv.entries_csv_chunks decides).
"""

import sys
from datetime import timedelta
from functools import cache

from django.db import connections
from django.db.models import Case, CharField, DurationField, Expression, F, Func, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf

from ..models import TimeEntry
from .csv import ENTRY_COLUMNS, csv_chunks, entries_csv_rows
from .entries import entries_in_order
from .periods import company_zone

_TEXT = TextField()
_FORMULA_CHARS = "=+-@"


@cache
def _safe_pattern():
    """csv._FORMULA_AT_A_CELL_START in PostgreSQL's syntax: `\\s` spelled out as every character that
    Python's `\\s` matches (PostgreSQL's own classes depend on the database's locale)."""
    spaces = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
    return f'(^|[,;\t\r\n])([{spaces}"]*)(?=[=+@-])'


def _literal(text):
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


class _Raw(Expression):
    """A text literal written into the SQL (no parameter: it may sit in a repeated expression)."""

    output_field = _TEXT

    def __init__(self, text):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        return _literal(self.text), []


class _Sql(Func):
    """One column (a plain column reference: its SQL may appear several times in the template)."""

    arity = 1
    output_field = _TEXT


@cache
def _may_start_a_formula():
    """The first characters after which a one-cell value still needs the regex: a formula character,
    a quote or any space (as csv._MAY_START_A_FORMULA and `str.isspace` in `safe_text`)."""
    return '=+-@"' + "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


def _safe(expression):
    """`csv.safe_text` of a text column, in SQL, with its fast paths: no formula character; or one
    cell whatever the separator, with no formula at its start (an email); else the regex."""
    pattern = _literal(_safe_pattern())
    template = (
        "CASE WHEN %(expressions)s IS NULL OR %(expressions)s = '' THEN '' "
        "WHEN strpos(%(expressions)s, '=') + strpos(%(expressions)s, '+') + strpos(%(expressions)s, '-') "
        "+ strpos(%(expressions)s, '@') = 0 THEN regexp_replace(%(expressions)s, '^([\t\r])', '''\\1') "
        f"WHEN strpos({_literal(_may_start_a_formula())}, left(%(expressions)s, 1)) = 0 "
        "AND strpos(%(expressions)s, ',') + strpos(%(expressions)s, ';') + strpos(%(expressions)s, '\t') "
        "+ strpos(%(expressions)s, '\r') + strpos(%(expressions)s, '\n') = 0 THEN %(expressions)s "
        f"ELSE regexp_replace(regexp_replace(%(expressions)s, {pattern}, '\\1\\2''', 'g'), '^([\t\r])', '''\\1') END"
    )
    return _Sql(expression, template=template)


def _quoted(expression):
    """A cell as csv.writer(quoting=QUOTE_ALL) writes it."""
    return _Sql(expression, template="'\"' || replace(%(expressions)s, '\"', '\"\"') || '\"'")


def _ours(expression):
    """A cell of ours (a time, hours, a label, an id, a zone): no quote inside, nothing to neutralise."""
    return _Sql(expression, template="'\"' || %(expressions)s || '\"'")


def _hours(interval):
    """`decimal_hours`: hundredths of an hour rounded half up from exact microseconds."""
    # date_part is a double: exact to the microsecond for any duration an entry has (far below 2**53 µs).
    hundredths = "((round(date_part('epoch', %(expressions)s) * 1000000)::bigint + 18000000) / 36000000)"
    return Func(interval, template=f"to_char({hundredths} / 100.0, 'FM9999999990.00')", output_field=_TEXT)


def _local(column, zone_name):
    return _Sql(
        F(column), template=f"to_char(%(expressions)s AT TIME ZONE {_literal(zone_name)}, 'YYYY-MM-DD HH24:MI:SS')"
    )


def _task_text(column, if_no_task=""):
    """A task's text column, or `if_no_task` for time without a task."""
    return Case(When(task__isnull=True, then=Value(if_no_task)), default=_quoted(_safe(F(column))), output_field=_TEXT)


def _status():
    """`csv.status_text`: the state (— if none), closed, deleted upstream."""
    flags = Func(
        _Raw(", "),
        Coalesce(NullIf(F("task__state"), _Raw("")), _Raw("—")),
        Case(When(task__is_open=False, then=_Raw("closed")), output_field=_TEXT),
        Case(When(task__is_deleted_upstream=True, then=_Raw("deleted upstream")), output_field=_TEXT),
        function="concat_ws",
        output_field=_TEXT,
    )
    return Case(When(task__isnull=True, then=Value('""')), default=_quoted(_safe(flags)), output_field=_TEXT)


def _line(membership, filters):
    window_start, window_end = filters.date_range.bounds(company_zone(membership.company))
    zone_name = membership.company.time_zone
    in_range = Greatest(
        Least("ended_at", Value(window_end)) - Greatest("started_at", Value(window_start)),
        Value(timedelta(0)),
        output_field=DurationField(),
    )
    source = Case(
        *[When(source=value, then=Value(label)) for value, label in TimeEntry.Source.choices],
        default=Cast(F("source"), _TEXT),
        output_field=_TEXT,
    )
    person = Coalesce(
        NullIf(F("membership__user__full_name"), _Raw("")), F("membership__user__email"), output_field=_TEXT
    )
    cells = [
        _quoted(_safe(person)),
        _quoted(_safe(F("membership__user__email"))),
        _ours(_local("started_at", zone_name)),
        _ours(_local("ended_at", zone_name)),
        _ours(_hours(in_range)),
        _ours(_hours(F("ended_at") - F("started_at"))),
        _ours(source),
        _task_text("task__project__name", '""'),
        _task_text("task__title", '"No task"'),
        _status(),
        _task_text("task__url", '""'),
        _quoted(_safe(F("note"))),
        _ours(Cast(F("code"), _TEXT)),
        Value('"' + zone_name.replace('"', '""') + '"'),
    ]
    parts = []
    for cell in cells:
        parts.extend([cell, Value(",")])
    parts[-1] = Value("\r\n")
    return Func(*parts, function="CONCAT", output_field=CharField())


def entries_csv_chunks(membership, filters):
    """The entries export as CSV text: its header, then its lines (see the module's docstring)."""
    yield from csv_chunks([ENTRY_COLUMNS])
    if connections[TimeEntry.objects.db].vendor == "postgresql":
        yield from entries_csv_lines(membership, filters)
    else:
        yield from csv_chunks(entries_csv_rows(membership, filters, with_header=False))


def entries_csv_lines(membership, filters, lines_per_chunk=2000):
    """The export's lines after its header, a few thousand at a time, through a server-side cursor."""
    query = entries_in_order(membership, filters).annotate(csv_line=_line(membership, filters)).values_list("csv_line")
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(lines_per_chunk):
            yield "".join([row[0] for row in rows])
