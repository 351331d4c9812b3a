"""Tracked time: the rules every entry obeys (API and web alike), the timer, and batch uploads.

Rules, each with its own code and message:
- ``end_before_start``: the end is after the start;
- ``too_long``: at most 24 hours;
- ``in_future``: not ending more than 5 minutes in the server's future;
- ``overlap``: no overlap with the person's other entries (a running timer counts until now);
- ``unknown_task``: the task is not one of this company's (no hint that it exists elsewhere);
- ``task_not_assigned``: the task was never offered to this person (a task that closed since, even
  while the desktop app was offline, still accepts the time recorded on it);
- ``task_not_offered``: a live timer starts only on a task offered now: one the dashboard and the
  API's task list show (an active assignment, not deleted upstream).
Writes for one person are serialised by locking their membership row, so two uploads at once can
never create overlapping entries or two rows for one client id.

Deleting an entry is a soft delete (`deleted_at`, `deleted_by`): it stops counting everywhere
(`TimeEntry.objects.live()`) and its owner can restore it, unless its time is taken by then
(`overlap`). Time changed by hand (added, edited, deleted, restored) leaves an audit row with the
entry's code and its times before and after; time tracked by the timer or uploaded by the desktop
app does not (it is the record of the clock, and would drown the company's audit log).
"""

from __future__ import annotations

import os
import uuid
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import EllipsisType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from companies.models import Membership
from companies.services import record_audit_event

from ..models import Task, TaskAssignment, TimeEntry

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper
    from django_stubs_ext import StrPromise

MAX_DURATION = timedelta(hours=24)
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_BATCH = 1000

MESSAGES = {
    "end_before_start": "The end must be after the start.",
    "too_long": "An entry can be at most 24 hours long.",
    "in_future": "An entry cannot end more than 5 minutes in the future.",
    "overlap": "This time overlaps another of your entries.",
    "unknown_task": "There is no such task.",
    "task_not_assigned": "This task was never assigned to you.",
    "task_not_offered": "This task is no longer offered to you (it was closed, or left your tasks). Pick another.",
    "manual_time_not_allowed": "Your company does not allow adding or editing time by hand.",
    "no_running_timer": "No timer is running.",
    "timer_running": "Stop the timer before changing its times or its task.",
    "entry_deleted": "This entry was deleted. Restore it before changing it.",
}
RESTORE_OVERLAP = (
    "This entry cannot be restored: its time now overlaps another of your entries. Change or delete that entry first."
)


class EntryRefused(ValidationError):
    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(message or MESSAGES[code], code=code)
        self.rule = code


def _lock(membership: Membership) -> None:
    """Serialises every write of one person's time (PostgreSQL: row lock; SQLite: the write lock)."""
    Membership.objects.select_for_update().filter(pk=membership.pk).first()


def check_times(started_at: datetime, ended_at: datetime, now: datetime) -> None:
    if ended_at <= started_at:
        raise EntryRefused("end_before_start")
    if ended_at - started_at > MAX_DURATION:
        raise EntryRefused("too_long")
    if ended_at > now + FUTURE_TOLERANCE:
        raise EntryRefused("in_future")


def resolve_task(
    membership: Membership, task_code: str | uuid.UUID | None, *, offered_now: bool = False
) -> Task | None:
    """The company's task with this code, usable by this person; None for time without a task.
    Time already tracked may go on a task that was ever assigned to the person; with `offered_now`
    (a live timer), the task must be one the task lists offer now."""
    if task_code in (None, ""):
        return None
    task = Task.objects.for_company(membership.company).filter(code=task_code).first()
    if task is None:
        raise EntryRefused("unknown_task")
    assignment = TaskAssignment.objects.filter(task=task, membership=membership).first()
    if assignment is None:
        raise EntryRefused("task_not_assigned")
    if offered_now and not (assignment.is_active and not task.is_deleted_upstream):
        raise EntryRefused("task_not_offered")
    return task


