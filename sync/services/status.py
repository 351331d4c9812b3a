"""What people see of the sync: the last and recent runs, the next scheduled one, the progress."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils import timezone

from tracking.models import TaskAssignment

from ..models import SyncClaim, SyncRun

RECENT_RUNS = 5


def with_latest_run(user_integrations):
    """Annotates each personal integration with its latest run and offered task count, in one query."""
    latest = SyncRun.objects.filter(user_integration=OuterRef("pk")).order_by("-started_at", "-id")
    offered = (TaskAssignment.objects.filter(membership=OuterRef("membership"), is_active=True,
                                             task__provider=OuterRef("company_integration__provider"))
               .values("membership").annotate(total=Count("pk")).values("total"))
    return user_integrations.annotate(
        latest_run_status=Subquery(latest.values("status")[:1]),
        latest_run_at=Subquery(latest.values("started_at")[:1]),
        latest_run_error=Subquery(latest.values("error")[:1]),
        offered_tasks=Subquery(offered, output_field=IntegerField()),
    )


def for_personal(personal):
    if personal is None or personal.pk is None:
        return None
    runs = list(personal.sync_runs.all()[:RECENT_RUNS])
    claim = SyncClaim.objects.filter(user_integration=personal).first() or SyncClaim(user_integration=personal)
    fresh = claim.state_at and timezone.now() - claim.state_at < timedelta(seconds=settings.SYNC_LOCK_STALE_SECONDS)
    is_running = claim.state == SyncClaim.State.RUNNING and fresh
    next_run_at = None
    if personal.is_active:
        next_run_at = max(timezone.now(), (claim.last_succeeded_at or timezone.now()) + settings.SYNC_INTERVAL)
    return {
        "runs": runs,
        "last_run": runs[0] if runs else None,
        "is_running": is_running,
        "is_queued": claim.state == SyncClaim.State.QUEUED and fresh,
        "progress": runs[0].progress if runs and is_running else 0,
        "next_run_at": next_run_at,
        "offered_tasks": TaskAssignment.objects.filter(membership=personal.membership_id, is_active=True,
                                                       task__provider=personal.company_integration.provider).count(),
        "has_failed": bool(runs) and runs[0].status == SyncRun.Status.FAILED,
    }




def why_no_sync(personal):
    """Why "Sync now" cannot start for this personal integration, in words; "" when it can."""
    if personal is None or not personal.has_token:
        return "Paste your token and switch your integration on first."
    if not personal.company_integration.is_enabled:
        return (f"{personal.company_integration.provider_object.name} is turned off for the company, so nothing "
                "syncs until an owner or admin turns it on again.")
    if personal.status == "token_rejected":
        return "Your token was rejected: paste a new one first."
    if not personal.is_active:
        return "Switch your integration on first: only an active integration syncs."
    return ""
