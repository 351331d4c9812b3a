"""Celery tasks of the sync. They take ids, never tokens; they re-read the integration, check it is
still active, and leave the work to the services."""

import random
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction

from integrations.models import UserIntegration
from integrations.providers.base import ProviderError, ProviderUnavailable, TokenRejected

from .models import SyncRun
from .services import queue
from .services import runs as sync_runs
from .services.engine import sync_user_tasks


def _finish(run: SyncRun, *, counts: sync_runs.RunCounts | None = None, error: str = "") -> SyncRun:
    run = sync_runs.finish_run(run, counts=counts, error=error)
    if run.follow_up_due:
        personal_id = run.user_integration_id
        transaction.on_commit(lambda: queue.send(personal_id, SyncRun.Trigger.FOLLOW_UP))
    return run


def retry_countdown(retries: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, capped; never sooner than the provider's Retry-After."""
    backoff = min(settings.SYNC_RETRY_BACKOFF_CAP_SECONDS, 2 ** (retries + 2))
    countdown = random.uniform(backoff / 2, backoff)
    return max(countdown, retry_after or 0)


@shared_task(bind=True, max_retries=settings.SYNC_MAX_RETRIES)
def sync_user_integration(self: Task[Any, Any], user_integration_id: int, trigger: str) -> str:
    personal = (
        UserIntegration.objects.select_related("company_integration", "membership__company", "membership__user")
        .filter(pk=user_integration_id)
        .first()
    )
    if personal is None:
        return "gone"
    if not personal.may_sync:
        sync_runs.release(personal.pk, self.request.id or "")
        return "inactive"
    run = sync_runs.begin_run(personal.pk, self.request.id or "", trigger)
    if run is None:
        return "coalesced"
    try:
        counts = sync_user_tasks(personal, run=run)
    except TokenRejected as error:
        sync_runs.reject_token(personal, error.message)
        _finish(run, error=f"{error.message} Syncing stopped until a new token is saved.")
        return "token_rejected"
    except ProviderUnavailable as error:
        if self.max_retries is not None and self.request.retries >= self.max_retries:
            _finish(run, error=f"Gave up after {self.request.retries + 1} attempts: {error.message}")
            return "failed"
        sync_runs.note_retry(run, f"Retrying: {error.message}")
        raise self.retry(countdown=retry_countdown(self.request.retries, error.retry_after), exc=error) from None
    except ProviderError as error:
        _finish(run, error=error.message)
        return "failed"
    except sync_runs.ClaimLost:
        _finish(run, error="Stopped: another run took over this integration.")
        return "superseded"
    except Exception:
        # A bug or a time limit: record it, free the integration, let Celery report the error.
        _finish(run, error="An unexpected error stopped this run; the next scheduled run tries again.")
        raise
    _finish(run, counts=counts)
    return "succeeded"


@shared_task
def sync_all_active_integrations() -> int:
    """Celery beat, every SYNC_INTERVAL: one sync task per active personal integration."""
    active = UserIntegration.objects.may_sync()
    return queue.request_syncs(active.only("pk"), SyncRun.Trigger.SCHEDULE).count("queued")
