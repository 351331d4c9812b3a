"""The sync's own endpoints: "Sync now", the status box polled while a run goes, and the
providers' webhooks. Thin: each resolves the tenant or the integration and calls one service."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from companies.tenancy import membership_required
from timedoctor import json_limits
from integrations import registry
from integrations.models import CompanyIntegration, UserIntegration

from .models import SyncRun
from .services import status
from .services.queue import request_sync
from .services.webhooks import queue_syncs_for_activity


def _personal(request, provider):
    return (UserIntegration.objects.for_membership(request.membership)
            .filter(company_integration__provider=provider.id).select_related("company_integration").first())


def _status_box(request, provider, personal, http_status=200):
    return render(request, "sync/_status.html", {"provider": provider, "personal": personal,
                                                 "sync": status.for_personal(personal)}, status=http_status)


@require_POST
@membership_required()
def sync_now(request, provider_id):
    provider = registry.get_or_404(provider_id)
    personal = _personal(request, provider)
    refusal = status.why_no_sync(personal)
    if refusal:
        messages.error(request, refusal)
    else:
        outcome = request_sync(personal, SyncRun.Trigger.MANUAL)
        messages.success(request, "Sync started." if outcome == "queued" else
                         "A sync is already going; another one will follow it.")
    if request.headers.get("HX-Request"):
        return _status_box(request, provider, personal, 400 if refusal else 200)
    return redirect("integrations:mine")


@require_GET
@membership_required()
def sync_status(request, provider_id):
    """The sync box of Your Integration, polled by htmx while a run is going."""
    provider = registry.get_or_404(provider_id)
    return _status_box(request, provider, _personal(request, provider))


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
