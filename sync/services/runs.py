"""When syncs run: at most one per personal integration at a time, triggers that arrive meanwhile
coalesce into one follow-up run, and every run is recorded.

A personal integration's claim (`SyncClaim`) is idle, queued or running. A state older than the
task time limit is stale (the message was lost or the worker was killed) and no longer blocks anything.
"""

from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from integrations.models import Status, UserIntegration

from ..models import SyncClaim, SyncRun

IDLE, QUEUED, RUNNING = SyncClaim.State.IDLE, SyncClaim.State.QUEUED, SyncClaim.State.RUNNING


class RunCounts(Protocol):
    """What a finished run counted (the engine's SyncCounts)."""

    created: int
    updated: int
    closed: int
    requests: int
    warnings: list[Any]
    unsettled: list[str]


def stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS)


class ClaimLost(Exception):
    """Another run took this integration over (this one looked dead): stop without writing more."""


def heartbeat(personal_id: int, celery_task_id: str) -> None:
    """A running sync says it is alive (after each page), so a killed one is noticed quickly.
    Raises ClaimLost when another run holds the integration now."""
    if not SyncClaim.objects.filter(user_integration_id=personal_id, task_id=celery_task_id, state=RUNNING).update(
        state_at=timezone.now()
    ):
        raise ClaimLost()


def claim_of(personal_id: int) -> SyncClaim:
    """The claim row of a personal integration (made on first use)."""
    return SyncClaim.objects.get_or_create(user_integration_id=personal_id)[0]


def give_up_queued(personal_id: int) -> None:
    """The broker refused the message: the integration is not left 'queued'."""
    SyncClaim.objects.filter(user_integration_id=personal_id, state=QUEUED).update(state=IDLE)


@transaction.atomic
def begin_run(personal_id: int, celery_task_id: str, trigger: str) -> SyncRun | None:
    """Claims the integration for this task, or returns None when another run holds it (which
    will then run once more). A retried or redelivered task continues its own run."""
    claim_of(personal_id)
    claim = SyncClaim.objects.select_for_update().get(user_integration_id=personal_id)
    held_by_other = (
        claim.state == RUNNING
        and claim.task_id != celery_task_id
        and claim.state_at
        and claim.state_at >= stale_before()
    )
    if held_by_other:
        claim.follow_up = True
        claim.save(update_fields=["follow_up"])
        return None
    # Runs left unfinished by other tasks died with their worker (or gave up their claim): say so.
    SyncRun.objects.filter(
        user_integration_id=personal_id, status__in=[SyncRun.Status.RUNNING, SyncRun.Status.RETRYING]
    ).exclude(celery_task_id=celery_task_id).update(
        status=SyncRun.Status.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped during this run (killed or restarted); the next run completed the work.",
    )
    claim.state, claim.task_id, claim.state_at = RUNNING, celery_task_id, timezone.now()
    claim.save(update_fields=["state", "task_id", "state_at"])
    run = SyncRun.objects.filter(user_integration_id=personal_id, celery_task_id=celery_task_id).first()
    if run is None:
        return SyncRun.objects.create(user_integration_id=personal_id, celery_task_id=celery_task_id, trigger=trigger)
    run.status, run.attempts = SyncRun.Status.RUNNING, run.attempts + 1
    run.save(update_fields=["status", "attempts"])
    return run


def note_retry(run: SyncRun, message: str) -> None:
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.RETRYING, error=message)


@transaction.atomic
def finish_run(run: SyncRun, *, counts: RunCounts | None = None, error: str = "") -> SyncRun:
    """Records the outcome and frees the integration; `run.follow_up_due` says whether a follow-up
    run was asked for meanwhile (the claim is then already 'queued' for it)."""
    now = timezone.now()
    run.status = SyncRun.Status.FAILED if error else SyncRun.Status.SUCCEEDED
    run.finished_at, run.error = now, error
    if counts:
        run.created_count, run.updated_count, run.closed_count = counts.created, counts.updated, counts.closed
        run.requests_count = counts.requests
        run.warnings = counts.warnings + [
            {
                "project": name,
                "external_id": "",
                "title": "",
                "reason": "This project kept changing while it was read; a follow-up run reads it again.",
            }
            for name in counts.unsettled
        ]
    if not error:
        run.progress = 100
    run.save()
    claim = (
        SyncClaim.objects.select_for_update()
        .select_related("user_integration__company_integration", "user_integration__membership")
        .get(user_integration_id=run.user_integration_id)
    )
    run.follow_up_due = False
    if claim.task_id != run.celery_task_id:
        return run  # superseded: the integration belongs to the run that took over
    personal = claim.user_integration
    asked = claim.follow_up or bool(counts and counts.unsettled)
    follow_up = asked and personal.may_sync
    claim.state = QUEUED if follow_up else IDLE
    claim.state_at, claim.task_id, claim.follow_up = now, "", False
    if not error:
        claim.last_succeeded_at = now
    claim.save(update_fields=["state", "state_at", "task_id", "follow_up", "last_succeeded_at"])
    run.follow_up_due = follow_up
    _forget_old_runs(personal)
    return run


def release(personal_id: int, celery_task_id: str) -> None:
    """Frees an integration whose task found nothing to do (switched off, token rejected), unless
    another run holds it; a run this task had started (and was retrying) is closed."""
    SyncRun.objects.filter(
        user_integration_id=personal_id,
        celery_task_id=celery_task_id,
        status__in=[SyncRun.Status.RUNNING, SyncRun.Status.RETRYING],
    ).update(
        status=SyncRun.Status.FAILED,
        finished_at=timezone.now(),
        error="Stopped: the integration was switched off or its token rejected meanwhile.",
    )
    held_by_other = Q(state=RUNNING) & ~Q(task_id=celery_task_id) & Q(state_at__gte=stale_before())
    SyncClaim.objects.filter(user_integration_id=personal_id).exclude(held_by_other).update(
        state=IDLE, task_id="", follow_up=False, state_at=timezone.now()
    )


def _forget_old_runs(personal: UserIntegration) -> None:
    keep = personal.sync_runs.order_by("-started_at", "-id").values_list("pk", flat=True)[: settings.SYNC_RUNS_KEPT]
    personal.sync_runs.exclude(pk__in=list(keep)).delete()


@transaction.atomic
def reject_token(personal: UserIntegration, message: str) -> None:
    """The provider refused the token: stop syncing this person, keep their data, tell them."""
    UserIntegration.objects.filter(pk=personal.pk).update(status=Status.TOKEN_REJECTED, last_error=message)
    transaction.on_commit(lambda: _email_token_rejected(personal, message), robust=True)


def _email_token_rejected(personal: UserIntegration, message: str) -> None:
    provider = personal.company_integration.provider_object
    context = {
        "personal": personal,
        "provider": provider,
        "message": message,
        "url": settings.SITE_URL.rstrip("/") + reverse("integrations:mine"),
    }
    send_mail(
        subject=f"Your {provider.name} token was rejected: syncing stopped",
        message=render_to_string("sync/token_rejected_email.txt", context),
        from_email=None,
        recipient_list=[personal.membership.user.email],
    )
