from django.db.models import Q

from integrations.models import CompanyIntegration, UserIntegration
from integrations.providers.base import ActivityRefs

from ..models import SyncRun
from .queue import request_sync


def queue_syncs_for_activity(integration: CompanyIntegration, refs: ActivityRefs) -> int:
    """Queues a sync of the people a webhook delivery concerns: those it names (performer, old and
    new owners or assignees) and those who were offered one of its items."""
    concerned = (
        UserIntegration.objects.filter(company_integration=integration)
        .may_sync()
        .filter(
            Q(external_id__in=refs.person_ids)
            | Q(
                membership__task_assignments__task__company=integration.company_id,
                membership__task_assignments__task__provider=integration.provider,
                membership__task_assignments__task__external_id__in=refs.task_ids,
            )
        )
        .distinct()
    )
    outcomes = [request_sync(personal, SyncRun.Trigger.WEBHOOK) for personal in concerned]
    return len(outcomes)
