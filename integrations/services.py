"""Turning integrations on and off, for a company and for each person.

Tokens are checked with the provider before anything is saved (outside any database transaction,
so a slow provider never holds a lock), then written atomically with an audit row. No function
here logs or returns a token.

A token whose account is not the acting person's is not saved: it is held in a `PendingLink`
(encrypted, for PENDING_LINK_MINUTES) and `AccountMismatch` is raised, until the person confirms it
(`confirm_pending_link`, audited as `integration.mismatch_confirmed`) or cancels. Callers that
vouch for the account themselves (scripts, benchmarks) pass `allow_mismatch=True`. An account a
colleague already linked is refused outright: two people cannot share one tracker account.
"""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from companies.models import Company, Membership, User
from companies.services import record_audit_event

from . import registry
from .models import CompanyIntegration, PendingLink, Status, UserIntegration, new_webhook_secret
from .providers.base import Installation, LinkedAccount, Provider, ProviderError, TokenRejected
from .signals import sync_wanted

COMPANY_OFF = (
    "{provider} is not turned on for {company} yet. An owner or admin must turn it on in Company Integrations first."
)
PENDING_LINK_MINUTES = 15
PENDING_GONE = (
    f"That confirmation is no longer waiting (it lasts {PENDING_LINK_MINUTES} minutes and works once): "
    "nothing was saved. Paste the token again."
)


class AccountMismatch(Exception):
    """The token's account is not the acting person's: nothing was saved, the token waits in
    `pending` for their confirmation."""

    def __init__(self, pending: PendingLink) -> None:
        super().__init__("The token's account is not yours: confirm or cancel first.")
        self.pending = pending


@dataclass(frozen=True)
class EnableOutcome:
    integration: CompanyIntegration
    personal: UserIntegration | None
    personal_note: str = ""


@sensitive_variables("token")
def check_token(provider: Provider, token: str, *, installation: Installation | None = None) -> LinkedAccount:
    """The account behind a token, or a ValidationError that says clearly what went wrong."""
    if not token:
        raise ValidationError({"token": f"Paste the {provider.token_name}."})
    try:
        return provider.check_token(token, installation=installation)
    except TokenRejected as error:
        raise ValidationError({"token": error.message}, code="token_rejected") from None
    except ProviderError as error:
        raise ValidationError(
            {"token": f"The token could not be checked: {error.message}"}, code="provider_unavailable"
        ) from None


def company_integration_for(company: Company, provider_id: str) -> CompanyIntegration | None:
    return CompanyIntegration.objects.for_company(company).filter(provider=provider_id).first()


def _audit(
    integration: CompanyIntegration, action: str, summary: str, *, acting: Membership | None, **details: Any
) -> None:
    record_audit_event(integration.company, action, summary, actor=acting, provider=integration.provider, **details)


def email_differs(email: str, user: User) -> bool:
    """The provider account's email is not the person's. An account that shows no email (GitHub's
    private emails) cannot be compared and does not count as different."""
    return bool(email) and email.strip().lower() != user.email.strip().lower()


def _account_label(account: LinkedAccount) -> str:
    return f"{account.name or account.username} ({account.email or account.username or account.external_id})"


# --- Tokens waiting for confirmation ---------------------------------------------------------


@sensitive_variables("token")
def hold_pending_link(
    membership: Membership, provider_id: str, tier: str, token: str, account: LinkedAccount, *, turn_on: bool
) -> PendingLink:
    """Keeps a checked token whose account is not the person's until they confirm or cancel. One
    waits per person and tier: a newer one replaces it."""
    with transaction.atomic():
        PendingLink.objects.expired().delete()
        PendingLink.objects.filter(membership=membership, tier=tier).delete()
        return PendingLink.objects.create(
            membership=membership,
            provider=provider_id,
            tier=tier,
            token=token,
            account=asdict(account),
            turn_on=turn_on,
            expires_at=timezone.now() + timedelta(minutes=PENDING_LINK_MINUTES),
        )


def pending_account(pending: PendingLink) -> LinkedAccount:
    return LinkedAccount(**pending.account)


