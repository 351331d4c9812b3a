"""Turning a person's tracker items into tasks: incrementally, idempotently, losing nothing.

`sync_user_tasks` does one run for one personal integration, speaking to the provider only
through `integrations.providers.base.Provider`:
1. one request lists the projects the person can see (a provider may give each a version that
   changes on any edit: an unchanged one then costs nothing more);
2. a changed project is read page by page, only items updated since the cursor (less a small
   overlap) when the provider reads incrementally, and each page is written in one transaction
   with a constant number of bulk statements;
3. after an incremental read, items deleted from or moved out of the project are looked up where
   they are now: a deleted item closes its task for everyone, one out of sight for this person;
   after a complete read, whatever the person was offered there and the read did not return is
   closed for them;
4. a project that disappeared from the list, or answers 403, closes its tasks for this person.
Tasks are never deleted, so tracked time always keeps its task. Cursors move only after a project
is complete, so a run killed half-way is completed by the next one, with no duplicates.

Consistent reads: offsets (or page numbers) shift when the data changes between two page reads, so
a paged read can silently miss an item. Every page carries the provider's snapshot of the data it
was served from; a read whose pages disagree is read again (same starting point), up to
SYNC_READ_PASSES times. Only a read whose pages agree moves the cursor; a project that never
settles keeps its cursor, is noted on the run and read again by a follow-up run. A complete
(non-incremental) read that settled is the whole truth about the project, so whatever the person
was offered there and that read did not return is no longer offered.

Hostile values: providers hand over cleaned values (`integrations.providers.values`); an item that
still cannot be stored is skipped and noted on the run, and the rest of the run goes on.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from integrations.models import TaskScope
from integrations.providers.base import AccessLost, Person
from tracking.models import Project, Task, TaskAssignment

from ..models import SyncCursor, SyncRun
from .prefetch import ReadAhead, prefetched
from .runs import heartbeat
from .upsert import bulk_upsert, select_by_key

# The columns a sync compares with what it read, in this order.
COMPARED = [
    "project_id",
    "title",
    "url",
    "kind",
    "state",
    "estimate",
    "labels",
    "external_created_at",
    "external_updated_at",
    "is_open",
    "is_deleted_upstream",
]


def _json(value):
    """A JSON column's raw value as the ORM reads it (PostgreSQL and SQLite both hand over text)."""
    return json.loads(value) if isinstance(value, str) else value


def _aware(value):
    """A raw datetime as the ORM reads it: aware, in UTC (SQLite hands over naive UTC)."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


# How a raw value of each COMPARED column becomes what the ORM would read (None: as it is).
_READERS = {
    "labels": _json,
    "external_created_at": _aware,
    "external_updated_at": _aware,
    "is_open": bool,
    "is_deleted_upstream": bool,
}
READ_AS_THE_ORM = [_READERS.get(column) for column in COMPARED]

MAX_EXTERNAL_ID_LENGTH = 255
WARNINGS_KEPT = 100


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    closed: int = 0
    requests: int = 0
    warnings: list = field(default_factory=list)
    unsettled: list = field(default_factory=list)  # projects that changed during every read

    def warn(self, project, external_id, title, reason):
        if len(self.warnings) < WARNINGS_KEPT:
            self.warnings.append(
                {
                    "project": project,
                    "external_id": external_id[:MAX_EXTERNAL_ID_LENGTH],
                    "title": title[:200],
                    "reason": reason,
                }
            )


def in_scope(remote, person_id, scope):
    """Whether an item is offered to the person under the company's scope setting."""
    if scope == TaskScope.PROJECTS_ALL:
        return True
    owned = person_id in remote.owner_ids
    return owned if scope == TaskScope.OWNED_ALL else owned and not remote.is_done


