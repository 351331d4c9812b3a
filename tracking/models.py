import uuid

from django.db import models

from companies.managers import CompanyScopedQuerySet
from companies.models import Company, Membership

from .managers import TaskQuerySet, TimeEntryQuerySet


class Project(models.Model):
    """A provider's project (a Pivotal project, a GitHub repository), once per company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="projects", db_index=False)
    provider = models.CharField(max_length=32)
    external_id = models.CharField(max_length=255)
    name = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "provider", "external_id"], name="one_project_per_external_id")
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A trackable task: one per provider item per company, shared by every member it is offered to.
    Never deleted: an item that changes or disappears upstream keeps its task and its time."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Single-column foreign-key indexes are left out where a composite index (unique or not) starts
    # with the column: each one is written for every synced item and never chosen for a query.
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="tasks", db_index=False)
    provider = models.CharField(max_length=32)
    external_id = models.CharField(max_length=255)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="tasks")
    # Whole values as the provider sent them (cleaned of what no database stores); pages shorten
    # them for display. `url` is always empty or an http(s) URL.
    title = models.TextField()
    url = models.TextField(blank=True)
    kind = models.TextField(blank=True)  # the provider's type of item: feature, bug, issue…
    state = models.TextField(blank=True)
    estimate = models.FloatField(null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    external_created_at = models.DateTimeField(null=True, blank=True)
    external_updated_at = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    is_deleted_upstream = models.BooleanField(default=False)
    assignees = models.ManyToManyField(Membership, through="TaskAssignment", related_name="tasks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "provider", "external_id"], name="one_task_per_external_id")
        ]
        ordering = ["project__name", "title"]

    def __str__(self):
        return self.title


class TaskAssignment(models.Model):
    """A task offered to a member by their own sync. Closed, not deleted, when the item leaves
    their scope (accepted, re-assigned, deleted, moved away, project lost)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="task_assignments", db_index=False
    )
    is_active = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "membership"], name="one_assignment_per_member")]
        indexes = [models.Index(fields=["membership", "is_active"])]

    def __str__(self):
        return f"{self.task_id} → {self.membership_id}{'' if self.is_active else ' (closed)'}"


class TimeEntry(models.Model):
    """Time a member tracked, on a task or on nothing in particular. Deleting one sets `deleted_at`
    (it can be restored); a deleted entry is never counted or listed (`TimeEntry.objects.live()`)."""

    class Source(models.TextChoices):
        DESKTOP = "desktop", "Desktop app"
        WEB = "web", "Web timer"
        MANUAL = "manual", "Manual"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="time_entries", db_index=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="time_entries", db_index=False)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    client_id = models.UUIDField(null=True, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "client_id"], name="one_entry_per_client_id"),
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(ended_at__isnull=True), name="one_running_timer_per_member"
            ),
        ]
        indexes = [models.Index(fields=["company", "started_at"]), models.Index(fields=["membership", "started_at"])]
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.membership_id}: {self.started_at:%Y-%m-%d %H:%M} – {self.ended_at or 'running'}"


class AppToken(models.Model):
    """A personal token for the desktop app. Only its SHA-256 is stored; the token is shown once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="app_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