def cancel_pending_link(pending: PendingLink) -> None:
    """ "Cancel": the held token is forgotten; nothing was ever saved with it."""
    PendingLink.objects.filter(pk=pending.pk).delete()


@sensitive_variables("token")
def confirm_pending_link(
    pending: PendingLink, *, acting: Membership
) -> UserIntegration | EnableOutcome | CompanyIntegration:
    """ "Link it anyway": stores the held token (once, while it is live) as the person asked when they
    pasted it, and audits the confirmed mismatch with both emails. Returns the personal integration
    (personal tier) or an EnableOutcome / the company integration (company tier)."""
    with transaction.atomic():
        live = PendingLink.objects.select_for_update().live().filter(pk=pending.pk, membership=acting).first()
        if live is None:
            raise ValidationError(PENDING_GONE)
        token, account, provider_id = live.token, pending_account(live), live.provider
        tier, turn_on, checked_at = live.tier, live.turn_on, live.created_at
        live.delete()
    provider = registry.get(provider_id)
    if tier == PendingLink.Tier.PERSONAL:
        integration = ensure_company_enabled(company_integration_for(acting.company, provider_id), acting, provider)
        return _store_user_token(
            integration, acting, token, account, turn_on=turn_on, checked_at=checked_at, mismatch_confirmed=True
        )
    if turn_on:
        return _enable_company(
            acting.company, provider, token, account, acting=acting, vouched=False, mismatch_confirmed=True
        )
    existing = company_integration_for(acting.company, provider_id)
    if existing is None:
        raise ValidationError(PENDING_GONE)
    return _replace_company_token(existing, token, account, acting=acting, mismatch_confirmed=True)


def _audit_mismatch(
    integration: CompanyIntegration,
    account: LinkedAccount,
    *,
    acting: Membership,
    tier: str,
    previous: str | None = None,
) -> None:
    provider = integration.provider_object
    if tier == PendingLink.Tier.PERSONAL:
        summary = (
            f"{acting.user} linked the {provider.name} account {_account_label(account)} to their own "
            f"integration although its email is not theirs ({acting.user.email})"
        )
    else:
        summary = (
            f"{acting.user} confirmed a company {provider.name} token of the account {_account_label(account)}, "
            f"which is not theirs ({acting.user.email})"
        )
        if previous:
            summary += f" nor the current company account's ({previous})"
    _audit(
        integration,
        "integration.mismatch_confirmed",
        summary,
        acting=acting,
        tier=str(tier),
        account_id=account.external_id,
        account_email=account.email,
        member_email=acting.user.email,
        **({"previous_account_email": previous} if previous else {}),
    )


# --- Company integrations -------------------------------------------------------------------


@sensitive_variables("token")
def enable_company_integration(
    company: Company, provider_id: str, token: str, *, acting: Membership, allow_mismatch: bool = False
) -> EnableOutcome:
    """ "Turn it On": checks and stores the token (a blank token keeps the stored one), turns the
    integration on for the whole company and links the acting admin's own integration by default
    (when the token's account is theirs). A token of an account that is neither the acting admin's
    nor the current company token's is held for confirmation (AccountMismatch)."""
    provider = registry.get(provider_id)
    existing = company_integration_for(company, provider_id)
    installation = existing.installation if existing else provider.default_settings()
    account = check_token(provider, token, installation=installation) if token else None
    if account and not allow_mismatch and company_token_is_a_mismatch(existing, account, acting):
        raise AccountMismatch(
            hold_pending_link(acting, provider_id, PendingLink.Tier.COMPANY, token, account, turn_on=True)
        )
    return _enable_company(company, provider, token, account, acting=acting, vouched=allow_mismatch)


def company_token_is_a_mismatch(
    integration: CompanyIntegration | None, account: LinkedAccount, acting: Membership
) -> bool:
    """A company token asks for confirmation when its account is neither the acting admin's (by
    email) nor the account of the current company token (a new token of the same account is a
    plain rotation)."""
    if integration is not None and integration.has_token and integration.external_id == account.external_id:
        return False
    return email_differs(account.email, acting.user)


