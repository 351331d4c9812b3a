"""What people see of the sync: the last and recent runs, the next scheduled one, the progress."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from integrations.models import UserIntegration
from integrations.state import IntegrationState
from tracking.models import TaskAssignment

from ..models import SyncClaim, SyncRun

RECENT_RUNS = 5


def with_latest_run(user_integrations: QuerySet[UserIntegration]) -> QuerySet[UserIntegration]:
    """Annotates each personal integration with its latest run and offered task count, in one query."""
    latest = SyncRun.objects.filter(user_integration=OuterRef("pk")).order_by("-started_at", "-id")
    offered = (
        TaskAssignment.objects.filter(
            membership=OuterRef("membership"), is_active=True, task__provider=OuterRef("company_integration__provider")
        )
        .values("membership")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return user_integrations.annotate(
        latest_run_status=Subquery(latest.values("status")[:1]),
        latest_run_at=Subquery(latest.values("started_at")[:1]),
        latest_run_error=Subquery(latest.values("error")[:1]),
        offered_tasks=Subquery(offered, output_field=IntegerField()),
    )


def for_personal(personal: UserIntegration | None, state: IntegrationState | None = None) -> dict[str, Any] | None:
    """The status box's facts; the next scheduled run only when `state` (integrations.state) says
    the integration is active."""
    if personal is None or personal.pk is None:
        return None
    runs = list(personal.sync_runs.all()[:RECENT_RUNS])
    claim = SyncClaim.objects.filter(user_integration=personal).first() or SyncClaim(user_integration=personal)
    fresh = claim.state_at and timezone.now() - claim.state_at < timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS)
    is_running = claim.state == SyncClaim.State.RUNNING and fresh
    is_active = state.is_active if state is not None else personal.is_active
    next_run_at = None
    if is_active:
        next_run_at = max(timezone.now(), (claim.last_succeeded_at or timezone.now()) + settings.SYNC_INTERVAL)
    current = next((run for run in runs if not run.is_finished), None) if is_running else None
    return {
        "runs": runs,
        "last_run": runs[0] if runs else None,
        "is_running": is_running,
        "is_queued": claim.state == SyncClaim.State.QUEUED and fresh,
        "progress": (current or runs[0]).progress if is_running and runs else 0,
        "next_run_at": next_run_at,
        "offered_tasks": TaskAssignment.objects.filter(
            membership=personal.membership_id, is_active=True, task__provider=personal.company_integration.provider
        ).count(),
        "has_failed": bool(runs) and runs[0].status == SyncRun.Status.FAILED,
    }
