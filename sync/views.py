"""The sync's own endpoints: "Sync now", the status box polled while a run goes, and the
providers' webhooks. Thin: each resolves the tenant or the integration and calls one service."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from companies.tenancy import membership_required
from integrations import registry
from integrations.models import CompanyIntegration
from integrations.state import state_for
from timedoctor import json_limits

from .models import SyncRun
from .services import status
from .services.queue import request_sync
from .services.webhooks import queue_syncs_for_activity


def _status_box(request, provider, state, http_status=200, notice=""):
    return render(
        request,
        "sync/_status.html",
        {
            "provider": provider,
            "personal": state.personal,
            "state": state,
            "sync": status.for_personal(state.personal, state),
            "notice": notice,
        },
        status=http_status,
    )


@require_POST
@membership_required()
def sync_now(request, provider_id):
    """Queues a sync of an active integration; any other state (integrations.state) says why not."""
    provider = registry.get_or_404(provider_id)
    state = state_for(request.membership, provider)
    refusal = state.sync_refusal
    if refusal:
        notice = refusal
    else:
        outcome = request_sync(state.personal, SyncRun.Trigger.MANUAL)
        notice = "Sync started." if outcome == "queued" else "A sync is already going; another one will follow it."
    if request.headers.get("HX-Request"):
        response = _status_box(request, provider, state, 400 if refusal else 200, notice=notice)
        if refusal:  # the button showed in a page drawn while active (a stale tab): redraw it all, saying why
            messages.error(request, notice)
            response["HX-Refresh"] = "true"
        return response
    (messages.error if refusal else messages.success)(request, notice)
    return redirect("integrations:mine")


@require_GET
@membership_required()
def sync_status(request, provider_id):
    """The sync box of Your Integration, polled by htmx while a run is queued or going. When the
    state changed since the box was drawn (`?state=`), the page reloads: the switch, its text and
    the box must agree."""
    provider = registry.get_or_404(provider_id)
    state = state_for(request.membership, provider)
    response = _status_box(request, provider, state)
    drawn_in = request.GET.get("state")
    if drawn_in and drawn_in != state.key and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@csrf_exempt
@require_POST
def webhook(request, provider_id, secret):
    """A provider's webhook. The secret in the URL finds the company integration (a wrong one is a
    404); a provider that signs deliveries must also verify the signature (a bad one is a 404 too)."""
    provider = registry.get_or_404(provider_id)
    integration = get_object_or_404(CompanyIntegration, provider=provider.id, webhook_secret=secret)
    if not provider.verify_webhook(request.headers, request.body, integration):
        raise Http404("No such webhook.")
    try:
        refs = provider.parse_webhook(request.headers, json_limits.loads(request.body))
    except ValueError as error:  # not JSON, nested too deeply, or not a delivery of this provider
        return JsonResponse({"error": str(error) or "The body is not JSON."}, status=400)
    if not integration.is_enabled:
        return JsonResponse({"queued": 0, "detail": "The integration is off."}, status=202)
    return JsonResponse({"queued": queue_syncs_for_activity(integration, refs)}, status=202)