@sensitive_variables("token")
def _enable_company(
    company: Company,
    provider: Provider,
    token: str,
    account: LinkedAccount | None,
    *,
    acting: Membership,
    vouched: bool,
    mismatch_confirmed: bool = False,
) -> EnableOutcome:
    with transaction.atomic():
        integration, _ = CompanyIntegration.objects.select_for_update().get_or_create(
            company=company, provider=provider.id
        )
        previous = _account_label(_account_of(integration)) if integration.has_token else ""
        if account:
            if mismatch_confirmed:
                _audit_mismatch(integration, account, acting=acting, tier=PendingLink.Tier.COMPANY, previous=previous)
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
            _audit(
                integration,
                "integration.company_enabled",
                f"{acting.user} turned on {provider.name} for the company",
                acting=acting,
            )
        personal, note = _link_acting_member_by_default(
            integration, acting, token or integration.token, vouched=vouched
        )
        if not was_enabled or account:
            _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(), "company_enabled")
    return EnableOutcome(integration, personal, note)


def _request_syncs(personals: Iterable[UserIntegration], trigger: str) -> None:
    sync_wanted.send(sender=UserIntegration, personals=list(personals), trigger=trigger)


@sensitive_variables("token")
def replace_company_token(
    integration: CompanyIntegration, token: str, *, acting: Membership, allow_mismatch: bool = False
) -> CompanyIntegration:
    """A new company token. One of an account that is neither the acting admin's nor the current
    one is held for confirmation (AccountMismatch)."""
    account = check_token(integration.provider_object, token, installation=integration.installation)
    if not allow_mismatch and company_token_is_a_mismatch(integration, account, acting):
        raise AccountMismatch(
            hold_pending_link(acting, integration.provider, PendingLink.Tier.COMPANY, token, account, turn_on=False)
        )
    return _replace_company_token(integration, token, account, acting=acting)


@sensitive_variables("token")
def _replace_company_token(
    integration: CompanyIntegration,
    token: str,
    account: LinkedAccount,
    *,
    acting: Membership,
    mismatch_confirmed: bool = False,
) -> CompanyIntegration:
    with transaction.atomic():
        integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
        if mismatch_confirmed:
            previous = _account_label(_account_of(integration)) if integration.has_token else ""
            _audit_mismatch(integration, account, acting=acting, tier=PendingLink.Tier.COMPANY, previous=previous)
        _store_company_token(integration, token, account, acting=acting)
        integration.save()
    return integration


@sensitive_variables("token")
def _store_company_token(
    integration: CompanyIntegration, token: str, account: LinkedAccount, *, acting: Membership
) -> None:
    replaced = integration.has_token
    integration.link_account(token, account, timezone.now())
    integration.changed_by = acting
    verb = "replaced" if replaced else "added"
    _audit(
        integration,
        f"integration.company_token_{verb}",
        f"{acting.user} {verb} the company's {integration.get_provider_display()} token "
        f"(ending in {integration.token_last4}, account {account.name or account.username})",
        acting=acting,
        account_id=account.external_id,
    )


@sensitive_variables("token")
def _link_acting_member_by_default(
    integration: CompanyIntegration, acting: Membership, token: str, *, vouched: bool = False
) -> tuple[UserIntegration | None, str]:
    """The admin who turns an integration on gets their own integration active with the same
    token, the first time only, unless its account belongs to a colleague or is not theirs (its
    email differs; a caller that vouches for the account links it anyway)."""
    personal = (
        UserIntegration.objects.select_for_update().filter(company_integration=integration, membership=acting).first()
    )
    if personal is not None:
        return personal, ""  # linked before, or removed on purpose: theirs to decide
    if not vouched and email_differs(integration.external_email, acting.user):
        return personal, (
            f"Your own integration was not linked: the company token belongs to "
            f"{_account_label(_account_of(integration))}, not to you ({acting.user.email}). Paste your "
            f"own token in Your Integration."
        )
    owner_of_account = _member_who_linked(integration, integration.external_id, excluding=acting)
    if owner_of_account:
        return personal, (
            f"Your own integration was not linked: the company token's "
            f"{integration.provider_object.name} account is already "
            f"linked by {owner_of_account.membership.user}. Paste your own token in Your Integration."
        )
    personal = UserIntegration(company_integration=integration, membership=acting)
    personal.link_account(token, _account_of(integration), timezone.now())
    personal.is_enabled = True
    personal.save()
    _audit(
        integration,
        "integration.user_enabled",
        f"{acting.user}'s own {integration.get_provider_display()} integration was turned on with the company token",
        acting=acting,
        member=acting.user.email,
    )
    return personal, ""


