import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from companies.models import Membership
from companies.tenancy import admin_required, membership_required

from tracking.models import SyncRun
from tracking.services import sync_status
from tracking.services.sync_runs import request_sync
from tracking.services.webhooks import queue_syncs_for_activity

from . import registry, services
from .forms import SwitchForm, TokenForm
from .models import CompanyIntegration, TaskScope, UserIntegration

# --- Company Integrations (owners and admins) -----------------------------------------------


def _provider_and_integration(request, provider_id):
    """The provider named in the URL (404 if unknown) and this company's integration with it, if any."""
    provider = registry.get_or_404(provider_id)
    return provider, services.company_integration_for(request.company, provider.id)


@admin_required
def company_list(request):
    integrations = {item.provider: item for item in request.company.integrations.all()}
    rows = [(provider, integrations.get(provider.id)) for provider in registry.all()]
    return render(request, "integrations/company_list.html", {"page": "company-integrations", "rows": rows})


def _company_page(request, provider, form=None, status=200):
    integration = services.company_integration_for(request.company, provider.id)
    links = {}
    if integration:
        links = {link.membership_id: link
                 for link in sync_status.with_latest_run(UserIntegration.objects.filter(company_integration=integration))}
    people = [(member, links.get(member.pk))
              for member in Membership.objects.for_company(request.company).active().select_related("user")]
    context = {
        "page": "company-integrations",
        "provider": provider,
        "integration": integration,
        "form": form or TokenForm(token_required=not (integration and integration.has_token)),
        "people": people,
        "scopes": TaskScope.choices,
        "webhook_url": request.build_absolute_uri(
            reverse("integrations:webhook", args=[provider.id, integration.webhook_secret])) if integration else "",
    }
    return render(request, "integrations/company_detail.html", context, status=status)


@admin_required
def company_detail(request, provider_id):
    return _company_page(request, registry.get_or_404(provider_id))


