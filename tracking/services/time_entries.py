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
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from companies.models import Membership

from ..models import Task, TaskAssignment, TimeEntry

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
}


class EntryRefused(ValidationError):
    def __init__(self, code):
        super().__init__(MESSAGES[code], code=code)
        self.rule = code


def _lock(membership):
    """Serialises every write of one person's time (PostgreSQL: row lock; SQLite: the write lock)."""
    Membership.objects.select_for_update().filter(pk=membership.pk).first()


def check_times(started_at, ended_at, now):
    if ended_at <= started_at:
        raise EntryRefused("end_before_start")
    if ended_at - started_at > MAX_DURATION:
        raise EntryRefused("too_long")
    if ended_at > now + FUTURE_TOLERANCE:
        raise EntryRefused("in_future")


def resolve_task(membership, task_code, *, offered_now=False):
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


def _overlapping(membership, started_at, ended_at, now, exclude_pk=None):
    others = TimeEntry.objects.of(membership).filter(started_at__lt=ended_at).filter(
        Q(ended_at__gt=started_at) | Q(ended_at__isnull=True, started_at__lt=ended_at))
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return [entry for entry in others if (entry.ended_at or now) > started_at]


def ensure_manual_time_allowed(membership):
    if not membership.company.allow_manual_time:
        raise EntryRefused("manual_time_not_allowed")


# --- Timer ----------------------------------------------------------------------------------

def running_entry(membership):
    return TimeEntry.objects.of(membership).filter(ended_at__isnull=True).select_related("task__project").first()


def _stop(entry, now):
    entry.ended_at = min(now, entry.started_at + MAX_DURATION)  # a timer forgotten overnight stops at 24 h
    entry.save(update_fields=["ended_at", "updated_at"])
    return entry


@transaction.atomic
def start_timer(membership, *, task_code=None, source=TimeEntry.Source.WEB, note=""):
    """Starts a timer; a running one stops at the same instant."""
    _lock(membership)
    task = resolve_task(membership, task_code, offered_now=True)
    now = timezone.now()
    current = running_entry(membership)
    if current:
        _stop(current, now)
    # An uploaded entry may end up to 5 minutes from now: the new timer may not start inside it.
    if TimeEntry.objects.of(membership).filter(started_at__lte=now, ended_at__gt=now).exists():
        raise EntryRefused("overlap")
    return TimeEntry.objects.create(company=membership.company, membership=membership, task=task, started_at=now,
                                    source=source, note=note)


@transaction.atomic
def stop_timer(membership):
    _lock(membership)
    current = running_entry(membership)
    if current is None:
        raise EntryRefused("no_running_timer")
    return _stop(current, timezone.now())


# --- Single entries (manual, edits) -----------------------------------------------------------

@transaction.atomic
def add_manual_entry(membership, *, started_at, ended_at, task_code=None, note=""):
    ensure_manual_time_allowed(membership)
    _lock(membership)
    now = timezone.now()
    check_times(started_at, ended_at, now)
    task = resolve_task(membership, task_code)
    if _overlapping(membership, started_at, ended_at, now):
        raise EntryRefused("overlap")
    return TimeEntry.objects.create(company=membership.company, membership=membership, task=task,
                                    started_at=started_at, ended_at=ended_at, source=TimeEntry.Source.MANUAL,
                                    note=note)


@transaction.atomic
def change_entry(entry, *, started_at=None, ended_at=None, task_code=..., note=None):
    """Edits one's own entry; the company must allow editing time by hand. Changed times or task
    make it a manual entry (reports show it as such); a running timer only takes a new note."""
    membership = entry.membership
    ensure_manual_time_allowed(membership)
    _lock(membership)
    entry = TimeEntry.objects.select_for_update().get(pk=entry.pk)
    reshaped = started_at is not None or ended_at is not None or task_code is not ...
    if entry.ended_at is None and reshaped:
        raise EntryRefused("timer_running")
    if reshaped:
        now = timezone.now()
        started_at, ended_at = started_at or entry.started_at, ended_at or entry.ended_at
        check_times(started_at, ended_at, now)
        task = entry.task if task_code is ... else resolve_task(membership, task_code)
        if _overlapping(membership, started_at, ended_at, now, exclude_pk=entry.pk):
            raise EntryRefused("overlap")
        entry.started_at, entry.ended_at, entry.task = started_at, ended_at, task
        entry.source = TimeEntry.Source.MANUAL
    if note is not None:
        entry.note = note
    entry.save()
    return entry


