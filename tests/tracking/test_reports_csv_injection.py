"""CSV injection (OWASP): no cell of any export, from a value someone outside or a user wrote (names,
emails, project and task names, story states and links, notes), opens as a formula, whether the
spreadsheet splits the file on `,` or on `;` (a Madrid locale's list separator)."""

import csv
import io

import pytest
from django.utils.safestring import mark_safe

from tests.factories import MembershipFactory
from tracking.reports.csv import csv_chunks

from .report_fixtures import ENTRIES_CSV, PROJECTS_CSV, TIMESHEET_CSV, make_project, make_task, track

pytestmark = pytest.mark.django_db
RANGE = "start=2025-06-09&end=2025-06-15"
FORMULA_STARTS = ("=", "+", "-", "@")
EVIL = [
    "=cmd|'/C calc'!A0",
    "@SUM(1)",
    "+1+1",
    "-2+3",
    "x;=cmd|'/C calc'!A0",
    "x,=cmd|'/C calc'!A0",
    " =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    'say "hi";=1+1',
    'ok\n=HYPERLINK("http://evil.example")',
]


@pytest.fixture
def poisoned(company, owner):
    """Every outside or user-written value of every export, poisoned."""
    person = MembershipFactory(company=company, role="user", user__full_name=EVIL[0], user__email="+1@acme.example")
    for number, text in enumerate(EVIL):
        project = make_project(company, text)
        task = make_task(project, EVIL[(number + 1) % len(EVIL)], state=EVIL[(number + 2) % len(EVIL)])
        task.url = EVIL[(number + 3) % len(EVIL)]
        task.save()
        track(
            person,
            f"2025-06-10 {number:02d}:00",
            f"2025-06-10 {number:02d}:30",
            task=task,
            note=EVIL[(number + 4) % len(EVIL)],
        )
    return person


def cells(body, delimiter):
    return [cell for row in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter) for cell in row]


def looks_like_a_formula(cell):
    return cell[:1] in ("\t", "\r") or cell.lstrip(' \t\r\n"')[:1] in FORMULA_STARTS


@pytest.mark.parametrize("export", [TIMESHEET_CSV, PROJECTS_CSV, ENTRIES_CSV])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_of_an_export_opens_as_a_formula(client_for, owner, poisoned, export, delimiter):
    response = client_for(owner).get(f"{export}?{RANGE}")
    body = b"".join(response.streaming_content).decode()

    found = cells(body, delimiter)

    assert found and [cell for cell in found if looks_like_a_formula(cell)] == []


@pytest.mark.parametrize("export", [TIMESHEET_CSV, PROJECTS_CSV, ENTRIES_CSV])
def test_every_cell_is_quoted_so_its_own_separator_never_splits_it(client_for, owner, poisoned, export):
    body = b"".join(client_for(owner).get(f"{export}?{RANGE}").streaming_content).decode()

    rows = list(csv.reader(io.StringIO(body, newline=""), strict=True))
    assert len(rows) > 3 and all(len(row) == len(rows[0]) for row in rows)
    assert body.startswith(f'"{rows[0][0]}","{rows[0][1]}",')


def test_neutralised_text_is_kept_readable(client_for, owner, poisoned):
    body = b"".join(client_for(owner).get(f"{PROJECTS_CSV}?{RANGE}").streaming_content).decode()

    found = cells(body, ",")
    assert "'=cmd|'/C calc'!A0" in found and "'@SUM(1)" in found and "x;'=cmd|'/C calc'!A0" in found
    assert 'say "hi";\'=1+1' in found and 'ok\n\'=HYPERLINK("http://evil.example")' in found
    statuses = {row[4] for row in csv.reader(io.StringIO(body, newline="")) if row[0] == "Task"}
    assert {"'=cmd|'/C calc'!A0", "'@SUM(1)", "'+1+1", "'-2+3"} <= statuses  # the task status column too
    assert "'+1@acme.example" in found


@pytest.mark.parametrize("export", [TIMESHEET_CSV, PROJECTS_CSV, ENTRIES_CSV])
def test_the_exports_keep_their_visibility(client_for, member, outsider, poisoned, export):
    own = b"".join(client_for(member).get(f"{export}?{RANGE}").streaming_content).decode()
    other = b"".join(client_for(outsider).get(f"{export}?{RANGE}").streaming_content).decode()

    assert "calc" not in own and "calc" not in other  # neither a user of Acme nor Globex sees that person's time


def test_text_of_any_string_type_is_neutralised():
    written = "".join(csv_chunks([[mark_safe("=1+1"), "=1+1", 7]]))  # noqa: S308

    assert written == '"\'=1+1","\'=1+1","7"\r\n'
