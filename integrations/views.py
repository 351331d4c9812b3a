"""Company Integrations and Your Integration. The sync status on these pages comes from the sync
app's template tags (`{% load sync_tags %}`): this layer never imports the one above it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from companies.models import Membership
from companies.tenancy import admin_required, membership_required

from . import registry, services
from .forms import SwitchForm, TokenForm
from .models import PendingLink, TaskScope, UserIntegration
from .state import state_for, state_of, your_items

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
    people = [
        (
            member,
            links.get(member.pk),
            state_of(provider, integration, links.get(member.pk), company_name=request.company.name),
        )
        for member in Membership.objects.for_company(request.company).active().select_related("user")
    ]
    installation = integration.installation if integration else provider.default_settings()
    context = {
        "page": "company-integrations",
        "provider": provider,
        "integration": integration,
        "form": form
        or TokenForm(token_required=not (integration and integration.has_token), token_name=provider.token_name),
        "settings_form": settings_form
        or (provider.settings_form_class(initial=installation) if provider.settings_form_class else None),
        "people": people,
        "syncing_count": sum(1 for _, _, state in people if state.is_active),  # whom "Turn it Off" stops
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
    form = TokenForm(
        request.POST, token_required=not (integration and integration.has_token), token_name=provider.token_name
    )
    if form.is_valid():
        try:
            outcome = services.enable_company_integration(
                request.company, provider.id, form.cleaned_data["token"], acting=request.membership
            )
        except services.AccountMismatch as held:
            return _ask_for_confirmation(request, held.pending)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _company_enabled_answer(request, provider, outcome)
    return _company_page(request, provider, form, status=400)


def _company_enabled_answer(request, provider, outcome):
    if outcome.personal_note:
        messages.warning(request, outcome.personal_note)
    return redirect("integrations:company-enabled", provider_id=provider.id)


@admin_required
def company_enabled(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if not integration or not integration.is_enabled:
        return redirect("integrations:company-detail", provider_id=provider.id)
    personal = (
        UserIntegration.objects.for_membership(request.membership).filter(company_integration=integration).first()
    )
    context = {"page": "company-integrations", "provider": provider, "integration": integration, "personal": personal}
    return render(request, "integrations/company_enabled.html", context)


@require_POST
@sensitive_post_parameters("token")
@admin_required
def company_token(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    form = TokenForm(request.POST, token_name=provider.token_name)
    if integration and form.is_valid():
        try:
            integration = services.replace_company_token(
                integration, form.cleaned_data["token"], acting=request.membership
            )
        except services.AccountMismatch as held:
            return _ask_for_confirmation(request, held.pending)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _company_token_replaced_answer(request, provider, integration)
    return _company_page(request, provider, form, status=400)


def _company_token_replaced_answer(request, provider, integration):
    contact = integration.external_email or integration.external_username
    messages.success(
        request,
        f"The company's {provider.name} token was replaced: it belongs to the account "
        f"{integration.external_name} ({contact}).",
    )
    return redirect("integrations:company-detail", provider_id=provider.id)


@require_POST
@admin_required
def company_disable(request, provider_id):
    provider, integration = _provider_and_integration(request, provider_id)
    if integration:
        services.disable_company_integration(integration, acting=request.membership)
        messages.info(
            request,
            f"{provider.name} is off for {request.company}. Nobody's tasks sync until it is "
            "turned on again; personal settings are kept.",
        )
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
            messages.success(
                request,
                f"The company's {provider.name} token was removed. Personal integrations, "
                "yours included, keep their own tokens: remove yours in Your Integration "
                "if it was the same one.",
            )
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
        messages.success(
            request, f"Tasks now come from: {label[0].lower() + label[1:]}. Everyone's next sync applies it."
        )
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


def _personal_panel(request, provider, switch_form=None, replace_form=None, notice=""):
    """Everything one provider's panel of Your Integration shows, decided by its state."""
    state = state_for(request.membership, provider)
    return {
        "provider": provider,
        "state": state,
        "personal": state.personal,
        "switch_form": switch_form or _switch_form(provider),
        "replace_form": replace_form or _replace_form(provider),
        "notice": notice,
    }


