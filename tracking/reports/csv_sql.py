"""The entries export, written mostly by the database: the very text Python's csv writer makes of
the entries through `csv.csv_chunks` (every cell quoted, quotes doubled, `\\r\\n` line ends,
`safe_text` on every text cell, times in the company's zone, decimal hours rounded half up;
tests/tracking/entries_csv_reference.py is that writer, and the tests compare the two byte for
byte). An entry's own cells (times, hours, source, note, id) are built in SQL; the cells of its
person and its task, which thousands of lines repeat, are written once each by the csv writer
(`_CellsOf`) and Python only puts the parts of a line together. Per-row conversion and formatting
in Python cost two to three times the query on PostgreSQL and five to six times on SQLite
(benchmarks/reports.py); neutralising the person's and the task's texts on every line in SQL was
two fifths of the query on PostgreSQL.

Each expression below is written for PostgreSQL and, where SQLite lacks a function, for SQLite too
(`as_sqlite`): there, local times come from the UTC offsets the zone has over the export's span
(a CASE over its DST changes) and the rare cell that needs the formula regex calls `csv.safe_text`
itself (a function registered on every SQLite connection, `register_sqlite_functions`). Other
databases are not supported (NotSupportedError).
"""

import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.db import NotSupportedError, connections
from django.db.models import Case, CharField, DurationField, Expression, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Greatest, Least

from ..models import Task, TimeEntry
from ..services.time_entries import MAX_DURATION
from .csv import ENTRY_COLUMNS, csv_chunks, safe_text, task_status
from .periods import company_zone
from .tallies import ElapsedMicroseconds, report_entries
from .visibility import people_in_sight

logger = logging.getLogger(__name__)
_TEXT = TextField()
_SQLITE_SAFE_TEXT = "csv_safe_text"