def _overlapping(
    membership: Membership,
    started_at: datetime,
    ended_at: datetime | None,
    now: datetime,
    exclude_pk: int | None = None,
) -> list[TimeEntry]:
    others = (
        TimeEntry.objects.of(membership)
        .live()
        .filter(started_at__lt=ended_at)
        .filter(Q(ended_at__gt=started_at) | Q(ended_at__isnull=True, started_at__lt=ended_at))
    )
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return [entry for entry in others if (entry.ended_at or now) > started_at]


def ensure_manual_time_allowed(membership: Membership) -> None:
    if not membership.company.allow_manual_time:
        raise EntryRefused("manual_time_not_allowed")


# --- Timer ----------------------------------------------------------------------------------


def running_entry(membership: Membership) -> TimeEntry | None:
    return TimeEntry.objects.of(membership).live().filter(ended_at__isnull=True).select_related("task__project").first()


def _stop(entry: TimeEntry, now: datetime) -> TimeEntry:
    entry.ended_at = min(now, entry.started_at + MAX_DURATION)  # a timer forgotten overnight stops at 24 h
    entry.save(update_fields=["ended_at", "updated_at"])
    return entry


@transaction.atomic
def start_timer(
    membership: Membership,
    *,
    task_code: str | uuid.UUID | None = None,
    source: str = TimeEntry.Source.WEB,
    note: str = "",
) -> TimeEntry:
    """Starts a timer; a running one stops at the same instant."""
    _lock(membership)
    task = resolve_task(membership, task_code, offered_now=True)
    now = timezone.now()
    current = running_entry(membership)
    if current:
        _stop(current, now)
    # An uploaded entry may end up to 5 minutes from now: the new timer may not start inside it.
    if TimeEntry.objects.of(membership).live().filter(started_at__lte=now, ended_at__gt=now).exists():
        raise EntryRefused("overlap")
    return TimeEntry.objects.create(
        company=membership.company, membership=membership, task=task, started_at=now, source=source, note=note
    )


@transaction.atomic
def stop_timer(membership: Membership) -> TimeEntry:
    _lock(membership)
    current = running_entry(membership)
    if current is None:
        raise EntryRefused("no_running_timer")
    return _stop(current, timezone.now())


# --- Single entries (manual, edits, deletion) -------------------------------------------------


def _snapshot(entry: TimeEntry) -> dict[str, Any]:
    """What an audit row keeps of an entry: its times, task, note and source (never a secret)."""
    return {
        "started_at": entry.started_at.isoformat(),
        "ended_at": entry.ended_at.isoformat() if entry.ended_at else None,
        "task": str(entry.task.code) if entry.task else None,
        "note": entry.note,
        "source": entry.source,
    }


def _span(snapshot: dict[str, Any], time_zone: str) -> str:
    """`Thu 27 Nov 2026 09:00–10:30` in the company's time zone (named after it), for an audit summary."""
    zone = ZoneInfo(time_zone)
    started = datetime.fromisoformat(snapshot["started_at"]).astimezone(zone)
    if snapshot["ended_at"] is None:
        return f"{started:%a %d %b %Y %H:%M}–(running)"
    ended = datetime.fromisoformat(snapshot["ended_at"]).astimezone(zone)
    end_text = f"{ended:%H:%M}" if ended.date() == started.date() else f"{ended:%a %d %b %Y %H:%M}"
    return f"{started:%a %d %b %Y %H:%M}–{end_text}"