@transaction.atomic
def delete_entry(entry):
    ensure_manual_time_allowed(entry.membership)
    _lock(entry.membership)
    entry.delete()


# --- Batch upload from the desktop app ---------------------------------------------------------

@dataclass
class UploadItem:
    client_id: object
    started_at: object
    ended_at: object
    task_code: object = None
    note: str = ""


@dataclass
class ItemResult:
    client_id: str
    status: str  # created, exists, conflict, rejected
    code: str = ""
    message: str = ""
    entry: TimeEntry | None = None

    def as_json(self):
        body = {"client_id": self.client_id, "status": self.status}
        if self.entry is not None:
            body["id"] = str(self.entry.code)
        if self.code:
            body.update(code=self.code, message=self.message)
        return body


def _same_content(entry, item, task):
    """Whether a stored entry is what this item describes (a replay, not a conflict)."""
    return (entry.started_at == item.started_at and entry.ended_at == item.ended_at
            and entry.task_id == (task.pk if task else None) and entry.note == item.note)


@transaction.atomic
def upload_entries(membership, items, *, source=TimeEntry.Source.DESKTOP):
    """Applies a batch: each item created, already there (same client id, same content), in
    conflict (same client id, other content) or rejected by a rule. A constant number of SQL
    statements whatever the batch size; replaying a batch creates nothing."""
    _lock(membership)
    now = timezone.now()
    client_ids = [item.client_id for item in items]
    known = {entry.client_id: entry for entry in TimeEntry.objects.of(membership).filter(client_id__in=client_ids)}
    codes = {item.task_code for item in items if item.task_code}
    tasks = {str(task.code): task for task in Task.objects.for_company(membership.company).filter(code__in=codes)}
    assigned = set(TaskAssignment.objects.filter(membership=membership, task__in=tasks.values())
                   .values_list("task_id", flat=True))
    busy = _busy_intervals(membership, items, now)
    results, to_create, seen = [], [], set()
    for item in items:
        result, task = _judge(item, known, tasks, assigned, busy, seen, now)
        if result.status == "created":
            result.entry = TimeEntry(company=membership.company, membership=membership, task=task,
                                     started_at=item.started_at, ended_at=item.ended_at, source=source,
                                     client_id=item.client_id, note=item.note)
            to_create.append(result.entry)
            busy.append((item.started_at, item.ended_at))
        results.append(result)
    TimeEntry.objects.bulk_create(to_create)
    return results


def _busy_intervals(membership, items, now):
    valid = [item for item in items if item.ended_at > item.started_at]
    if not valid:
        return []
    earliest, latest = min(item.started_at for item in valid), max(item.ended_at for item in valid)
    return [(entry.started_at, entry.ended_at or now)
            for entry in _overlapping(membership, earliest, latest, now)]


def _judge(item, known, tasks, assigned, busy, seen, now):
    """The verdict on one item, and its task when it is to be created."""
    client_id = str(item.client_id)
    task = tasks.get(str(item.task_code)) if item.task_code else None
    existing = known.get(item.client_id)
    if existing is not None:
        if _same_content(existing, item, task):
            return ItemResult(client_id, "exists", entry=existing), None
        return ItemResult(client_id, "conflict", "client_id_conflict",
                          "An entry with this client id was uploaded before with different content.",
                          entry=existing), None
    if client_id in seen:
        return ItemResult(client_id, "rejected", "duplicate_in_batch",
                          "This client id appears twice in the batch."), None
    seen.add(client_id)
    try:
        check_times(item.started_at, item.ended_at, now)
        if item.task_code and task is None:
            raise EntryRefused("unknown_task")
        if task is not None and task.pk not in assigned:
            raise EntryRefused("task_not_assigned")
        if any(start < item.ended_at and end > item.started_at for start, end in busy):
            raise EntryRefused("overlap")
    except EntryRefused as refusal:
        return ItemResult(client_id, "rejected", refusal.rule, refusal.message), None
    return ItemResult(client_id, "created"), task
