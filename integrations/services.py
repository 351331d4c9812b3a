"""Turning integrations on and off, for a company and for each person.

Tokens are checked with the provider before anything is saved (outside any database transaction,
so a slow provider never holds a lock), then written atomically with an audit row. No function
here logs or returns a token.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from companies.services import record_audit_event

from . import registry
from .models import CompanyIntegration, Status, UserIntegration, new_webhook_secret
from .providers.base import LinkedAccount, ProviderError, TokenRejected
from .signals import sync_wanted

COMPANY_OFF = ("{provider} is not turned on for {company} yet. An owner or admin must turn it on in "
               "Company Integrations first.")


@dataclass(frozen=True)
class EnableOutcome:
    integration: CompanyIntegration
    personal: UserIntegration | None
    personal_note: str = ""


@sensitive_variables("token")
def check_token(provider, token, *, installation=None):
    """The account behind a token, or a ValidationError that says clearly what went wrong."""
    if not token:
        raise ValidationError({"token": f"Paste the {provider.token_name}."})
    try:
        return provider.check_token(token, installation=installation)
    except TokenRejected as error:
        raise ValidationError({"token": error.message}, code="token_rejected") from None
    except ProviderError as error:
        raise ValidationError({"token": f"The token could not be checked: {error.message}"},
                              code="provider_unavailable") from None


def company_integration_for(company, provider_id):
    return CompanyIntegration.objects.for_company(company).filter(provider=provider_id).first()


def _audit(integration, action, summary, *, acting, **details):
    record_audit_event(integration.company, action, summary, actor=acting,
                       provider=integration.provider, **details)


# --- Company integrations -------------------------------------------------------------------

@sensitive_variables("token")
def enable_company_integration(company, provider_id, token, *, acting):
    """"Turn it On": checks and stores the token (a blank token keeps the stored one), turns the
    integration on for the whole company and links the acting admin's own integration by default."""
    provider = registry.get(provider_id)
    existing = company_integration_for(company, provider_id)
    installation = existing.installation if existing else provider.default_settings()
    account = check_token(provider, token, installation=installation) if token else None
    with transaction.atomic():
        integration, _ = CompanyIntegration.objects.select_for_update().get_or_create(company=company,
                                                                                       provider=provider_id)
        if account:
            _store_company_token(integration, token, account, acting=acting)
        elif not integration.has_token:
            raise ValidationError({"token": "Paste the API token."})
        if integration.status == Status.TOKEN_REJECTED:
            raise ValidationError({"token": f"{provider.name} rejected the stored token. Paste a new one."})
        was_enabled = integration.is_enabled
        integration.is_enabled = True
        integration.enabled_at = timezone.now() if not was_enabled else integration.enabled_at
        integration.changed_by = acting
        integration.save()
        if not was_enabled:
            _audit(integration, "integration.company_enabled",
                   f"{acting.user} turned on {provider.name} for the company", acting=acting)
        personal, note = _link_acting_member_by_default(integration, acting, token or integration.token)
        if not was_enabled or account:
            _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(),
                           "company_enabled")
    return EnableOutcome(integration, personal, note)


def _request_syncs(personals, trigger):
    sync_wanted.send(sender=UserIntegration, personals=list(personals), trigger=trigger)


@sensitive_variables("token")
def replace_company_token(integration, token, *, acting):
    account = check_token(integration.provider_object, token, installation=integration.installation)
    with transaction.atomic():
        integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
        _store_company_token(integration, token, account, acting=acting)
        integration.save()
    return integration


@sensitive_variables("token")
def _store_company_token(integration, token, account, *, acting):
    replaced = integration.has_token
    integration.link_account(token, account, timezone.now())
    integration.changed_by = acting
    verb = "replaced" if replaced else "added"
    _audit(integration, f"integration.company_token_{verb}",
           f"{acting.user} {verb} the company's {integration.get_provider_display()} token "
           f"(ending in {integration.token_last4}, account {account.name or account.username})",
           acting=acting, account_id=account.external_id)