def _audit(
    entry: TimeEntry,
    action: str,
    verb: str,
    *,
    acting: Membership,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    owner = entry.membership
    company = owner.company
    whose = "their" if acting.pk == owner.pk else f"{owner.user}’s"
    shown: dict[str, Any] = after or before  # type: ignore[assignment]  # every caller gives one
    summary = f"{acting.user} {verb} {whose} time entry of {_span(shown, company.time_zone)}"
    if before and after and (before["started_at"], before["ended_at"]) != (after["started_at"], after["ended_at"]):
        summary = (
            f"{acting.user} {verb} {whose} time entry of {_span(before, company.time_zone)} → "
            f"{_span(after, company.time_zone)}"
        )
    # Readers see the log in their own zones: the summary's wall-clock times name theirs.
    summary = f"{summary} ({company.time_zone})"
    details: dict[str, Any] = {"entry": str(entry.code), "member": owner.user.email}
    if before is not None:
        details["before"] = before
    if after is not None:
        details["after"] = after
    record_audit_event(company, action, summary, actor=acting, **details)


def _locked_own(entry: TimeEntry) -> TimeEntry:
    """The entry, re-read under its owner's lock."""
    _lock(entry.membership)
    return (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("task", "membership__company", "membership__user")
        .get(pk=entry.pk)
    )


@transaction.atomic
def add_manual_entry(
    membership: Membership,
    *,
    acting: Membership,
    started_at: datetime,
    ended_at: datetime,
    task_code: str | uuid.UUID | None = None,
    note: str = "",
) -> TimeEntry:
    ensure_manual_time_allowed(membership)
    _lock(membership)
    now = timezone.now()
    check_times(started_at, ended_at, now)
    task = resolve_task(membership, task_code)
    if _overlapping(membership, started_at, ended_at, now):
        raise EntryRefused("overlap")
    entry = TimeEntry.objects.create(
        company=membership.company,
        membership=membership,
        task=task,
        started_at=started_at,
        ended_at=ended_at,
        source=TimeEntry.Source.MANUAL,
        note=note,
    )
    _audit(entry, "time_entry.added", "added", acting=acting, after=_snapshot(entry))
    return entry


@transaction.atomic
def change_entry(
    entry: TimeEntry,
    *,
    acting: Membership,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    task_code: str | uuid.UUID | None | EllipsisType = ...,
    note: str | None = None,
) -> TimeEntry:
    """Edits a live entry; the company must allow editing time by hand. Changed times or task
    make it a manual entry (reports show it as such); a running timer only takes a new note.
    Values equal to the current ones are no change: nothing is saved or audited for them."""
    membership = entry.membership
    ensure_manual_time_allowed(membership)
    entry = _locked_own(entry)
    if entry.deleted_at is not None:
        raise EntryRefused("entry_deleted")
    before = _snapshot(entry)
    started_at = entry.started_at if started_at is None else started_at
    ended_at = entry.ended_at if ended_at is None else ended_at
    task = entry.task if task_code is ... else resolve_task(membership, task_code)
    reshaped = (started_at, ended_at, task) != (entry.started_at, entry.ended_at, entry.task)
    if entry.ended_at is None and reshaped:
        raise EntryRefused("timer_running")
    if reshaped:
        now = timezone.now()
        check_times(started_at, ended_at, now)  # type: ignore[arg-type]  # reshaped: not a running timer
        if _overlapping(membership, started_at, ended_at, now, exclude_pk=entry.pk):
            raise EntryRefused("overlap")
        entry.started_at, entry.ended_at, entry.task = started_at, ended_at, task
        entry.source = TimeEntry.Source.MANUAL
    if note is not None:
        entry.note = note
    after = _snapshot(entry)
    if after != before:
        entry.save()
        _audit(entry, "time_entry.changed", "changed", acting=acting, before=before, after=after)
    return entry


@transaction.atomic
def delete_entry(entry: TimeEntry, *, acting: Membership) -> TimeEntry:
    """Moves an entry to the owner's recently deleted ones; a running timer stops first (so that a
    new one can start). Deleting a deleted entry again changes nothing."""
    ensure_manual_time_allowed(entry.membership)
    entry = _locked_own(entry)
    if entry.deleted_at is not None:
        return entry
    now = timezone.now()
    if entry.ended_at is None:
        _stop(entry, now)
    entry.deleted_at, entry.deleted_by = now, acting
    entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _audit(entry, "time_entry.deleted", "deleted", acting=acting, before=_snapshot(entry))
    return entry


@transaction.atomic
def restore_entry(entry: TimeEntry, *, acting: Membership) -> TimeEntry:
    """Brings a deleted entry back as it was, unless its time is now taken by another entry
    (`overlap`). Restoring a live entry changes nothing."""
    ensure_manual_time_allowed(entry.membership)
    entry = _locked_own(entry)
    if entry.deleted_at is None:
        return entry
    if _overlapping(entry.membership, entry.started_at, entry.ended_at, timezone.now(), exclude_pk=entry.pk):
        raise EntryRefused("overlap", RESTORE_OVERLAP)
    entry.deleted_at, entry.deleted_by = None, None
    entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _audit(entry, "time_entry.restored", "restored", acting=acting, after=_snapshot(entry))
    return entry


# --- Batch upload from the desktop app ---------------------------------------------------------


@dataclass
class UploadItem:
    client_id: uuid.UUID
    started_at: datetime
    ended_at: datetime
    task_code: str | None = None
    note: str = ""


@dataclass
class ItemResult:
    client_id: str
    status: str  # created, exists, conflict, rejected
    code: str = ""
    message: str | StrPromise = ""
    entry_code: uuid.UUID | None = None  # the entry's id: the new one, or the one already there

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"client_id": self.client_id, "status": self.status}
        if self.entry_code is not None:
            body["id"] = str(self.entry_code)
        if self.code:
            body.update(code=self.code, message=self.message)
        return body