def _switch_form(provider, data=None):
    return SwitchForm(data, token_name=provider.token_name, auto_id=f"{provider.id}-switch-%s")


def _replace_form(provider, data=None):
    return TokenForm(data, token_name=provider.token_name, auto_id=f"{provider.id}-replace-%s")


def _mine_page(request, provider=None, status=200, **bound):
    panels = [
        _personal_panel(request, other, **(bound if other.id == getattr(provider, "id", None) else {}))
        for other in registry.all()
    ]
    return render(request, "integrations/mine.html", {"page": "your-integration", "panels": panels}, status=status)


@membership_required()
def mine(request):
    return _mine_page(request)


def _panel_answer(request, provider, notice, *, level=messages.SUCCESS, status=200, **bound):
    """htmx: the provider's panel in place (switch, state and sync box together, never stale), its
    notice inside. Otherwise: the notice as a message and back to the page, or the page with the
    form's errors (400)."""
    if request.headers.get("HX-Request"):
        return render(
            request,
            "integrations/_personal_panel.html",
            _personal_panel(request, provider, notice=notice, **bound),
            status=status,
        )
    if status >= 400:
        return _mine_page(request, provider, status=status, **bound)
    messages.add_message(request, level, notice)
    return redirect("integrations:mine")


@require_POST
@sensitive_post_parameters("token")
@membership_required()
def mine_switch(request, provider_id):
    """The switch, with the token pasted beside it: ON links the token (if any) and switches on in
    one step, OFF switches off. A token of someone else's account goes to the confirmation page."""
    provider = registry.get_or_404(provider_id)
    form = _switch_form(provider, request.POST)
    if form.is_valid():
        on = form.cleaned_data["on"]
        try:
            personal = services.switch_user_integration(
                request.membership, provider.id, on=on, token=form.cleaned_data["token"]
            )
        except services.AccountMismatch as held:
            return _ask_for_confirmation(request, held.pending)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _panel_answer(
                request,
                provider,
                _switched_notice(provider, personal, on),
                level=messages.SUCCESS if on else messages.INFO,
            )
    return _panel_answer(request, provider, "", status=400, switch_form=form)


def _switched_notice(provider, personal, on):
    if not on:
        return (
            f"Switched OFF: your {your_items(provider)} no longer sync. Your tasks and tracked time are kept."
            if personal
            else f"Your {provider.name} integration is off."
        )
    return (
        f"Switched ON with the {provider.name} account {personal.external_name} "
        f"({personal.external_email or personal.external_username})."
    )


@require_POST
@sensitive_post_parameters("token")
@membership_required()
def mine_token(request, provider_id):
    """Another token, the switch left as it is (a token of someone else's account is confirmed first)."""
    provider = registry.get_or_404(provider_id)
    form = _replace_form(provider, request.POST)
    if form.is_valid():
        try:
            personal = services.save_user_token(request.membership, provider.id, form.cleaned_data["token"])
        except services.AccountMismatch as held:
            return _ask_for_confirmation(request, held.pending)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _token_saved_answer(request, provider, personal)
    if state_for(request.membership, provider).takes_token:  # no replace form on show: the switch's says it
        return _panel_answer(request, provider, "", status=400, switch_form=_with_errors_of(form, provider))
    return _panel_answer(request, provider, "", status=400, replace_form=form)


def _with_errors_of(form, provider):
    switch_form = _switch_form(provider, {"on": "1"})
    switch_form.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            switch_form.add_error(field if field in switch_form.fields else None, error)
    return switch_form


def _token_saved_answer(request, provider, personal):
    account = f"{personal.external_name} ({personal.external_email or personal.external_username})"
    if personal.is_active:
        return _panel_answer(
            request,
            provider,
            f"Token replaced: it belongs to the {provider.name} account "
            f"{account}, and your {provider.items_name} sync from it.",
        )
    return _panel_answer(
        request,
        provider,
        f"Your token is saved: it belongs to the {provider.name} account "
        f"{account}. Your integration is still OFF: click the switch to turn it "
        "ON.",
        level=messages.WARNING,
    )