@sensitive_variables("token")
def _link_acting_member_by_default(integration, acting, token):
    """The admin who turns an integration on gets their own integration active with the same
    token, the first time only, and unless its account belongs to a colleague."""
    personal = UserIntegration.objects.select_for_update().filter(company_integration=integration,
                                                                  membership=acting).first()
    if personal is not None:
        return personal, ""  # linked before, or removed on purpose: theirs to decide
    owner_of_account = _member_who_linked(integration, integration.external_id, excluding=acting)
    if owner_of_account:
        return personal, (f"Your own integration was not linked: the company token's "
                          f"{integration.provider_object.name} account is already "
                          f"linked by {owner_of_account.membership.user}. Paste your own token in Your Integration.")
    personal = UserIntegration(company_integration=integration, membership=acting)
    personal.link_account(token, _account_of(integration), timezone.now())
    personal.is_enabled = True
    personal.save()
    _audit(integration, "integration.user_enabled",
           f"{acting.user}'s own {integration.get_provider_display()} integration was turned on with the company token",
           acting=acting, member=acting.user.email)
    return personal, ""


def _account_of(integration):
    return LinkedAccount(external_id=integration.external_id, name=integration.external_name,
                         email=integration.external_email, username=integration.external_username,
                         project_names=list(integration.project_names))


def _member_who_linked(integration, external_id, *, excluding):
    if not external_id:
        return None
    return (UserIntegration.objects.filter(company_integration=integration, external_id=external_id)
            .exclude(membership=excluding).select_related("membership__user").first())


@transaction.atomic
def disable_company_integration(integration, *, acting):
    """Turns the integration off for everyone. Personal integrations are kept, gated: they do not
    sync and cannot be switched on until the company integration is on again."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if not integration.is_enabled:
        return integration
    integration.is_enabled = False
    integration.disabled_at = timezone.now()
    integration.changed_by = acting
    integration.save()
    _audit(integration, "integration.company_disabled",
           f"{acting.user} turned off {integration.get_provider_display()} for the company", acting=acting)
    return integration


@transaction.atomic
def remove_company_token(integration, *, acting):
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if integration.is_enabled:
        raise ValidationError("Turn the integration off before removing its token.")
    if not integration.has_token:
        return integration
    last4 = integration.token_last4
    integration.forget_token()
    integration.changed_by = acting
    integration.save()
    _audit(integration, "integration.company_token_removed",
           f"{acting.user} removed the company's {integration.get_provider_display()} token (ending in {last4})",
           acting=acting)
    return integration


@transaction.atomic
def change_task_scope(integration, scope, *, acting):
    """Which items become tasks: assigned and open (default), assigned including done ones, or all
    open items of a person's projects. Applied by each person's next sync."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if integration.task_scope == scope:
        return integration
    integration.task_scope = scope
    integration.changed_by = acting
    integration.save(update_fields=["task_scope", "changed_by", "updated_at"])
    _audit(integration, "integration.scope_changed",
           f"{acting.user} set {integration.get_provider_display()} tasks to: {integration.get_task_scope_display()}",
           acting=acting, scope=scope)
    # Cursors remember the scope they were read under: the next runs re-read every project.
    _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(), "manual")
    return integration


@transaction.atomic
def rotate_webhook_secret(integration, *, acting):
    """A new webhook URL; the old one stops working at once (404)."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    integration.webhook_secret = new_webhook_secret()
    integration.save(update_fields=["webhook_secret", "updated_at"])
    _audit(integration, "integration.webhook_rotated",
           f"{acting.user} replaced the {integration.get_provider_display()} webhook URL", acting=acting)
    return integration


@transaction.atomic
def new_webhook_signing_secret(integration, *, acting):
    """For providers that sign deliveries: a new secret to give them (returned once; stored
    encrypted, shown masked). Deliveries signed with the old one are refused from now on."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    secret = secrets.token_hex(32)
    integration.webhook_signing_secret = secret
    integration.save(update_fields=["webhook_signing_secret", "updated_at"])
    _audit(integration, "integration.webhook_secret_replaced",
           f"{acting.user} made a new {integration.get_provider_display()} webhook secret", acting=acting)
    return integration, secret


def update_installation_settings(company, provider_id, values, *, acting):
    """The company's installation settings for a provider (base URL, repositories…), as its
    settings form cleaned them. A change queues everyone's sync."""
    provider = registry.get(provider_id)
    with transaction.atomic():
        integration, _ = CompanyIntegration.objects.select_for_update().get_or_create(company=company,
                                                                                       provider=provider_id)
        before = integration.installation
        integration.settings = dict(values)
        integration.changed_by = acting
        integration.save(update_fields=["settings", "changed_by", "updated_at"])
        changed = sorted(key for key in values if before.get(key) != values[key])
        if changed:
            _audit(integration, "integration.settings_changed",
                   f"{acting.user} changed the {provider.name} settings: {', '.join(changed)}",
                   acting=acting, changed=changed)
            if integration.is_enabled:
                _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(), "manual")
    return integration