@require_POST
@sensitive_post_parameters("token")
@admin_required
def company_enable(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    form = TokenForm(request.POST, token_required=not (integration and integration.has_token))
    if form.is_valid():
        try:
            outcome = services.enable_company_integration(request.company, provider.id, form.cleaned_data["token"],
                                                          acting=request.membership)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.personal_note:
                messages.warning(request, outcome.personal_note)
            return redirect("integrations:company-enabled", provider_id=provider.id)
    return _company_page(request, provider, form, status=400)


@admin_required
def company_enabled(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if not integration or not integration.is_enabled:
        return redirect("integrations:company-detail", provider_id=provider.id)
    personal = UserIntegration.objects.for_membership(request.membership).filter(
        company_integration=integration).first()
    context = {"page": "company-integrations", "provider": provider, "integration": integration,
               "personal": personal}
    return render(request, "integrations/company_enabled.html", context)


@require_POST
@sensitive_post_parameters("token")
@admin_required
def company_token(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    form = TokenForm(request.POST)
    if integration and form.is_valid():
        try:
            services.replace_company_token(integration, form.cleaned_data["token"], acting=request.membership)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The company's {provider.name} token was replaced.")
            return redirect("integrations:company-detail", provider_id=provider.id)
    return _company_page(request, provider, form, status=400)


@require_POST
@admin_required
def company_disable(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if integration:
        services.disable_company_integration(integration, acting=request.membership)
        messages.success(request, f"{provider.name} is off for {request.company}. Nobody's tasks sync until it is "
                                  "turned on again; personal settings are kept.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_remove_token(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if integration:
        try:
            services.remove_company_token(integration, acting=request.membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The company's {provider.name} token was removed. Personal integrations, "
                                      "yours included, keep their own tokens: remove yours in Your Integration "
                                      "if it was the same one.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_scope(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    scope = request.POST.get("task_scope")
    if integration is None or scope not in TaskScope.values:
        messages.error(request, "Choose which stories become tasks.")
    else:
        services.change_task_scope(integration, scope, acting=request.membership)
        messages.success(request, f"Tasks now come from: {TaskScope(scope).label.lower()}. Everyone's next sync "
                                  "applies it.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_webhook_rotate(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if integration:
        services.rotate_webhook_secret(integration, acting=request.membership)
        messages.success(request, "The webhook URL was replaced: update it in each Pivotal project's settings.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@csrf_exempt
@require_POST
def webhook(request, provider_id, secret):
    """Pivotal's activity webhook. The secret in the URL is the only credential: a wrong one is a 404."""
    provider = registry.get_or_404(provider_id)
    integration = get_object_or_404(CompanyIntegration, provider=provider.id, webhook_secret=secret)
    try:
        refs = provider.parse_activity(json.loads(request.body))
    except ValueError as error:
        return JsonResponse({"error": str(error) or "The body is not JSON."}, status=400)
    if not integration.is_enabled:
        return JsonResponse({"queued": 0, "detail": "The integration is off."}, status=202)
    return JsonResponse({"queued": queue_syncs_for_activity(integration, refs)}, status=202)


# --- Your Integration (every member) --------------------------------------------------------


def _personal_panel(request, provider, form=None):
    integration = services.company_integration_for(request.company, provider.id)
    personal = None
    if integration:
        personal = UserIntegration.objects.for_membership(request.membership).filter(
            company_integration=integration).select_related("membership__user").first()
    return {
        "provider": provider,
        "integration": integration,
        "company_on": bool(integration and integration.is_enabled),
        "personal": personal,
        "form": form or TokenForm(),
        "sync": sync_status.for_personal(personal),
    }


def _mine_page(request, panels, status=200):
    return render(request, "integrations/mine.html", {"page": "your-integration", "panels": panels}, status=status)


@membership_required()
def mine(request):
    return _mine_page(request, [_personal_panel(request, provider) for provider in registry.all()])


@require_POST
@sensitive_post_parameters("token")
@membership_required()
def mine_token(request, provider_id):
    provider = registry.get_or_404(provider_id)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            personal = services.save_user_token(request.membership, provider.id, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Token saved: it belongs to the Pivotal account {personal.external_name} "
                                      f"({personal.external_email or personal.external_username}).")
            if personal.email_mismatch:
                messages.warning(request, _mismatch_warning(request, personal))
            return redirect("integrations:mine")
    panels = [_personal_panel(request, other, form if other.id == provider.id else None) for other in registry.all()]
    return _mine_page(request, panels, status=400)


def _mismatch_warning(request, personal):
    return (f"Check this is you: the Pivotal account's email ({personal.external_email}) differs from yours "
            f"({request.user.email}). Someone else may be signed in to Pivotal in this browser.")


@require_POST
@membership_required()
def mine_switch(request, provider_id):
    provider = registry.get_or_404(provider_id)
    panel = _personal_panel(request, provider)
    form = SwitchForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Choose on or off."
    elif panel["personal"] is None and form.cleaned_data["on"]:
        error = (services.COMPANY_OFF.format(provider=provider.name, company=request.company)
                 if not panel["company_on"] else "Paste your API token first.")
    elif panel["personal"] is not None:
        error = _flip(request, panel["personal"], form.cleaned_data["on"])
    if request.headers.get("HX-Request"):
        panel = _personal_panel(request, provider)
        return render(request, "integrations/_switch.html", {**panel, "switch_error": error},
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(reverse("integrations:mine"))


def _flip(request, personal, on):
    change = services.enable_user_integration if on else services.disable_user_integration
    try:
        change(personal, acting=request.membership)
    except ValidationError as error:
        return error.messages[0]
    return None


@require_POST
@membership_required()
def mine_sync_now(request, provider_id):
    provider = registry.get_or_404(provider_id)
    personal = _personal_panel(request, provider)["personal"]
    if personal is None or not personal.is_active:
        messages.error(request, "Switch your integration on first: only an active integration syncs.")
    else:
        outcome = request_sync(personal, SyncRun.Trigger.MANUAL)
        messages.success(request, "Sync started." if outcome == "queued" else
                         "A sync is already going; another one will follow it.")
    if request.headers.get("HX-Request"):
        return render(request, "integrations/_sync_status.html", _personal_panel(request, provider))
    return redirect("integrations:mine")


@require_GET
@membership_required()
def mine_sync_status(request, provider_id):
    """The sync box of Your Integration, polled by htmx while a run is going."""
    return render(request, "integrations/_sync_status.html", _personal_panel(request, registry.get_or_404(provider_id)))


@require_POST
@membership_required()
def mine_remove_token(request, provider_id):
    provider = registry.get_or_404(provider_id)
    personal = _personal_panel(request, provider)["personal"]
    if personal:
        services.remove_user_token(personal, acting=request.membership)
        messages.success(request, f"Your {provider.name} token was removed and your integration switched off. "
                                  "Your tasks and tracked time are kept.")
    return redirect("integrations:mine")