class PersonalSync:
    """One run of one person's sync. Provider calls go through `provider` and `client` only."""

    def __init__(self, personal, *, run=None):
        self.personal = personal
        self.membership = personal.membership
        self.company_id = personal.membership.company_id
        self.provider = personal.company_integration.provider_object
        self.installation = personal.company_integration.installation
        self.scope = personal.company_integration.task_scope
        self.person_id = personal.external_id
        self.person = Person(personal.external_id, personal.external_username)
        self.client = self.provider.client(personal.token, installation=self.installation)
        self.run = run
        self._projects_done = self._projects_total = 0
        self.counts = SyncCounts()
        self.projects = {}

    def execute(self):
        remote_projects = self.provider.list_projects(self.client, self.installation)
        cursors = {cursor.project_external_id: cursor for cursor in self.personal.cursors.all()}
        visible = {project.external_id for project in remote_projects}
        for external_id, cursor in cursors.items():
            if external_id not in visible and cursor.is_accessible:
                self._lose_project(cursor)
        changed = [
            project for project in remote_projects if self._needs_reading(cursors.get(project.external_id), project)
        ]
        self._store_projects(changed)
        self._projects_total = len(changed)
        plans = [
            self._plan(project, cursors.get(project.external_id) or self._new_cursor(project)) for project in changed
        ]
        # Every project's first read comes from a helper thread with its own client, a few pages
        # ahead: the next project's pages arrive while this one's last page is written.
        reader = self.provider.client(self.personal.token, installation=self.installation)
        reads = [(plan.project.external_id, lambda plan=plan: self._fetch(plan, reader)) for plan in plans]
        with ReadAhead(reads, go_on_after=(AccessLost,)) as reading:
            for position, plan in enumerate(plans, start=1):
                self._projects_done = position - 1
                try:
                    self._read_project(plan, visible, reading.pages(plan.project.external_id))
                except AccessLost:
                    self._lose_project(plan.cursor)
                self._report_progress(position, len(changed))
        self.counts.requests = getattr(self.client, "requests_made", 0) + getattr(reader, "requests_made", 0)
        return self.counts

    # --- Projects ---------------------------------------------------------------------------

    def _store_projects(self, remote_projects):
        if not remote_projects:
            return
        Project.objects.bulk_create(
            [
                Project(
                    company_id=self.company_id,
                    provider=self.provider.id,
                    external_id=project.external_id,
                    name=project.name,
                )
                for project in remote_projects
            ],
            update_conflicts=True,
            unique_fields=["company", "provider", "external_id"],
            update_fields=["name"],
        )
        self._load_projects([project.external_id for project in remote_projects])

    def _load_projects(self, external_ids):
        missing = [external_id for external_id in external_ids if external_id not in self.projects]
        if missing:
            for project in Project.objects.filter(
                company_id=self.company_id, provider=self.provider.id, external_id__in=missing
            ):
                self.projects[project.external_id] = project

    def _needs_reading(self, cursor, remote_project):
        return (
            cursor is None
            or not cursor.is_accessible
            or cursor.scope != self.scope
            or not self.provider.is_unchanged(remote_project, cursor.state)
        )

    def _new_cursor(self, remote_project):
        return SyncCursor(user_integration=self.personal, project_external_id=remote_project.external_id)

    def _plan(self, remote_project, cursor):
        """How the project is read: from its cursor's state, incrementally when it can be."""
        state = dict(cursor.state or {}) if cursor.is_accessible and cursor.scope == self.scope else {}
        incremental = self.provider.reads_incrementally and cursor.pk is not None and "since" in state
        since = _parse_since(state["since"]) - settings.SYNC_CURSOR_OVERLAP if incremental else None
        return _Plan(remote_project, cursor, state, incremental, since)

    def _fetch(self, plan, client):
        return self.provider.fetch_tasks(
            client,
            plan.project,
            person=self.person,
            scope=self.scope,
            since=plan.since,
            cursor_state=dict(plan.state),
        )

    def _read_project(self, plan, visible, first_pages):
        remote_project, cursor, state, incremental = plan.project, plan.cursor, plan.state, plan.incremental
        for passes in range(settings.SYNC_READ_PASSES):
            pages = first_pages if passes == 0 else prefetched(self._fetch(plan, self.client))
            read = self._read_pass(remote_project, pages)
            if read.not_modified or read.is_consistent:
                break
        else:
            # Changed under every read: whatever was written stays, but the cursor does not move
            # past what may have been missed; a follow-up run reads the project again.
            self.counts.unsettled.append(remote_project.name)
            return
        if read.not_modified:
            return  # the provider says nothing changed since this cursor: nothing to do
        if not incremental:
            self._close_unseen(remote_project.external_id, read.seen)
        if incremental:
            removals = self.provider.fetch_removals(self.client, remote_project, cursor_state=state)
            self._settle_removals(removals, visible)
        newest = max(filter(None, [_parse_since(state.get("since")), read.newest]), default=None)
        state.update(read.cursor)
        state["version"] = remote_project.version
        if newest is not None:
            state["since"] = newest.isoformat()
        cursor.state = state
        cursor.is_accessible = True
        cursor.scope = self.scope
        cursor.save()

    def _read_pass(self, remote_project, pages):
        """One paged read of a project, every page written as it comes."""
        read = _Read()
        for page in pages:
            read.add(page)
            for item in page.skipped:
                self.counts.warn(remote_project.name, item.external_id, "", item.reason)
            self._apply(
                self._storable(page.tasks, remote_project.name),
                project_name=remote_project.name,
                after=lambda page=page: self._report_page_progress(page),
            )
        return read

    def _storable(self, remote_tasks, project_name):
        storable = []
        for remote in remote_tasks:
            if not remote.external_id or len(remote.external_id) > MAX_EXTERNAL_ID_LENGTH:
                self.counts.warn(
                    project_name, remote.external_id, remote.title, "Its id is empty or longer than 255 characters."
                )
            else:
                storable.append(remote)
        return storable

    def _close_unseen(self, project_external_id, seen):
        """After a complete read: what the person was offered in this project but the read did not
        return (deleted, moved away or out of scope while an earlier pass ran) is closed for them."""
        project = self.projects.get(project_external_id)
        if project is None:
            return
        # The project's tasks (by its key), each with the person's open assignment if any (one probe
        # of the assignment's unique index each): as fast for the 20th project as for the first.
        assignment = TaskAssignment.objects.filter(task=OuterRef("pk"), membership=self.membership, is_active=True)
        offered = dict(
            Task.objects.filter(project_id=project.pk, company_id=self.company_id, provider=self.provider.id)
            .annotate(assignment=Subquery(assignment.values("pk")[:1]))
            .filter(assignment__isnull=False)
            .order_by()
            .values_list("external_id", "assignment")
        )
        gone = [pk for external_id, pk in offered.items() if external_id not in seen]
        for start in range(0, len(gone), 500):
            self.counts.closed += TaskAssignment.objects.filter(pk__in=gone[start : start + 500]).update(
                is_active=False
            )

    def _lose_project(self, cursor):
        """The person may no longer see this project: close its tasks for them, keep everything."""
        with transaction.atomic():
            closed = TaskAssignment.objects.filter(
                membership=self.membership,
                is_active=True,
                task__provider=self.provider.id,
                task__project__external_id=cursor.project_external_id,
                task__company_id=self.company_id,
            ).update(is_active=False)
            self.counts.closed += closed
            cursor.is_accessible = False
            cursor.state = {}
            cursor.save()

    # --- Items ------------------------------------------------------------------------------

    def _apply(self, remote_tasks, *, project_name="", after=None):
        """Writes one page in one transaction, which also says the run is alive (first: a run that
        lost its claim writes nothing more) and, with `after`, records its progress. If the
        database refuses the page, writes its items one by one and skips (and notes) those it
        still refuses."""
        try:
            with transaction.atomic():
                self._heartbeat()
                self._write_page(remote_tasks)
                if after is not None:
                    after()
            return
        except DatabaseError:
            pass
        refused = (
            remote_tasks
            if len(remote_tasks) == 1
            else [remote for remote in remote_tasks if not self._written_alone(remote)]
        )
        for remote in refused:
            self.counts.warn(project_name, remote.external_id, remote.title, "The database refused one of its values.")
        self._heartbeat()
        if after is not None:
            after()

    def _written_alone(self, remote):
        try:
            with transaction.atomic():
                self._write_page([remote])
        except DatabaseError:
            return False
        return True

    def _write_page(self, remote_tasks):
        """A constant number of statements whatever the page's size."""
        if not remote_tasks:
            return
        self._load_projects({remote.project_external_id for remote in remote_tasks})
        existing, active = self._existing([remote.external_id for remote in remote_tasks])
        to_write, wanted, unwanted = [], [], []
        for remote in remote_tasks:
            current = existing.get(remote.external_id)
            keep = in_scope(remote, self.person_id, self.scope) and remote.project_external_id in self.projects
            if current is None and not keep:
                continue
            values = self._values_of(remote, current)
            if current is None or values != current[2:]:
                to_write.append((remote.external_id, values))
                if current is not None and active.get(current[0]):
                    self.counts.updated += 1
            (wanted if keep else unwanted).append(remote.external_id)
        pks = {external_id: row[0] for external_id, row in existing.items()}
        pks.update(self._write_tasks(to_write))
        self._assign([pks[external_id] for external_id in wanted], active)
        self._unassign([pks[external_id] for external_id in unwanted], active)

    def _existing(self, external_ids):
        """The page's tasks that exist ({external id: (pk, external id, *COMPARED as _values_of
        gives them)}) and the person's assignments to them ({task pk: is_active}), in one statement."""
        quote = connection.ops.quote_name
        assignment = (
            f"(SELECT {quote('is_active')} FROM {quote(TaskAssignment._meta.db_table)} "
            f"WHERE {quote('task_id')} = {quote(Task._meta.db_table)}.{quote('id')} "
            f"AND {quote('membership_id')} = %s)"
        )
        rows = select_by_key(
            Task,
            ["id", "external_id", *COMPARED],
            key="external_id",
            keys=external_ids,
            fixed={"company_id": self.company_id, "provider": self.provider.id},
            also=assignment,
            also_params=[self.membership.pk],
        )
        existing, active = {}, {}
        for row in rows:
            existing[row[1]] = (
                *row[:2],
                *(
                    value if read is None else read(value)
                    for read, value in zip(READ_AS_THE_ORM, row[2:-1], strict=True)
                ),
            )
            if row[-1] is not None:
                active[row[0]] = bool(row[-1])
        return existing, active

    def _values_of(self, remote, current):
        """The compared columns (COMPARED order) of a remote task, as they read back from the ORM."""
        project = self.projects.get(remote.project_external_id)
        project_id = project.pk if project else current[2]
        return (
            project_id,
            remote.title,
            remote.url,
            remote.kind,
            remote.state,
            remote.estimate,
            list(remote.labels),
            remote.created_at,
            remote.updated_at,
            not remote.is_done,
            False,
        )

    def _write_tasks(self, to_write):
        written_at = timezone.now()
        returned = bulk_upsert(
            Task,
            ["external_id", *COMPARED],
            [(external_id, *values) for external_id, values in to_write],
            constants={
                "company_id": self.company_id,
                "provider": self.provider.id,
                "created_at": written_at,
                "updated_at": written_at,
            },
            new_uuids=["code"],
            conflict=["company_id", "provider", "external_id"],
            update=[*COMPARED, "updated_at"],
            returning=["external_id", "id"],
        )
        return dict(returned)

    def _assign(self, task_pks, active):
        newly = [pk for pk in task_pks if not active.get(pk)]
        bulk_upsert(
            TaskAssignment,
            ["task_id"],
            [(pk,) for pk in newly],
            constants={"membership_id": self.membership.pk, "is_active": True, "changed_at": timezone.now()},
            conflict=["task_id", "membership_id"],
            update=["is_active", "changed_at"],
        )
        self.counts.created += len(newly)

    def _unassign(self, task_pks, active):
        closing = [pk for pk in task_pks if active.get(pk)]
        if closing:
            TaskAssignment.objects.filter(membership=self.membership, task__in=closing).update(is_active=False)
        self.counts.closed += len(closing)

    def _settle_removals(self, removals, visible):
        """Deleted or moved items: find where each one is now."""
        known = set(
            Task.objects.filter(
                company_id=self.company_id,
                provider=self.provider.id,
                external_id__in=[removal.external_id for removal in removals],
            ).values_list("external_id", flat=True)
        )
        for removal in removals:
            if removal.external_id not in known:
                continue
            self._heartbeat()
            try:
                located = self.provider.locate_task(self.client, removal.external_id)
            except AccessLost:
                located = False
            if located is None:
                self._mark_deleted(removal.external_id)
            elif located is False or located.project_external_id not in visible:
                self._close_for_person(removal.external_id)
            else:
                self._apply([located])

    @transaction.atomic
    def _mark_deleted(self, external_id):
        task = Task.objects.select_for_update().get(
            company_id=self.company_id, provider=self.provider.id, external_id=external_id
        )
        if not task.is_deleted_upstream:
            task.is_deleted_upstream = True
            task.is_open = False
            task.save(update_fields=["is_deleted_upstream", "is_open", "updated_at"])
        self.counts.closed += TaskAssignment.objects.filter(
            task=task, membership=self.membership, is_active=True
        ).update(is_active=False)
        TaskAssignment.objects.filter(task=task, is_active=True).update(is_active=False)

    def _close_for_person(self, external_id):
        self.counts.closed += TaskAssignment.objects.filter(
            membership=self.membership,
            is_active=True,
            task__company_id=self.company_id,
            task__provider=self.provider.id,
            task__external_id=external_id,
        ).update(is_active=False)

    def _heartbeat(self):
        if self.run is not None:
            heartbeat(self.personal.pk, self.run.celery_task_id)

    def _report_progress(self, done, total):
        self._save_progress(int(100 * done / total) if total else 100)

    def _report_page_progress(self, page):
        """Progress inside a project too: a large project does not sit at 0 % until it is done."""
        if page.total and self._projects_total:
            within = min(1.0, (page.offset + len(page.tasks) + len(page.skipped)) / page.total)
            self._save_progress(int(100 * (self._projects_done + within) / self._projects_total))

    def _save_progress(self, progress):
        if self.run is not None and progress != self.run.progress:
            self.run.progress = progress
            SyncRun.objects.filter(pk=self.run.pk).update(progress=progress)


@dataclass
class _Plan:
    """How one project is read in this run."""

    project: object
    cursor: SyncCursor
    state: dict
    incremental: bool
    since: datetime | None


class _Read:
    """What one paged read saw: its pages' snapshots, the items' ids and the newest update time."""

    def __init__(self):
        self.snapshots, self.seen, self.newest, self.pages = set(), set(), None, 0
        self.cursor, self.not_modified = {}, False

    def add(self, page):
        self.pages += 1
        self.not_modified = self.not_modified or (page.not_modified and self.pages == 1)
        self.cursor.update(page.cursor)
        self.snapshots.add(page.snapshot)
        self.seen.update(task.external_id for task in page.tasks)
        self.seen.update(item.external_id for item in page.skipped)
        stamps = [task.updated_at for task in page.tasks if task.updated_at]
        if stamps:
            self.newest = max(stamps) if self.newest is None else max(self.newest, *stamps)

    @property
    def is_consistent(self):
        return self.pages <= 1 or len(self.snapshots) == 1


def _parse_since(value):
    if not value:
        return None
    return datetime.fromisoformat(value)


def sync_user_tasks(personal, *, run=None):
    """One sync run for one personal integration; provider errors propagate to the caller."""
    return PersonalSync(personal, run=run).execute()
