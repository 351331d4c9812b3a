"""Turning a person's provider stories into tasks: incrementally, idempotently, losing nothing.

`sync_user_tasks` does one run for one personal integration:
1. one request lists the projects the person can see, each with a version that changes on any edit;
2. a project whose version is unchanged since the last run costs nothing more;
3. a changed project is read page by page (500 stories), only stories updated since the cursor
   (less a small overlap) after the first run, and each page is written in one transaction with a
   constant number of bulk statements;
4. stories deleted from or moved out of a project since its last version are looked up where they
   are now; a deleted story closes its task for everyone, a story out of sight closes it for this
   person only;
5. a project that disappeared from the list, or answers 403, closes its tasks for this person.
Tasks are never deleted, so tracked time always keeps its task. Cursors move only after a project
is complete, so a run killed half-way is completed by the next one, with no duplicates.
"""

import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from integrations.models import TaskScope
from integrations.providers.base import AccessLost

from ..models import Project, SyncCursor, SyncRun, Task, TaskAssignment
from .prefetch import prefetched
from .sync_runs import heartbeat
from .upsert import bulk_upsert

# The columns a sync compares with what it read, in this order.
COMPARED = ["project_id", "title", "url", "story_type", "state", "estimate", "labels", "external_created_at",
            "external_updated_at", "is_open", "is_deleted_upstream"]
WRITTEN_COLUMNS = ["code", "company_id", "provider", "external_id", *COMPARED, "created_at", "updated_at"]


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    closed: int = 0
    requests: int = 0


