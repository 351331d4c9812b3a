"""The sync engine listens to the integrations below it."""

from django.dispatch import receiver

from integrations.signals import sync_wanted

from .services.queue import request_sync


@receiver(sync_wanted, dispatch_uid="sync.queue_wanted_syncs")
def queue_wanted_syncs(sender, personals, trigger, **kwargs):
    for personal in personals:
        if personal.may_sync:
            request_sync(personal, trigger)