@require_POST
@membership_required()
def mine_remove_token(request, provider_id):
    provider = registry.get_or_404(provider_id)
    personal = state_for(request.membership, provider).personal
    if personal:
        services.remove_user_token(personal, acting=request.membership)
        messages.success(
            request,
            f"Your {provider.name} token was removed and your integration switched off. "
            "Your tasks and tracked time are kept.",
        )
    return redirect("integrations:mine")


# --- Confirming a token of someone else's account (both tiers) ------------------------------
# The held token never leaves the server: the session keeps the random code of its PendingLink,
# bound to the membership, for PENDING_LINK_MINUTES; the page shows both accounts side by side.

CONFIRMATION = {
    PendingLink.Tier.PERSONAL: {
        "page": "integrations:mine-confirm",
        "back": "integrations:mine",
        "menu": "your-integration",
    },
    PendingLink.Tier.COMPANY: {
        "page": "integrations:company-confirm",
        "back": "integrations:company-list",
        "menu": "company-integrations",
    },
}


def _session_key(tier):
    return f"integrations.pending_link.{tier}"


def _ask_for_confirmation(request, pending):
    request.session[_session_key(pending.tier)] = pending.code
    url = reverse(CONFIRMATION[pending.tier]["page"])
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _pending(request, tier):
    code = request.session.get(_session_key(tier))
    if not code:
        return None
    return PendingLink.objects.for_membership(request.membership).live().filter(tier=tier, code=code).first()


def _back(pending_or_tier, provider=None):
    tier = getattr(pending_or_tier, "tier", pending_or_tier)
    if tier == PendingLink.Tier.COMPANY and provider is not None:
        return redirect("integrations:company-detail", provider_id=provider.id)
    return redirect(CONFIRMATION[tier]["back"])


def _confirmation_page(request, tier):
    pending = _pending(request, tier)
    if pending is None:
        messages.info(request, services.PENDING_GONE)
        return _back(tier)
    provider = pending.provider_object
    current = None
    if tier == PendingLink.Tier.COMPANY:
        current = services.company_integration_for(request.company, provider.id)
        current = current if current and current.has_token else None
    context = {
        "page": CONFIRMATION[tier]["menu"],
        "pending": pending,
        "provider": provider,
        "account": services.pending_account(pending),
        "current": current,
        "is_company": tier == PendingLink.Tier.COMPANY,
        "minutes": services.PENDING_LINK_MINUTES,
    }
    return render(request, "integrations/confirm_link.html", context)


def _confirm(request, tier):
    pending = _pending(request, tier)
    request.session.pop(_session_key(tier), None)
    if pending is None:
        messages.error(request, services.PENDING_GONE)
        return _back(tier)
    provider = pending.provider_object
    try:
        outcome = services.confirm_pending_link(pending, acting=request.membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(pending, provider)
    if tier == PendingLink.Tier.PERSONAL:
        if outcome.is_enabled:
            messages.success(request, _switched_notice(provider, outcome, True))
            return redirect("integrations:mine")
        return _token_saved_answer(request, provider, outcome)
    if isinstance(outcome, services.EnableOutcome):
        return _company_enabled_answer(request, provider, outcome)
    return _company_token_replaced_answer(request, provider, outcome)


def _cancel(request, tier):
    pending = _pending(request, tier)
    request.session.pop(_session_key(tier), None)
    if pending is not None:
        services.cancel_pending_link(pending)
    messages.info(request, "Nothing was saved: the token was forgotten. Paste your own token when you have it.")
    return _back(tier, pending.provider_object if pending else None)


@never_cache
@membership_required()
def mine_confirm(request):
    return _confirmation_page(request, PendingLink.Tier.PERSONAL)


@require_POST
@membership_required()
def mine_confirm_link(request):
    return _confirm(request, PendingLink.Tier.PERSONAL)


@require_POST
@membership_required()
def mine_confirm_cancel(request):
    return _cancel(request, PendingLink.Tier.PERSONAL)


@never_cache
@admin_required
def company_confirm(request):
    return _confirmation_page(request, PendingLink.Tier.COMPANY)


@require_POST
@admin_required
def company_confirm_link(request):
    return _confirm(request, PendingLink.Tier.COMPANY)


@require_POST
@admin_required
def company_confirm_cancel(request):
    return _cancel(request, PendingLink.Tier.COMPANY)