# --- Personal integrations ------------------------------------------------------------------

def ensure_company_enabled(integration, membership, provider):
    if integration is None or not integration.is_enabled:
        raise ValidationError(COMPANY_OFF.format(provider=provider.name, company=membership.company))


@sensitive_variables("token")
def save_user_token(membership, provider_id, token):
    """Links a person's own account. Refuses an account another member already linked."""
    provider = registry.get(provider_id)
    integration = company_integration_for(membership.company, provider_id)
    ensure_company_enabled(integration, membership, provider)
    account = check_token(provider, token, installation=integration.installation)
    try:
        with transaction.atomic():
            _refuse_account_linked_by_colleague(integration, account, membership)
            personal, _ = UserIntegration.objects.select_for_update().get_or_create(
                company_integration=integration, membership=membership)
            verb = "replaced" if personal.has_token else "added"
            personal.link_account(token, account, timezone.now())
            personal.save()
            _audit(integration, f"integration.user_token_{verb}",
                   f"{membership.user} {verb} their {provider.name} token (ending in {personal.token_last4}, "
                   f"account {account.name or account.username})",
                   acting=membership, member=membership.user.email, account_id=account.external_id)
            if personal.is_enabled:
                _request_syncs([personal], "token_saved")
    except IntegrityError:  # a colleague linked the same account at the same instant
        _refuse_account_linked_by_colleague(integration, account, membership)
        raise
    return personal


def _refuse_account_linked_by_colleague(integration, account, membership):
    colleague = _member_who_linked(integration, account.external_id, excluding=membership)
    if colleague:
        name = integration.provider_object.name
        raise ValidationError({"token": (
            f"This token belongs to the {name} account {account.name} ({account.email or account.username}), "
            f"which {colleague.membership.user} has already linked in {membership.company}. If that is not you, "
            f"someone else may be signed in to {name} in this browser: sign out of {name}, sign in as yourself "
            "and copy your own token."
        )}, code="account_taken")


@transaction.atomic
def enable_user_integration(personal, *, acting):
    personal = UserIntegration.objects.select_for_update().select_related(
        "company_integration", "membership__company").get(pk=personal.pk)
    provider = personal.company_integration.provider_object
    ensure_company_enabled(personal.company_integration, personal.membership, provider)
    if not personal.has_token:
        raise ValidationError("Paste your API token first.")
    if personal.status == Status.TOKEN_REJECTED:
        raise ValidationError(f"{provider.name} rejected your token. Paste a new one first.")
    if not personal.is_enabled:
        personal.is_enabled = True
        personal.save(update_fields=["is_enabled", "updated_at"])
        _audit(personal.company_integration, "integration.user_enabled",
               f"{personal.membership.user} turned on their {provider.name} integration", acting=acting,
               member=personal.membership.user.email)
        _request_syncs([personal], "switched_on")
    return personal


@transaction.atomic
def disable_user_integration(personal, *, acting):
    """Stops syncing for this person; their tasks and tracked time stay."""
    personal = UserIntegration.objects.select_for_update().get(pk=personal.pk)
    if personal.is_enabled:
        personal.is_enabled = False
        personal.save(update_fields=["is_enabled", "updated_at"])
        _audit(personal.company_integration, "integration.user_disabled",
               f"{personal.membership.user} turned off their {personal.company_integration.get_provider_display()} "
               "integration", acting=acting, member=personal.membership.user.email)
    return personal


@transaction.atomic
def remove_user_token(personal, *, acting):
    personal = UserIntegration.objects.select_for_update().get(pk=personal.pk)
    if not personal.has_token:
        return personal
    last4 = personal.token_last4
    personal.forget_token()
    personal.is_enabled = False
    personal.save()
    _audit(personal.company_integration, "integration.user_token_removed",
           f"{personal.membership.user} removed their {personal.company_integration.get_provider_display()} token "
           f"(ending in {last4})", acting=acting, member=personal.membership.user.email)
    return personal