def register_sqlite_functions(sender, connection, **kwargs):
    """`connection_created` receiver: `csv_safe_text(text)` on SQLite connections (the regex branch
    of `_Safe`, which SQLite cannot spell)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(_SQLITE_SAFE_TEXT, 1, safe_text, deterministic=True)


# Every character `str.isspace` (and so the regex `\s`) takes for a space, spelled out: PostgreSQL's
# own classes depend on the database's locale. Written here rather than found by testing every code
# point on the first export of each process (0.1 s); a test checks it against Python's Unicode data.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _literal(text):
    """`text` as an SQL string literal, in SQL handed to the database as it is (`%` doubled for the
    backend's parameter style)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _template_literal(text):
    """`text` as an SQL string literal inside a Func template, which `%` formatting halves once more."""
    return _literal(text).replace("%", "%%")


class _Raw(Expression):
    """A text literal written into the SQL: no parameter, so a template that repeats it stays small."""

    output_field = _TEXT

    def __init__(self, text):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        return _literal(self.text), []


class _Sql(Func):
    """One expression, which its template may repeat: its parameters are repeated with it (the
    template names no other placeholder)."""

    arity = 1
    output_field = _TEXT

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        template = template or self.extra.get("template", self.template)
        sql, params = super().as_sql(compiler, connection, function, template, arg_joiner, **extra_context)
        return sql, tuple(params) * template.count("%(expressions)s")


class _Spelled:
    """An expression spelled for PostgreSQL and SQLite only (`as_postgresql`, `as_sqlite`)."""

    def as_sql(self, compiler, connection, *args, **kwargs):
        raise NotSupportedError(f"The entries export is written for PostgreSQL and SQLite, not {connection.vendor}.")


class _Safe(_Spelled, _Sql):
    """`csv.safe_text` of a text column, in SQL, with its fast paths: no formula character; or one
    cell whatever the separator, with no formula at its start (an email); else the regex
    (csv._FORMULA_AT_A_CELL_START: regexp_replace on PostgreSQL, `safe_text` itself on SQLite)."""

    @staticmethod
    def _fast_paths(find, first):
        """The conditions of the two fast paths: no formula character; one cell, no formula at its start."""
        no_formula_character = (
            f"{find}(%(expressions)s, '=') + {find}(%(expressions)s, '+') + {find}(%(expressions)s, '-') "
            f"+ {find}(%(expressions)s, '@') = 0"
        )
        may_start_a_formula = _template_literal('=+-@"' + SPACES)  # csv._MAY_START_A_FORMULA and spaces
        one_cell_no_formula_at_start = (
            f"{find}({may_start_a_formula}, {first}) = 0 "
            f"AND {find}(%(expressions)s, ',') + {find}(%(expressions)s, ';') + {find}(%(expressions)s, '\t') "
            f"+ {find}(%(expressions)s, '\r') + {find}(%(expressions)s, '\n') = 0"
        )
        return no_formula_character, one_cell_no_formula_at_start

    def as_postgresql(self, compiler, connection):
        no_formula_character, one_cell = self._fast_paths("strpos", "left(%(expressions)s, 1)")
        pattern = _template_literal(f'(^|[,;\t\r\n])([{SPACES}"]*)(?=[=+@-])')
        template = (
            "CASE WHEN %(expressions)s IS NULL OR %(expressions)s = '' THEN '' "
            f"WHEN {no_formula_character} THEN regexp_replace(%(expressions)s, '^([\t\r])', '''\\1') "
            f"WHEN {one_cell} THEN %(expressions)s "
            f"ELSE regexp_replace(regexp_replace(%(expressions)s, {pattern}, '\\1\\2''', 'g'), "
            "'^([\t\r])', '''\\1') END"
        )
        return _Sql.as_sql(self, compiler, connection, template=template)

    def as_sqlite(self, compiler, connection):
        no_formula_character, one_cell = self._fast_paths("instr", "substr(%(expressions)s, 1, 1)")
        template = (
            "CASE WHEN %(expressions)s IS NULL OR %(expressions)s = '' THEN '' "
            f"WHEN {no_formula_character} THEN "
            "CASE WHEN substr(%(expressions)s, 1, 1) IN ('\t', '\r') THEN '''' || %(expressions)s "
            "ELSE %(expressions)s END "
            f"WHEN {one_cell} THEN %(expressions)s "
            f"ELSE {_SQLITE_SAFE_TEXT}(%(expressions)s) END"
        )
        return _Sql.as_sql(self, compiler, connection, template=template)


def _quoted(expression):
    """A cell as csv.writer(quoting=QUOTE_ALL) writes it."""
    return _Sql(expression, template="'\"' || replace(%(expressions)s, '\"', '\"\"') || '\"'")


def _ours(expression):
    """A cell of ours (a time, hours, an id): no quote inside, nothing to neutralise."""
    return _Sql(expression, template="'\"' || %(expressions)s || '\"'")


class _Hours(_Spelled, Func):
    """`decimal_hours` of a duration (`_Elapsed`): hundredths of an hour rounded half up from exact
    microseconds."""

    arity = 1
    output_field = _TEXT

    def as_postgresql(self, compiler, connection):
        # date_part is a double: exact to the microsecond for any duration an entry has (far below 2**53 µs).
        hundredths = "((round(date_part('epoch', %(expressions)s) * 1000000)::bigint + 18000000) / 36000000)"
        return Func.as_sql(self, compiler, connection, template=hundredths_text(connection, hundredths))

    def as_sqlite(self, compiler, connection):
        microseconds, params = compiler.compile(self.source_expressions[0])
        hundredths = f"(({microseconds} + 18000000) / 36000000)"  # integers: `/` divides exactly
        return hundredths_text(connection, hundredths), params


def hundredths_text(connection, hundredths):
    """SQL writing an integer number of hundredths (`hundredths`, SQL naming it once: SQLite would
    compute it twice for `h / 100, h % 100`) as `decimal_hours` does: 1234 → '12.34'. Each one up to
    240,000 (2,400 hours; an entry has at most 24) prints as its digits (tested)."""
    if connection.vendor == "postgresql":
        return f"to_char({hundredths} / 100.0, 'FM9999999990.00')"
    return f"printf('%%.2f', {hundredths} / 100.0)"


class _Elapsed(_Spelled, Func):
    """`end - start` (two datetime expressions), never below zero: an interval on PostgreSQL,
    microseconds on SQLite (where a datetime difference would be a Python call a row)."""

    arity = 2
    output_field = DurationField()

    def as_postgresql(self, compiler, connection):
        template = "GREATEST(%(expressions)s, interval '0')"
        return Func.as_sql(self, compiler, connection, template=template, arg_joiner=" - ")

    def as_sqlite(self, compiler, connection):
        microseconds, params = compiler.compile(ElapsedMicroseconds(*self.source_expressions))
        return f"MAX({microseconds}, 0)", params


class _LocalTime(_Spelled, Func):
    """A datetime column as '2025-03-03 23:30:00' in `zone` (seconds cut, as `isoformat` with
    timespec="seconds" does). On SQLite, shifted by the zone's UTC offset, a CASE over its changes
    within [`earliest`, `latest`] (`utc_offsets`)."""

    arity = 1
    output_field = _TEXT

    def __init__(self, column, zone, earliest, latest):
        super().__init__(F(column))
        self.zone, self.earliest, self.latest = zone, earliest, latest

    def as_postgresql(self, compiler, connection):
        zone = _template_literal(self.zone.key)
        template = f"to_char(%(expressions)s AT TIME ZONE {zone}, 'YYYY-MM-DD HH24:MI:SS')"
        return Func.as_sql(self, compiler, connection, template=template)

    def as_sqlite(self, compiler, connection):
        column, column_params = compiler.compile(self.source_expressions[0])
        offsets = utc_offsets(self.zone, self.earliest, self.latest)
        if len(offsets) == 1:
            shift, shift_params = "%s", [offsets[0][1]]
        else:
            whens = " ".join(f"WHEN {column} < %s THEN %s" for _ in offsets[:-1])
            shift = f"CASE {whens} ELSE %s END"
            shift_params = [
                *(
                    value
                    for until, modifier in offsets[:-1]
                    for value in (*column_params, connection.ops.adapt_datetimefield_value(until), modifier)
                ),
                offsets[-1][1],
            ]
        # the fraction is cut first: SQLite would round the time to the millisecond. datetime() writes
        # what strftime('%Y-%m-%d %H:%M:%S') does, a quarter faster.
        return f"datetime(substr({column}, 1, 19), {shift})", (*column_params, *shift_params)


@lru_cache(maxsize=32)  # an export asks twice (its start and end times)
def utc_offsets(zone, earliest, latest):
    """[(until, 'N seconds')]: the offset of `zone` from UTC before each of its changes within
    [`earliest`, `latest`] (aware datetimes), as an SQLite date modifier; the last one has no end
    (`until` None). Changes are found hour by hour, then to the second (tz database changes fall on
    whole seconds, and never twice in an hour)."""

    def offset(timestamp):
        return datetime.fromtimestamp(timestamp, UTC).astimezone(zone).utcoffset()

    def modifier(timestamp):
        return f"{offset(timestamp) // timedelta(seconds=1):+d} seconds"

    low, high = int(earliest.timestamp()), int(latest.timestamp()) + 1
    changes = []
    before, offset_before = low, offset(low)
    while before < high:
        after = min(before + 3600, high)
        offset_after = offset(after)
        if offset_after != offset_before:
            start = before
            while after - start > 1:  # offset(start) is the old one, offset(after) the new one
                middle = (start + after) // 2
                start, after = (start, middle) if offset(middle) != offset(start) else (middle, after)
            changes.append((datetime.fromtimestamp(after, UTC), modifier(start)))
            offset_after = offset(after)
        before, offset_before = after, offset_after
    return [*changes, (None, modifier(high))]


class _CodeText(_Spelled, _Sql):
    """A UUID column as `str(uuid)`: PostgreSQL's uuid type prints so; SQLite holds 32 hex digits."""

    def as_postgresql(self, compiler, connection):
        return _Sql.as_sql(self, compiler, connection, template="(%(expressions)s)::text")

    def as_sqlite(self, compiler, connection):
        groups = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
        template = " || '-' || ".join(f"substr(%(expressions)s, {start}, {length})" for start, length in groups)
        return _Sql.as_sql(self, compiler, connection, template=template)


class _Concat(Func):
    """Text parts, none of them NULL, one after the other."""

    function = "CONCAT"
    output_field = CharField()

    def as_sqlite(self, compiler, connection):  # CONCAT() came with SQLite 3.44
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" || ")


