"""The sync's part of the integration pages, as template tags: those pages belong to the
`integrations` app, which must not import the sync engine above it.

- ``{% sync_panel personal provider state %}``: the status box of Your Integration (last runs,
  progress, Sync now), as `integrations.state` decides (the state is read when not given); the
  same box `sync:sync-status` serves to htmx.
- ``{% team_sync_states integration as states %}``: each member's latest run and task count, in one
  query, for the company page; ``{{ states|sync_state_of:member }}`` picks one.
- ``{% webhook_setup integration provider %}``: the webhook URL (and, for providers that sign
  deliveries, the secret) the company gives the provider.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from integrations.models import UserIntegration
from integrations.state import state_for

from ..services import status

register = template.Library()


@register.inclusion_tag("sync/_status.html", takes_context=True)
def sync_panel(context, personal, provider, state=None):
    if state is None and personal is not None and personal.pk:
        state = state_for(personal.membership, provider)
    return {
        "personal": personal,
        "provider": provider,
        "state": state,
        "sync": status.for_personal(personal, state),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.simple_tag
def team_sync_states(integration):
    if integration is None:
        return {}
    links = status.with_latest_run(UserIntegration.objects.filter(company_integration=integration))
    return {link.membership_id: link for link in links}


@register.filter
def sync_state_of(states, member):
    return states.get(member.pk)


@register.inclusion_tag("sync/_webhook_setup.html", takes_context=True)
def webhook_setup(context, integration, provider):
    request = context["request"]
    url = request.build_absolute_uri(reverse("sync:webhook", args=[provider.id, integration.webhook_secret]))
    return {
        "integration": integration,
        "provider": provider,
        "webhook_url": url,
        "sync_interval_minutes": int(settings.SYNC_INTERVAL.total_seconds() // 60),
        "new_signing_secret": context.get("new_signing_secret", ""),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
