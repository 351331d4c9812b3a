from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def purge_expired_invitations() -> int:
    """Hourly (Celery beat): forget invitations that expired or were revoked over a week ago."""
    return services.purge_expired_invitations(older_than=timezone.now() - timedelta(days=7))