def in_scope(remote, person_id, scope):
    """Whether a story is offered to the person under the company's scope setting."""
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
        self.scope = personal.company_integration.task_scope
        self.person_id = personal.external_id
        self.client = self.provider.client(personal.token)
        self.run = run
        self.counts = SyncCounts()
        self.projects = {}

    def execute(self):
        remote_projects = self.provider.list_projects(self.client)
        cursors = {cursor.project_external_id: cursor for cursor in self.personal.cursors.all()}
        visible = {project.external_id for project in remote_projects}
        for external_id, cursor in cursors.items():
            if external_id not in visible and cursor.is_accessible:
                self._lose_project(cursor)
        changed = [project for project in remote_projects
                   if _needs_reading(cursors.get(project.external_id), project, self.scope)]
        self._store_projects(changed)
        for position, remote_project in enumerate(changed, start=1):
            cursor = cursors.get(remote_project.external_id) or SyncCursor(
                user_integration=self.personal, project_external_id=remote_project.external_id)
            try:
                self._read_project(remote_project, cursor, visible)
            except AccessLost:
                self._lose_project(cursor)
            self._report_progress(position, len(changed))
        self.counts.requests = getattr(self.client, "requests_made", 0)
        return self.counts

    # --- Projects ---------------------------------------------------------------------------

    def _store_projects(self, remote_projects):
        if not remote_projects:
            return
        Project.objects.bulk_create(
            [Project(company_id=self.company_id, provider=self.provider.id, external_id=project.external_id,
                     name=project.name) for project in remote_projects],
            update_conflicts=True, unique_fields=["company", "provider", "external_id"], update_fields=["name"],
        )
        self._load_projects([project.external_id for project in remote_projects])

    def _load_projects(self, external_ids):
        missing = [external_id for external_id in external_ids if external_id not in self.projects]
        if missing:
            for project in Project.objects.filter(company_id=self.company_id, provider=self.provider.id,
                                                  external_id__in=missing):
                self.projects[project.external_id] = project

    def _read_project(self, remote_project, cursor, visible):
        incremental = (cursor.pk is not None and cursor.is_accessible and cursor.updated_after is not None
                       and cursor.scope == self.scope)
        updated_after = cursor.updated_after - settings.SYNC_CURSOR_OVERLAP if incremental else None
        newest = cursor.updated_after
        pages = self.provider.fetch_tasks(self.client, remote_project.external_id, updated_after=updated_after)
        for page in prefetched(pages):
            self._apply(page.tasks)
            self._heartbeat()
            stamps = [task.updated_at for task in page.tasks if task.updated_at]
            if stamps:
                newest = max(stamps) if newest is None else max(newest, *stamps)
        if incremental and cursor.project_version is not None:
            removals = self.provider.fetch_removals(self.client, remote_project.external_id,
                                                    since_version=cursor.project_version)
            self._settle_removals(removals, visible)
        cursor.project_version = remote_project.version
        cursor.updated_after = newest
        cursor.is_accessible = True
        cursor.scope = self.scope
        cursor.save()

    def _lose_project(self, cursor):
        """The person may no longer see this project: close its tasks for them, keep everything."""
        with transaction.atomic():
            closed = TaskAssignment.objects.filter(
                membership=self.membership, is_active=True, task__provider=self.provider.id,
                task__project__external_id=cursor.project_external_id, task__company_id=self.company_id,
            ).update(is_active=False)
            self.counts.closed += closed
            cursor.is_accessible = False
            cursor.project_version = None
            cursor.save()

    # --- Stories ----------------------------------------------------------------------------

    @transaction.atomic
    def _apply(self, remote_tasks):
        """Writes one page: a constant number of statements whatever its size."""
        if not remote_tasks:
            return
        self._load_projects({remote.project_external_id for remote in remote_tasks})
        existing = {row[1]: row for row in Task.objects.filter(
            company_id=self.company_id, provider=self.provider.id,
            external_id__in=[remote.external_id for remote in remote_tasks]).values_list("pk", "external_id",
                                                                                        *COMPARED)}
        active = dict(TaskAssignment.objects.filter(
            membership=self.membership, task__in=[row[0] for row in existing.values()]).values_list(
            "task_id", "is_active"))
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

    def _values_of(self, remote, current):
        """The compared columns (COMPARED order) of a remote task, as they read back from the ORM."""
        project = self.projects.get(remote.project_external_id)
        project_id = project.pk if project else current[2]
        return (project_id, remote.title, remote.url, remote.story_type, remote.state, remote.estimate,
                list(remote.labels), remote.created_at, remote.updated_at, not remote.is_done, False)

    def _write_tasks(self, to_write):
        ops, native_uuid = connection.ops, connection.features.has_native_uuid_field
        written_at = ops.adapt_datetimefield_value(timezone.now())
        codes = _random_uuids(len(to_write))
        rows = [
            (code if native_uuid else code.hex, self.company_id, self.provider.id, external_id,
             *values[:6], ops.adapt_json_value(values[6], None), ops.adapt_datetimefield_value(values[7]),
             ops.adapt_datetimefield_value(values[8]), values[9], values[10], written_at, written_at)
            for code, (external_id, values) in zip(codes, to_write, strict=True)
        ]
        returned = bulk_upsert(Task, WRITTEN_COLUMNS, rows, conflict=["company_id", "provider", "external_id"],
                               update=WRITTEN_COLUMNS[4:-2] + ["updated_at"], returning=["external_id", "id"])
        return dict(returned)

    def _assign(self, task_pks, active):
        newly = [pk for pk in task_pks if not active.get(pk)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        bulk_upsert(TaskAssignment, ["task_id", "membership_id", "is_active", "changed_at"],
                    [(pk, self.membership.pk, True, now) for pk in newly],
                    conflict=["task_id", "membership_id"], update=["is_active", "changed_at"])
        self.counts.created += len(newly)

    def _unassign(self, task_pks, active):
        closing = [pk for pk in task_pks if active.get(pk)]
        if closing:
            TaskAssignment.objects.filter(membership=self.membership, task__in=closing).update(is_active=False)
        self.counts.closed += len(closing)

    def _settle_removals(self, removals, visible):
        """Deleted or moved stories: find where each one is now."""
        known = set(Task.objects.filter(company_id=self.company_id, provider=self.provider.id,
                                        external_id__in=[removal.external_id for removal in removals])
                    .values_list("external_id", flat=True))
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
        task = Task.objects.select_for_update().get(company_id=self.company_id, provider=self.provider.id,
                                                    external_id=external_id)
        if not task.is_deleted_upstream:
            task.is_deleted_upstream = True
            task.is_open = False
            task.save(update_fields=["is_deleted_upstream", "is_open", "updated_at"])
        self.counts.closed += TaskAssignment.objects.filter(task=task, membership=self.membership,
                                                            is_active=True).update(is_active=False)
        TaskAssignment.objects.filter(task=task, is_active=True).update(is_active=False)

    def _close_for_person(self, external_id):
        self.counts.closed += TaskAssignment.objects.filter(
            membership=self.membership, is_active=True, task__company_id=self.company_id,
            task__provider=self.provider.id, task__external_id=external_id,
        ).update(is_active=False)

    def _heartbeat(self):
        if self.run is not None:
            heartbeat(self.personal.pk, self.run.celery_task_id)

    def _report_progress(self, done, total):
        if self.run is not None:
            self.run.progress = int(100 * done / total) if total else 100
            SyncRun.objects.filter(pk=self.run.pk).update(progress=self.run.progress)


def _random_uuids(count):
    """Version-4 UUIDs from one read of the OS's random source instead of one read each."""
    entropy = os.urandom(16 * count)
    return [uuid.UUID(bytes=entropy[16 * n:16 * n + 16], version=4) for n in range(count)]


def _needs_reading(cursor, remote_project, scope):
    return (cursor is None or not cursor.is_accessible or cursor.project_version is None or cursor.scope != scope
            or remote_project.version is None or cursor.project_version != remote_project.version)


def sync_user_tasks(personal, *, run=None):
    """One sync run for one personal integration; provider errors propagate to the caller."""
    return PersonalSync(personal, run=run).execute()