@dataclass
class _Stored:
    """What a replay is compared with: an entry already uploaded with the same client id."""

    code: uuid.UUID
    started_at: datetime
    ended_at: datetime | None
    task_id: int | None
    note: str


def upload_entries(
    membership: Membership, items: Sequence[UploadItem], *, source: str = TimeEntry.Source.DESKTOP
) -> list[ItemResult]:
    """Applies a batch: each item created, already there (same client id, same content), in
    conflict (same client id, other content) or rejected by a rule. A constant number of SQL
    statements whatever the batch size; replaying a batch creates nothing. The rows are prepared
    before the person's lock is taken; under it, one query each for the entries already uploaded,
    the tasks, and the entries in the batch's time span, then one INSERT."""
    rows = _NewRows(membership, items, source)
    with transaction.atomic():
        _lock(membership)
        now = timezone.now()
        known = _known(membership, items)
        tasks = _usable_tasks(membership, items)
        busy = _Busy(_busy_intervals(membership, items, now))
        results: list[ItemResult]
        seen: set[str]
        results, seen = [], set()
        for position, item in enumerate(items):
            result, task_pk = _judge(item, known, tasks, busy, seen, now)
            if result.status == "created":
                result.entry_code = rows.add(position, task_pk)
                busy.add(item.started_at, item.ended_at)
            results.append(result)
        rows.insert(now)
    return results


def _known(membership: Membership, items: Sequence[UploadItem]) -> dict[uuid.UUID, _Stored]:
    """Entries already uploaded with these client ids, deleted ones included (a replay of one
    deleted since is answered `exists` and it stays deleted). Unordered: ordered by start, SQLite
    would walk all of the person's entries by start instead of looking the client ids up."""
    found = (
        TimeEntry.objects.of(membership)
        .filter(client_id__in=[item.client_id for item in items])
        .order_by()
        .values_list("client_id", "code", "started_at", "ended_at", "task_id", "note")
    )
    return {client_id: _Stored(*stored) for client_id, *stored in found}


