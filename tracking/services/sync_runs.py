"""When syncs run: at most one per personal integration at a time, triggers that arrive meanwhile
coalesce into one follow-up run, and every run is recorded.

A personal integration's `sync_state` is idle, queued or running. A state older than the task time
limit is stale (the message was lost or the worker was killed) and no longer blocks anything.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from integrations.models import Status, UserIntegration

from ..models import SyncRun

IDLE, QUEUED, RUNNING = "idle", "queued", "running"
logger = logging.getLogger(__name__)


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS)


class ClaimLost(Exception):
    """Another run took this integration over (this one looked dead): stop without writing more."""


def heartbeat(personal_id, celery_task_id):
    """A running sync says it is alive (after each page), so a killed one is noticed quickly.
    Raises ClaimLost when another run holds the integration now."""
    if not UserIntegration.objects.filter(pk=personal_id, sync_task_id=celery_task_id, sync_state=RUNNING).update(
            sync_state_at=timezone.now()):
        raise ClaimLost()


def request_sync(personal, trigger):
    """Queues a sync of this person's tasks. Returns 'queued', 'follow_up' (one more run after the
    current one) or 'coalesced' (one is already waiting)."""
    now = timezone.now()
    startable = Q(sync_state=IDLE) | Q(sync_state_at__lt=_stale_before()) | Q(sync_state_at__isnull=True)
    if UserIntegration.objects.filter(startable, pk=personal.pk).update(sync_state=QUEUED, sync_state_at=now):
        transaction.on_commit(lambda: _send(personal.pk, trigger))
        return "queued"
    if UserIntegration.objects.filter(pk=personal.pk, sync_state=RUNNING).update(sync_follow_up=True):
        return "follow_up"
    return "coalesced"


def _send(personal_id, trigger):
    """Hands the sync to the broker; if the broker is down, the integration is not left 'queued'."""
    from ..tasks import sync_user_integration

    try:
        sync_user_integration.delay(personal_id, trigger)
    except Exception:
        logger.exception("Could not queue a sync of personal integration %s; the next trigger tries again.",
                         personal_id)
        UserIntegration.objects.filter(pk=personal_id, sync_state=QUEUED).update(sync_state=IDLE)


def request_syncs(personals, trigger):
    return [request_sync(personal, trigger) for personal in personals]


@transaction.atomic
def begin_run(personal_id, celery_task_id, trigger):
    """Claims the integration for this task, or returns None when another run holds it (which
    will then run once more). A retried or redelivered task continues its own run."""
    personal = UserIntegration.objects.select_for_update().get(pk=personal_id)
    held_by_other = (personal.sync_state == RUNNING and personal.sync_task_id != celery_task_id
                     and personal.sync_state_at and personal.sync_state_at >= _stale_before())
    if held_by_other:
        personal.sync_follow_up = True
        personal.save(update_fields=["sync_follow_up"])
        return None
    # Runs left unfinished by other tasks died with their worker (or gave up their claim): say so.
    SyncRun.objects.filter(user_integration=personal, status__in=[SyncRun.Status.RUNNING, SyncRun.Status.RETRYING]
                           ).exclude(celery_task_id=celery_task_id).update(
        status=SyncRun.Status.FAILED, finished_at=timezone.now(),
        error="The worker stopped during this run (killed or restarted); the next run completed the work.")
    personal.sync_state, personal.sync_task_id, personal.sync_state_at = RUNNING, celery_task_id, timezone.now()
    personal.save(update_fields=["sync_state", "sync_task_id", "sync_state_at"])
    run = SyncRun.objects.filter(user_integration=personal, celery_task_id=celery_task_id).first()
    if run is None:
        return SyncRun.objects.create(user_integration=personal, celery_task_id=celery_task_id, trigger=trigger)
    run.status, run.attempts = SyncRun.Status.RUNNING, run.attempts + 1
    run.save(update_fields=["status", "attempts"])
    return run


def note_retry(run, message):
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.RETRYING, error=message)


@transaction.atomic
def finish_run(run, *, counts=None, error=""):
    """Records the outcome, frees the integration and queues the follow-up run if one was asked."""
    now = timezone.now()
    run.status = SyncRun.Status.FAILED if error else SyncRun.Status.SUCCEEDED
    run.finished_at, run.error = now, error
    if counts:
        run.created_count, run.updated_count, run.closed_count = counts.created, counts.updated, counts.closed
        run.requests_count = counts.requests
        run.warnings = counts.warnings + [
            {"project": name, "external_id": "", "title": "",
             "reason": "This project kept changing while it was read; a follow-up run reads it again."}
            for name in counts.unsettled]
    if not error:
        run.progress = 100
    run.save()
    personal = UserIntegration.objects.select_for_update().get(pk=run.user_integration_id)
    if personal.sync_task_id != run.celery_task_id:
        return run  # superseded: the integration belongs to the run that took over
    asked = personal.sync_follow_up or bool(counts and counts.unsettled)
    follow_up = asked and personal.is_active and personal.status != Status.TOKEN_REJECTED
    personal.sync_state = QUEUED if follow_up else IDLE
    personal.sync_state_at, personal.sync_task_id, personal.sync_follow_up = now, "", False
    if not error:
        personal.last_synced_at = now
    personal.save(update_fields=["sync_state", "sync_state_at", "sync_task_id", "sync_follow_up", "last_synced_at"])
    if follow_up:
        transaction.on_commit(lambda: _send(personal.pk, SyncRun.Trigger.FOLLOW_UP))
    _forget_old_runs(personal)
    return run


def release(personal_id, celery_task_id):
    """Frees an integration whose task found nothing to do (switched off, token rejected), unless
    another run holds it; a run this task had started (and was retrying) is closed."""
    SyncRun.objects.filter(user_integration_id=personal_id, celery_task_id=celery_task_id,
                           status__in=[SyncRun.Status.RUNNING, SyncRun.Status.RETRYING]).update(
        status=SyncRun.Status.FAILED, finished_at=timezone.now(),
        error="Stopped: the integration was switched off or its token rejected meanwhile.")
    held_by_other = Q(sync_state=RUNNING) & ~Q(sync_task_id=celery_task_id) & Q(sync_state_at__gte=_stale_before())
    UserIntegration.objects.filter(pk=personal_id).exclude(held_by_other).update(
        sync_state=IDLE, sync_task_id="", sync_follow_up=False, sync_state_at=timezone.now())


def _forget_old_runs(personal):
    keep = personal.sync_runs.order_by("-started_at", "-id").values_list("pk", flat=True)[:settings.SYNC_RUNS_KEPT]
    personal.sync_runs.exclude(pk__in=list(keep)).delete()


@transaction.atomic
def reject_token(personal, message):
    """The provider refused the token: stop syncing this person, keep their data, tell them."""
    UserIntegration.objects.filter(pk=personal.pk).update(status=Status.TOKEN_REJECTED, last_error=message)
    transaction.on_commit(lambda: _email_token_rejected(personal, message), robust=True)


def _email_token_rejected(personal, message):
    provider = personal.company_integration.provider_object
    context = {"personal": personal, "provider": provider, "message": message,
               "url": settings.SITE_URL.rstrip("/") + reverse("integrations:mine")}
    send_mail(
        subject=f"Your {provider.name} token was rejected: syncing stopped",
        message=render_to_string("tracking/email/token_rejected.txt", context),
        from_email=None,
        recipient_list=[personal.membership.user.email],
    )