def _account_of(integration: CompanyIntegration) -> LinkedAccount:
    return LinkedAccount(
        external_id=integration.external_id,
        name=integration.external_name,
        email=integration.external_email,
        username=integration.external_username,
        project_names=list(integration.project_names),
    )


def _member_who_linked(
    integration: CompanyIntegration, external_id: str, *, excluding: Membership
) -> UserIntegration | None:
    if not external_id:
        return None
    return (
        UserIntegration.objects.filter(company_integration=integration, external_id=external_id)
        .exclude(membership=excluding)
        .select_related("membership__user")
        .first()
    )


@transaction.atomic
def disable_company_integration(integration: CompanyIntegration, *, acting: Membership) -> CompanyIntegration:
    """Turns the integration off for everyone. Personal integrations are kept, gated: they do not
    sync and cannot be switched on until the company integration is on again."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if not integration.is_enabled:
        return integration
    integration.is_enabled = False
    integration.disabled_at = timezone.now()
    integration.changed_by = acting
    integration.save()
    _audit(
        integration,
        "integration.company_disabled",
        f"{acting.user} turned off {integration.get_provider_display()} for the company",
        acting=acting,
    )
    return integration


@transaction.atomic
def remove_company_token(integration: CompanyIntegration, *, acting: Membership) -> CompanyIntegration:
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if integration.is_enabled:
        raise ValidationError("Turn the integration off before removing its token.")
    if not integration.has_token:
        return integration
    last4 = integration.token_last4
    integration.forget_token()
    integration.changed_by = acting
    integration.save()
    _audit(
        integration,
        "integration.company_token_removed",
        f"{acting.user} removed the company's {integration.get_provider_display()} token (ending in {last4})",
        acting=acting,
    )
    return integration


@transaction.atomic
def change_task_scope(integration: CompanyIntegration, scope: str, *, acting: Membership) -> CompanyIntegration:
    """Which items become tasks: assigned and open (default), assigned including done ones, or all
    open items of a person's projects. Applied by each person's next sync."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    if integration.task_scope == scope:
        return integration
    integration.task_scope = scope
    integration.changed_by = acting
    integration.save(update_fields=["task_scope", "changed_by", "updated_at"])
    _audit(
        integration,
        "integration.scope_changed",
        f"{acting.user} set {integration.get_provider_display()} tasks to: {integration.get_task_scope_display()}",
        acting=acting,
        scope=scope,
    )
    # Cursors remember the scope they were read under: the next runs re-read every project.
    _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(), "manual")
    return integration


