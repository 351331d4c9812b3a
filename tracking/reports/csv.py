"""The CSV exports: their rows (decimal hours, whoever exports) and their streaming, every text cell
neutralised against spreadsheet formulas."""

import csv
import re

# OWASP's CSV injection guidance: a cell that starts with `=`, `+`, `-` or `@` (spaces or quotes
# before them are skipped by some spreadsheets), or with a tab or a carriage return, is run as a
# formula. The CSV writer (`csv_chunks`) quotes every cell, but a spreadsheet that splits
# on another list separator (`;` where `,` is the decimal mark, as in Spain) loses track of the quotes
# and starts a cell after any `,`, `;`, tab or line break inside a value: each of those positions
# gets the same `'` as the start of the value.
_FORMULA_AT_A_CELL_START = re.compile(r"(^|[,;\t\r\n])([\s\"]*)(?=[=+\-@])")
_MAY_START_A_FORMULA = frozenset('=+-@"')


def safe_text(value):
    """Text that no spreadsheet runs as a formula, whatever its list separator: a `'` before every
    formula character that could start a cell. Applying it twice changes nothing more."""
    if not value:
        return ""
    value = str(value)
    if not ("=" in value or "+" in value or "-" in value or "@" in value):  # most cells: nothing to run
        return "'" + value if value[0] in "\t\r" else value
    if (
        value[0] not in _MAY_START_A_FORMULA
        and not value[0].isspace()
        and not ("," in value or ";" in value or "\t" in value or "\r" in value or "\n" in value)
    ):
        return value  # one cell whatever the separator, and its start is no formula (dates: 2025-03-03)
    value = _FORMULA_AT_A_CELL_START.sub(r"\1\2'", value)
    return "'" + value if value[0] in "\t\r" else value


def timesheet_csv_rows(report):
    days = [day.isoformat() for day in report.days]
    yield ["Person", "Email", "Hours", *days, "All days"]
    for row in report.rows:
        name, email = row.name, row.person.email
        for kind, attribute in (("Tracked", "tracked_hours"), ("Manual", "manual_hours"), ("Total", "total_hours")):
            yield [name, email, kind, *(getattr(cell, attribute) for cell in row.cells), getattr(row.total, attribute)]
    for kind, attribute in (("Tracked", "tracked_hours"), ("Manual", "manual_hours"), ("Total", "total_hours")):
        yield [
            "All people",
            "",
            kind,
            *(getattr(cell, attribute) for cell in report.day_totals),
            getattr(report.total, attribute),
        ]


def task_status(task):
    return "" if task is None else status_text(task.state, task.is_open, task.is_deleted_upstream)


def status_text(state, is_open, is_deleted_upstream):
    flags = [state or "—"]
    if not is_open:
        flags.append("closed")
    if is_deleted_upstream:
        flags.append("deleted upstream")
    return ", ".join(flags)


PROJECT_COLUMNS = ["Level", "Project", "Task", "Story", "Task status", "Person", "Email", "Tracked", "Manual", "Total"]


def projects_csv_chunks(report, lines_per_chunk=500):
    """The projects export as CSV text, a few hundred lines at a time: a line per project, task (the
    “No task” group has no task level, as on screen) and person, then the total. The text
    `csv_chunks` would make of those rows, but each cell is written once however many lines repeat
    it (a week's export is thousands of lines over a few hundred people and tasks, and its figures
    repeat too): a line is only its cells put together."""
    cell = _CellTexts()
    person_cells = {}

    def times(time_):
        return f"{cell[time_.tracked_hours]},{cell[time_.manual_hours]},{cell[time_.total_hours]}\r\n"

    yield from csv_chunks([PROJECT_COLUMNS])
    lines = []
    for line in report.projects:
        project = cell[line.project.name if line.project else "No task"]
        lines.append(f'"Project",{project},"","","","","",{times(line.time)}')
        for task_line in line.tasks:
            task = task_line.task
            if task is None:
                task_cells = f'{project},{cell["No task"]},"","",'
            else:
                task_cells = f"{project},{cell[task.title]},{cell[task.url]},{cell[task_status(task)]},"
            if line.project is not None:
                lines.append(f'"Task",{task_cells}"","",{times(task_line.time)}')
            for person_line in task_line.people:
                person = person_line.person
                if (cells := person_cells.get(person.pk)) is None:
                    cells = person_cells[person.pk] = f"{cell[person.name]},{cell[person.email]},"
                lines.append(f'"Person",{task_cells}{cells}{times(person_line.time)}')
        if len(lines) >= lines_per_chunk:
            yield "".join(lines)
            lines = []
    lines.append(f'"All projects","","","","","","",{times(report.total)}')
    yield "".join(lines)


class _CellTexts(dict):
    """{text: its CSV cell}, as `csv_chunks` writes it (neutralised, every cell quoted, quotes
    doubled), each written on first use."""

    def __init__(self):
        super().__init__()
        self.writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def __missing__(self, text):
        quoted = self[text] = self.writer.writerow([safe_text(text)])[:-2]  # without the line's \r\n
        return quoted


ENTRY_COLUMNS = [
    "Person",
    "Email",
    "Started",
    "Ended",
    "Hours in range",
    "Entry hours",
    "Source",
    "Project",
    "Task",
    "Task status",
    "Story",
    "Note",
    "Entry id",
    "Time zone",
]


def csv_filename(kind, filters):
    return f"{kind}-{filters.date_range.start.isoformat()}-to-{filters.date_range.end.isoformat()}.csv"


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_chunks(rows, lines_per_chunk=500):
    """CSV text, a few hundred lines at a time (one write per line would cost more than the line).
    Every cell is quoted, so a spreadsheet whose list separator is `;` (or `,`) never splits one,
    and every text cell is neutralised against formulas, whatever the row builder did."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    # A report repeats its names, emails, titles, links and figures on many rows: each text is
    # neutralised once.
    neutralised = {}
    known = neutralised.get

    def neutralise(text):
        safe = neutralised[text] = safe_text(text)
        return safe

    lines = []
    for row in rows:
        cells = [(known(cell) or neutralise(cell)) if isinstance(cell, str) else cell for cell in row]
        lines.append(writer.writerow(cells))
        if len(lines) == lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
