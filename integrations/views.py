"""Company Integrations and Your Integration. The sync status on these pages comes from the sync
app's template tags (`{% load sync_tags %}`): this layer never imports the one above it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from companies.models import Membership
from companies.tenancy import admin_required, membership_required

from . import registry, services
from .forms import SwitchForm, TokenForm
from .models import TaskScope, UserIntegration

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


def _company_page(request, provider, form=None, status=200, *, settings_form=None, new_signing_secret=""):
    integration = services.company_integration_for(request.company, provider.id)
    links = {}
    if integration:
        links = {link.membership_id: link for link in UserIntegration.objects.filter(company_integration=integration)}
    people = [(member, links.get(member.pk))
              for member in Membership.objects.for_company(request.company).active().select_related("user")]
    installation = integration.installation if integration else provider.default_settings()
    context = {
        "page": "company-integrations",
        "provider": provider,
        "integration": integration,
        "form": form or TokenForm(token_required=not (integration and integration.has_token),
                                  token_name=provider.token_name),
        "settings_form": settings_form or (provider.settings_form_class(initial=installation)
                                           if provider.settings_form_class else None),
        "people": people,
        "scopes": [(value, provider.scope_labels.get(value, label)) for value, label in TaskScope.choices],
        "new_signing_secret": new_signing_secret,
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
    form = TokenForm(request.POST, token_required=not (integration and integration.has_token),
                     token_name=provider.token_name)
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
    form = TokenForm(request.POST, token_name=provider.token_name)
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
        messages.error(request, f"Choose which {provider.items_name} become tasks.")
    else:
        services.change_task_scope(integration, scope, acting=request.membership)
        label = provider.scope_labels.get(scope, TaskScope(scope).label)
        messages.success(request, f"Tasks now come from: {label[0].lower() + label[1:]}. Everyone's next sync "
                                  "applies it.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_settings(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if provider.settings_form_class is None:
        return redirect("integrations:company-detail", provider_id=provider.id)
    form = provider.settings_form_class(request.POST)
    if not form.is_valid():
        return _company_page(request, provider, status=400, settings_form=form)
    services.update_installation_settings(request.company, provider.id, form.cleaned_data, acting=request.membership)
    messages.success(request, f"The {provider.name} settings were saved.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_webhook_rotate(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if integration:
        services.rotate_webhook_secret(integration, acting=request.membership)
        messages.success(request, f"The webhook URL was replaced: update it where {provider.name} sends webhooks.")
    return redirect("integrations:company-detail", provider_id=provider.id)


@never_cache
@require_POST
@admin_required
def company_webhook_secret(request, provider_id):
    """A new signing secret, shown on this answer only (it is stored encrypted and shown masked
    afterwards), so this POST renders instead of redirecting; reloading makes another one."""
    provider, integration = _provider_and_integration(request, provider_id)
    if integration is None or not provider.signs_webhooks:
        return redirect("integrations:company-detail", provider_id=provider.id)
    _, secret = services.new_webhook_signing_secret(integration, acting=request.membership)
    return _company_page(request, provider, new_signing_secret=secret)


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
        "form": form or TokenForm(token_name=provider.token_name),
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
    form = TokenForm(request.POST, token_name=provider.token_name)
    if form.is_valid():
        try:
            personal = services.save_user_token(request.membership, provider.id, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Token saved: it belongs to the {provider.name} account "
                                      f"{personal.external_name} ({personal.external_email or personal.external_username}).")
            if personal.email_mismatch:
                messages.warning(request, _mismatch_warning(request, personal, provider))
            return redirect("integrations:mine")
    panels = [_personal_panel(request, other, form if other.id == provider.id else None) for other in registry.all()]
    return _mine_page(request, panels, status=400)


def _mismatch_warning(request, personal, provider):
    return (f"Check this is you: the {provider.name} account's email ({personal.external_email}) differs from "
            f"yours ({request.user.email}). Someone else may be signed in to {provider.name} in this browser.")


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
def mine_remove_token(request, provider_id):
    provider = registry.get_or_404(provider_id)
    personal = _personal_panel(request, provider)["personal"]
    if personal:
        services.remove_user_token(personal, acting=request.membership)
        messages.success(request, f"Your {provider.name} token was removed and your integration switched off. "
                                  "Your tasks and tracked time are kept.")
    return redirect("integrations:mine")