def _entry_cells(membership, filters):
    """The cells of an entry's own, as two texts: from Started to Source, and from Note to the end
    of the line (the person's and the task's cells go before and between them, `_CellsOf`)."""
    zone = company_zone(membership.company)
    window_start, window_end = filters.date_range.bounds(zone)
    # the times an exported entry can have (entries_in_order: overlapping the range, at most 24 h long)
    earliest, latest = window_start - MAX_DURATION, window_end + MAX_DURATION
    source = Case(  # our label, else whatever is stored, as any text
        *[When(source=value, then=Value(f'"{label}"')) for value, label in TimeEntry.Source.choices],
        default=_quoted(_Safe(Cast(F("source"), _TEXT))),
        output_field=_TEXT,
    )
    times_to_source = [
        _ours(_LocalTime("started_at", zone, earliest, latest)),
        _ours(_LocalTime("ended_at", zone, earliest, latest)),
        _hours_cells(window_start, window_end),
        source,
    ]
    zone_name = membership.company.time_zone
    note_to_end = [
        _quoted(_Safe(F("note"))),
        _ours(_CodeText(F("code"))),
        Value('"' + zone_name.replace('"', '""') + '"'),
    ]
    return _joined(times_to_source, end=","), _joined(note_to_end, end="\r\n")


