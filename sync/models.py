from django.db import models

from integrations.models import UserIntegration


class SyncClaim(models.Model):
    """Which run holds a personal integration: at most one at a time; triggers that arrive
    meanwhile ask for one follow-up run. A state older than the task time limit is stale (the
    message was lost or the worker was killed) and no longer blocks anything."""

    class State(models.TextChoices):
        IDLE = "idle", "Idle"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"

    user_integration = models.OneToOneField(UserIntegration, on_delete=models.CASCADE, related_name="sync_claim")
    state = models.CharField(max_length=10, choices=State.choices, default=State.IDLE)
    task_id = models.CharField(max_length=64, blank=True)
    state_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.BooleanField(default=False)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_integration_id}: {self.state}"


class SyncCursor(models.Model):
    """Where a person's sync of one project stopped. `state` is the provider's opaque cursor (for
    Pivotal the project version and the newest story update seen; for GitHub an ETag) plus `since`,
    the newest item update time the engine saw, so the next run asks only for what changed."""

    user_integration = models.ForeignKey(
        UserIntegration, on_delete=models.CASCADE, related_name="cursors", db_index=False
    )
    project_external_id = models.CharField(max_length=255)
    # The company's task scope this cursor was read under: another scope reads the project afresh.
    scope = models.CharField(max_length=20, blank=True)
    state = models.JSONField(default=dict, blank=True)
    is_accessible = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_integration", "project_external_id"], name="one_cursor_per_project")
        ]

    def __str__(self):
        return f"{self.user_integration_id}: {self.project_external_id}"


class SyncRun(models.Model):
    """One sync of one person's integration: what started it, how it went, what it changed."""

    class Trigger(models.TextChoices):
        SWITCHED_ON = "switched_on", "Switched on"
        TOKEN_SAVED = "token_saved", "New token"
        COMPANY_ENABLED = "company_enabled", "Company integration turned on"
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "Sync now"
        WEBHOOK = "webhook", "Webhook"
        COMMAND = "command", "Command line"
        FOLLOW_UP = "follow_up", "Follow-up"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Retrying"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    user_integration = models.ForeignKey(
        UserIntegration, on_delete=models.CASCADE, related_name="sync_runs", db_index=False
    )
    celery_task_id = models.CharField(max_length=64, blank=True, db_index=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    closed_count = models.PositiveIntegerField(default=0)
    requests_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)
    # Items this run could not store or read, each {"project", "external_id", "title", "reason"}.
    warnings = models.JSONField(default=list, blank=True)
    # Not a column: set by sync.services.runs.finish_run (a follow-up run was asked for meanwhile).
    follow_up_due: bool

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user_integration", "-started_at"], name="sync_run_latest")]

    def __str__(self):
        return f"{self.user_integration_id}: {self.trigger} {self.status}"

    @property
    def is_finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