@transaction.atomic
def rotate_webhook_secret(integration: CompanyIntegration, *, acting: Membership) -> CompanyIntegration:
    """A new webhook URL; the old one stops working at once (404)."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    integration.webhook_secret = new_webhook_secret()
    integration.save(update_fields=["webhook_secret", "updated_at"])
    _audit(
        integration,
        "integration.webhook_rotated",
        f"{acting.user} replaced the {integration.get_provider_display()} webhook URL",
        acting=acting,
    )
    return integration


@transaction.atomic
def new_webhook_signing_secret(
    integration: CompanyIntegration, *, acting: Membership
) -> tuple[CompanyIntegration, str]:
    """For providers that sign deliveries: a new secret to give them (returned once; stored
    encrypted, shown masked). Deliveries signed with the old one are refused from now on."""
    integration = CompanyIntegration.objects.select_for_update().get(pk=integration.pk)
    secret = secrets.token_hex(32)
    integration.webhook_signing_secret = secret
    integration.save(update_fields=["webhook_signing_secret", "updated_at"])
    _audit(
        integration,
        "integration.webhook_secret_replaced",
        f"{acting.user} made a new {integration.get_provider_display()} webhook secret",
        acting=acting,
    )
    return integration, secret


def update_installation_settings(
    company: Company, provider_id: str, values: Mapping[str, Any], *, acting: Membership
) -> CompanyIntegration:
    """The company's installation settings for a provider (base URL, repositories…), as its
    settings form cleaned them. A change queues everyone's sync."""
    provider = registry.get(provider_id)
    with transaction.atomic():
        integration, _ = CompanyIntegration.objects.select_for_update().get_or_create(
            company=company, provider=provider_id
        )
        before = integration.installation
        integration.settings = dict(values)
        integration.changed_by = acting
        integration.save(update_fields=["settings", "changed_by", "updated_at"])
        changed = sorted(key for key in values if before.get(key) != values[key])
        if changed:
            _audit(
                integration,
                "integration.settings_changed",
                f"{acting.user} changed the {provider.name} settings: {', '.join(changed)}",
                acting=acting,
                changed=changed,
            )
            if integration.is_enabled:
                _request_syncs(UserIntegration.objects.filter(company_integration=integration).active(), "manual")
    return integration


# --- Personal integrations ------------------------------------------------------------------


def ensure_company_enabled(
    integration: CompanyIntegration | None, membership: Membership, provider: Provider
) -> CompanyIntegration:
    """The company integration, when it is on; otherwise a ValidationError saying who must turn it on."""
    if integration is None or not integration.is_enabled:
        raise ValidationError(COMPANY_OFF.format(provider=provider.name, company=membership.company))
    return integration


@sensitive_variables("token")
def save_user_token(
    membership: Membership, provider_id: str, token: str, *, turn_on: bool = False, allow_mismatch: bool = False
) -> UserIntegration:
    """Links a person's own account, and switches it on too with `turn_on` (the switch carries the
    pasted token). Refuses an account another member already linked; holds one whose email is not
    the person's for their confirmation (AccountMismatch) unless the caller vouches for it."""
    provider = registry.get(provider_id)
    integration = ensure_company_enabled(company_integration_for(membership.company, provider_id), membership, provider)
    account = check_token(provider, token, installation=integration.installation)
    _refuse_account_linked_by_colleague(integration, account, membership)
    if not allow_mismatch and email_differs(account.email, membership.user):
        raise AccountMismatch(
            hold_pending_link(membership, provider_id, PendingLink.Tier.PERSONAL, token, account, turn_on=turn_on)
        )
    return _store_user_token(integration, membership, token, account, turn_on=turn_on)


@sensitive_variables("token")
def _store_user_token(
    integration: CompanyIntegration,
    membership: Membership,
    token: str,
    account: LinkedAccount,
    *,
    turn_on: bool,
    checked_at: datetime | None = None,
    mismatch_confirmed: bool = False,
) -> UserIntegration:
    provider = integration.provider_object
    try:
        with transaction.atomic():
            _refuse_account_linked_by_colleague(integration, account, membership)
            personal, _ = UserIntegration.objects.select_for_update().get_or_create(
                company_integration=integration, membership=membership
            )
            verb = "replaced" if personal.has_token else "added"
            was_on = personal.is_enabled
            personal.link_account(token, account, checked_at or timezone.now())
            personal.is_enabled = was_on or turn_on
            personal.save()
            if mismatch_confirmed:
                _audit_mismatch(integration, account, acting=membership, tier=PendingLink.Tier.PERSONAL)
            _audit(
                integration,
                f"integration.user_token_{verb}",
                f"{membership.user} {verb} their {provider.name} token (ending in {personal.token_last4}, "
                f"account {account.name or account.username})",
                acting=membership,
                member=membership.user.email,
                account_id=account.external_id,
            )
            if personal.is_enabled and not was_on:
                _audit(
                    integration,
                    "integration.user_enabled",
                    f"{membership.user} turned on their {provider.name} integration",
                    acting=membership,
                    member=membership.user.email,
                )
            if personal.is_enabled:
                _request_syncs([personal], "token_saved" if was_on else "switched_on")
    except IntegrityError:  # a colleague linked the same account at the same instant
        _refuse_account_linked_by_colleague(integration, account, membership)
        raise
    return personal