def _hours_cells(window_start, window_end):
    """“Hours in range” and “Entry hours”, as one text: an entry inside the range (all but the few
    across its edges) has the same figure twice, computed once and written in both cells."""
    entry_hours = _Hours(_Elapsed(F("ended_at"), F("started_at")))
    in_range = _Elapsed(Least("ended_at", Value(window_end)), Greatest("started_at", Value(window_start)))
    return Case(
        When(
            Q(started_at__gte=window_start, ended_at__lte=window_end),
            then=_Sql(entry_hours, template="replace('\"#\",\"#\"', '#', %(expressions)s)"),
        ),
        default=_Concat(_ours(_Hours(in_range)), Value(","), _ours(entry_hours)),
        output_field=_TEXT,
    )


def _joined(cells, *, end):
    parts = []
    for cell in cells:
        parts.extend([cell, Value(",")])
    parts[-1] = Value(end)
    return _Concat(*parts)


class _CellsOf(dict):
    """{id: the CSV cells of a person (Person, Email) or a task (Project … Story), and the comma
    after them}, written by Python's csv writer (`csv_chunks`) once for each, where the export's
    thousands of lines repeat them. An id met that was not loaded (a person or task added while the
    export runs) is loaded then; one with nothing behind it gets blank cells and a warning."""

    def __init__(self, load, *, blank, kind):
        super().__init__()
        self.load = load  # ids (None: all the export needs) → {id: [cell values]}
        self.blank, self.kind = blank, kind  # the cells of an id with nothing behind it; what it names

    def add(self, ids=None):
        for key, values in self.load(ids).items():
            self[key] = "".join(csv_chunks([values]))[:-2] + ","  # the line without its \r\n
        return self

    def __missing__(self, key):
        self.add([key])
        if key not in self:  # an entry naming what the viewer's company does not have: never its text
            logger.warning("Entries export: no %s %s behind an exported entry", self.kind, key)
            self[key] = self.blank
        return super().__getitem__(key)


def _people_cells(membership, filters):
    """The people of the exported entries (one may see them all: the entries are theirs)."""

    def load(ids):
        people = people_in_sight(membership, exported.values("membership_id") if ids is None else ids)
        return {person.pk: [person.name, person.email] for person in people}

    exported = report_entries(membership, filters).order_by()
    return _CellsOf(load, blank='"","",', kind="person").add()


def _task_cells(membership, filters):
    """The tasks of the exported entries, "No task" for time without one."""

    def load(ids):
        tasks = Task.objects.for_company(membership.company_id).select_related("project").order_by()
        tasks = tasks.filter(pk__in=exported.values("task_id") if ids is None else ids)
        return {
            task.pk: [task.project.name if task.project else "", task.title, task_status(task), task.url]
            for task in tasks.only(*_TASK_FIELDS)
        }

    exported = report_entries(membership, filters).exclude(task=None).order_by()
    cells = _CellsOf(load, blank='"","","","",', kind="task").add()
    cells[None] = '"","No task","","",'
    return cells


_TASK_FIELDS = ("title", "state", "is_open", "is_deleted_upstream", "url", "project__name")


def entries_csv_chunks(membership, filters):
    """The entries export as CSV text: its header, then its lines (see the module's docstring)."""
    yield from csv_chunks([ENTRY_COLUMNS])
    yield from entries_csv_lines(membership, filters)


def entries_csv_lines(membership, filters, lines_per_chunk=2000):
    """The export's lines after its header, a few thousand at a time (through a server-side cursor on
    PostgreSQL)."""
    people, tasks = _people_cells(membership, filters), _task_cells(membership, filters)
    times_to_source, note_to_end = _entry_cells(membership, filters)
    query = (
        report_entries(membership, filters)
        .order_by("started_at", "pk")
        .annotate(times_to_source=times_to_source, note_to_end=note_to_end)
        .values_list("membership_id", "task_id", "times_to_source", "note_to_end")
    )
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(lines_per_chunk):
            yield "".join([f"{people[person]}{own}{tasks[task]}{rest}" for person, task, own, rest in rows])
