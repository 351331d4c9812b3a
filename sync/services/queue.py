"""Asking for syncs: at most one run per personal integration at a time, triggers that arrive
meanwhile coalesce into one follow-up run. Everything that queues a sync comes through here."""

import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.models import UserIntegration

from ..models import SyncClaim
from .runs import IDLE, QUEUED, RUNNING, claim_of, give_up_queued, stale_before

# Sent by name: the task module sits above this one (it calls the services), never below it.
SYNC_TASK = "sync.tasks.sync_user_integration"
logger = logging.getLogger(__name__)


def send(personal_id: int, trigger: str) -> None:
    """Hands a sync to the broker; if the broker is down, the integration is not left 'queued'."""
    try:
        current_app.tasks[SYNC_TASK].delay(personal_id, trigger)
    except Exception:
        logger.exception(
            "Could not queue a sync of personal integration %s; the next trigger tries again.", personal_id
        )
        give_up_queued(personal_id)


def request_sync(personal: UserIntegration, trigger: str) -> str:
    """Queues a sync of this person's tasks. Returns 'queued', 'follow_up' (one more run after the
    current one) or 'coalesced' (one is already waiting)."""
    now = timezone.now()
    claim_of(personal.pk)
    claims = SyncClaim.objects.filter(user_integration_id=personal.pk)
    startable = Q(state=IDLE) | Q(state_at__lt=stale_before()) | Q(state_at__isnull=True)
    if claims.filter(startable).update(state=QUEUED, state_at=now):
        transaction.on_commit(lambda: send(personal.pk, trigger))
        return "queued"
    if claims.filter(state=RUNNING).update(follow_up=True):
        return "follow_up"
    return "coalesced"


def request_syncs(personals: Iterable[UserIntegration], trigger: str) -> list[str]:
    return [request_sync(personal, trigger) for personal in personals]