def _refuse_account_linked_by_colleague(
    integration: CompanyIntegration, account: LinkedAccount, membership: Membership
) -> None:
    colleague = _member_who_linked(integration, account.external_id, excluding=membership)
    if colleague:
        name = integration.provider_object.name
        raise ValidationError(
            {
                "token": (
                    f"Nothing was saved: this token belongs to the {name} account {_account_label(account)}, which "
                    f"{colleague.membership.user} has already linked in {membership.company}, and two people "
                    f"cannot share one {name} account. If that is not you, someone else may be signed in to {name} "
                    f"in this browser: sign out of {name}, sign in as yourself and copy your own token."
                )
            },
            code="account_taken",
        )


@sensitive_variables("token")
def switch_user_integration(
    membership: Membership, provider_id: str, *, on: bool, token: str = ""
) -> UserIntegration | None:
    """The switch of Your Integration, which carries the pasted token: ON with a token links it and
    switches on in one step (or holds it for confirmation); ON without one switches the stored
    token on; OFF switches off. Returns the personal integration (None if there is none)."""
    provider = registry.get(provider_id)
    integration = company_integration_for(membership.company, provider_id)
    personal = (
        UserIntegration.objects.for_membership(membership).filter(company_integration=integration).first()
        if integration
        else None
    )
    if not on:
        return disable_user_integration(personal, acting=membership) if personal else None
    if token:
        return save_user_token(membership, provider_id, token, turn_on=True)
    ensure_company_enabled(integration, membership, provider)
    if personal is None or not personal.has_token:
        raise ValidationError({"token": f"Paste your {provider.token_name} first, then click the switch."})
    return enable_user_integration(personal, acting=membership)


@transaction.atomic
def enable_user_integration(personal: UserIntegration, *, acting: Membership) -> UserIntegration:
    personal = (
        UserIntegration.objects.select_for_update()
        .select_related("company_integration", "membership__company")
        .get(pk=personal.pk)
    )
    provider = personal.company_integration.provider_object
    ensure_company_enabled(personal.company_integration, personal.membership, provider)
    if not personal.has_token:
        raise ValidationError(f"Paste your {provider.token_name} first, then click the switch.")
    if personal.status == Status.TOKEN_REJECTED:
        raise ValidationError(
            {"token": f"{provider.name} rejected your token. Paste a new one, then click the switch."}
        )
    if not personal.is_enabled:
        personal.is_enabled = True
        personal.save(update_fields=["is_enabled", "updated_at"])
        _audit(
            personal.company_integration,
            "integration.user_enabled",
            f"{personal.membership.user} turned on their {provider.name} integration",
            acting=acting,
            member=personal.membership.user.email,
        )
        _request_syncs([personal], "switched_on")
    return personal


@transaction.atomic
def disable_user_integration(personal: UserIntegration, *, acting: Membership) -> UserIntegration:
    """Stops syncing for this person; their tasks and tracked time stay."""
    personal = UserIntegration.objects.select_for_update().get(pk=personal.pk)
    if personal.is_enabled:
        personal.is_enabled = False
        personal.save(update_fields=["is_enabled", "updated_at"])
        _audit(
            personal.company_integration,
            "integration.user_disabled",
            f"{personal.membership.user} turned off their {personal.company_integration.get_provider_display()} "
            "integration",
            acting=acting,
            member=personal.membership.user.email,
        )
    return personal


@transaction.atomic
def remove_user_token(personal: UserIntegration, *, acting: Membership) -> UserIntegration:
    personal = UserIntegration.objects.select_for_update().get(pk=personal.pk)
    if not personal.has_token:
        return personal
    last4 = personal.token_last4
    personal.forget_token()
    personal.is_enabled = False
    personal.save()
    _audit(
        personal.company_integration,
        "integration.user_token_removed",
        f"{personal.membership.user} removed their {personal.company_integration.get_provider_display()} token "
        f"(ending in {last4})",
        acting=acting,
        member=personal.membership.user.email,
    )
    return personal