def _usable_tasks(membership: Membership, items: Sequence[UploadItem]) -> dict[str, tuple[int, bool]]:
    """{task code: (pk, whether it was ever assigned to the person)} for the company's tasks named."""
    codes = {item.task_code for item in items if item.task_code}
    if not codes:
        return {}
    assigned = TaskAssignment.objects.filter(task=OuterRef("pk"), membership=membership)
    found = (
        Task.objects.for_company(membership.company)
        .filter(code__in=codes)
        .order_by()
        .annotate(is_assigned=Exists(assigned))
        .values_list("code", "pk", "is_assigned")
    )
    return {str(code): (pk, is_assigned) for code, pk, is_assigned in found}


def _busy_intervals(
    membership: Membership, items: Sequence[UploadItem], now: datetime
) -> list[tuple[datetime, datetime]]:
    """(start, end) of the person's live entries overlapping the batch's span, a running timer until
    now. No entry lasts longer than MAX_DURATION (every way of writing one checks it, and a timer
    stops at it), so one that overlaps starts at most that long before the span: the index on
    (person, start) is read for that range only, not for all the person's history."""
    valid = [item for item in items if item.ended_at > item.started_at]
    if not valid:
        return []
    earliest, latest = min(item.started_at for item in valid), max(item.ended_at for item in valid)
    live = TimeEntry.objects.of(membership).live().order_by()
    ended = live.filter(started_at__gte=earliest - MAX_DURATION, started_at__lt=latest, ended_at__gt=earliest)
    running = live.filter(ended_at__isnull=True)  # no range on it: SQLite would then scan by start, not use
    # the index of running timers
    found = ended.values_list("started_at", "ended_at").union(running.values_list("started_at", "ended_at"), all=True)
    return [
        (started_at, ended_at or now)
        for started_at, ended_at in found
        if started_at < latest and (ended_at or now) > earliest
    ]


class _Busy:
    """The time already taken, for an overlap check per item in O(log n): the intervals merged into
    disjoint ones, sorted by start. (An interval that ends before it starts, which no rule lets in
    but old data might hold, is kept aside and checked as it is.)"""

    starts: list[datetime]
    ends: list[datetime]
    odd: list[tuple[datetime, datetime]]

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        self.starts, self.ends, self.odd = [], [], []
        for start, end in sorted(intervals):
            if end <= start:
                self.odd.append((start, end))
            elif self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        before = bisect_left(self.starts, end)  # the intervals starting before `end`; the last ends latest
        if before and self.ends[before - 1] > start:
            return True
        return any(odd_start < end and odd_end > start for odd_start, odd_end in self.odd)

    def add(self, start: datetime, end: datetime) -> None:
        """Takes an interval that overlaps none (merging it with one it touches is not needed)."""
        position = bisect_left(self.starts, start)
        self.starts.insert(position, start)
        self.ends.insert(position, end)


def _judge(
    item: UploadItem,
    known: dict[uuid.UUID, _Stored],
    tasks: dict[str, tuple[int, bool]],
    busy: _Busy,
    seen: set[str],
    now: datetime,
) -> tuple[ItemResult, int | None]:
    """The verdict on one item, and its task's pk when it is to be created."""
    client_id = str(item.client_id)
    task = tasks.get(str(item.task_code)) if item.task_code else None
    existing = known.get(item.client_id)
    if existing is not None:
        if (
            existing.started_at == item.started_at
            and existing.ended_at == item.ended_at
            and existing.task_id == (task[0] if task else None)
            and existing.note == item.note
        ):
            return ItemResult(client_id, "exists", entry_code=existing.code), None
        return ItemResult(
            client_id,
            "conflict",
            "client_id_conflict",
            "An entry with this client id was uploaded before with different content.",
            entry_code=existing.code,
        ), None
    if client_id in seen:
        return ItemResult(
            client_id, "rejected", "duplicate_in_batch", "This client id appears twice in the batch."
        ), None
    seen.add(client_id)
    try:
        check_times(item.started_at, item.ended_at, now)
        if item.task_code and task is None:
            raise EntryRefused("unknown_task")
        if task is not None and not task[1]:
            raise EntryRefused("task_not_assigned")
        if busy.overlaps(item.started_at, item.ended_at):
            raise EntryRefused("overlap")
    except EntryRefused as refusal:
        return ItemResult(client_id, "rejected", refusal.rule, refusal.message), None
    return ItemResult(client_id, "created"), task[0] if task else None


def _server_bound_cursor() -> CursorWrapper:
    """Django's cursor (its statements counted and logged like any), on PostgreSQL binding the
    parameters on the server: Django's psycopg 3 backend quotes them into the SQL text on the client
    unless `server_side_binding` is set, which for thousands of values costs more than the INSERT."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("server_side_binding") is True:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)  # type: ignore[call-arg]  # psycopg's, not in the stubs
    return (
        connection.make_debug_cursor(cursor)  # type: ignore[arg-type]
        if connection.queries_logged
        else connection.make_cursor(cursor)  # type: ignore[arg-type]
    )


class _NewRows:
    """The batch's new rows, written by one statement, their values adapted for the database up
    front, before the lock (what bulk_create does per model object and field). On PostgreSQL an
    INSERT … SELECT FROM unnest of one array a column: a short statement whatever the batch size
    (psycopg parses a long one's placeholders in Python, and a pipelined `executemany` took twice as
    long); elsewhere one INSERT executed for every row (`executemany`, one statement for Django)."""

    COLUMNS = (
        "code",
        "client_id",
        "started_at",
        "ended_at",
        "note",
        "task_id",
        "company_id",
        "membership_id",
        "source",
        "created_at",
        "updated_at",
    )
    ARRAYS = ("uuid", "uuid", "timestamptz", "timestamptz", "text", "bigint")  # the first six columns

    owner: tuple[int, int, str]
    codes: list[uuid.UUID]
    adapted: list[tuple[Any, ...]]
    rows: list[tuple[int, int | None]]

    def __init__(self, membership: Membership, items: Sequence[UploadItem], source: str) -> None:
        self.owner = (membership.company_id, membership.pk, source)
        random = os.urandom(16 * len(items))  # one system call for the batch's new ids (uuid4 makes one each)
        self.codes = [uuid.UUID(bytes=random[offset : offset + 16], version=4) for offset in range(0, len(random), 16)]
        adapt_uuid = (lambda value: value) if connection.features.has_native_uuid_field else (lambda value: value.hex)
        adapt = connection.ops.adapt_datetimefield_value
        self.adapted = [
            (adapt_uuid(code), adapt_uuid(item.client_id), adapt(item.started_at), adapt(item.ended_at), item.note)
            for code, item in zip(self.codes, items, strict=True)
        ]
        self.rows = []  # (position in the batch, task pk) of the items to create

    def add(self, position: int, task_pk: int | None) -> uuid.UUID:
        self.rows.append((position, task_pk))
        return self.codes[position]

    def insert(self, now: datetime) -> None:
        if not self.rows:
            return
        stamp = connection.ops.adapt_datetimefield_value(now)
        quote = connection.ops.quote_name
        head = f"INSERT INTO {quote(TimeEntry._meta.db_table)} ({', '.join(quote(name) for name in self.COLUMNS)}) "
        rows = [(*self.adapted[position], task_pk) for position, task_pk in self.rows]
        with _server_bound_cursor() as cursor:
            if connection.vendor == "postgresql":
                arrays = ", ".join(f"%s::{kind}[]" for kind in self.ARRAYS)
                cursor.execute(
                    head + f"SELECT *, %s, %s, %s, %s, %s FROM unnest({arrays})",
                    [*self.owner, stamp, stamp, *(list(column) for column in zip(*rows, strict=True))],
                )
            else:
                cursor.executemany(
                    head + f"VALUES ({', '.join(['%s'] * len(self.COLUMNS))})",
                    [(*row, *self.owner, stamp, stamp) for row in rows],
                )
