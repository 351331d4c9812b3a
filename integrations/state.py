"""The one answer to "what state is this person's integration in?".

`state_of(provider, integration, personal, company_name=…)` decides, from the rows alone (no query, no side effect),
one of five states; the switch, its text, the status panel, the Sync now button and the dashboard
banner all read it, so they never disagree:

- ``company_off``: the company integration is missing or off (the person's own switch may be on:
  it resumes by itself when the company turns the integration on again);
- ``not_linked``: no token yet;
- ``token_rejected``: the provider refused the stored token: nothing syncs until a new one is pasted;
- ``switched_off``: linked, switched off by the person;
- ``active``: linked, switched on, company on: the person's items sync.

`state_for(membership, provider)` and `states_for(membership)` read the rows and ask `state_of`.
"""

from dataclasses import dataclass

from companies.models import Membership

from . import registry
from .models import CompanyIntegration, Status, UserIntegration
from .providers.base import Provider

COMPANY_OFF = "company_off"
NOT_LINKED = "not_linked"
TOKEN_REJECTED = "token_rejected"
SWITCHED_OFF = "switched_off"
ACTIVE = "active"

BADGES = {
    COMPANY_OFF: ("Off for the company", "warn"),
    NOT_LINKED: ("Not linked", "off"),
    TOKEN_REJECTED: ("Token rejected", "error"),
    SWITCHED_OFF: ("Switched off", "off"),
    ACTIVE: ("Active", "ok"),
}


def your_items(provider: Provider) -> str:
    """ "Pivotal Tracker stories", but "GitHub Issues" (not "GitHub Issues issues")."""
    if provider.name.lower().endswith(provider.items_name.lower()):
        return provider.name
    return f"{provider.name} {provider.items_name}"


@dataclass(frozen=True)
class IntegrationState:
    key: str
    provider: Provider
    company_name: str
    personal: UserIntegration | None = None

    # --- The switch ---------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.key == ACTIVE

    @property
    def is_on(self) -> bool:
        """The switch shows ON only when the person's items really sync."""
        return self.key == ACTIVE

    @property
    def can_switch(self) -> bool:
        return self.key != COMPANY_OFF

    @property
    def takes_token(self) -> bool:
        """The switch's form carries a token field: pasting and switching ON are one action."""
        return self.key in (NOT_LINKED, TOKEN_REJECTED, SWITCHED_OFF)

    @property
    def is_waiting_for_company(self) -> bool:
        return self.key == COMPANY_OFF and bool(self.personal and self.personal.has_token and self.personal.is_enabled)

    @property
    def switch_text(self) -> str:
        name, token = self.provider.name, self.provider.token_name
        if self.key == ACTIVE:
            return f"Active: your {your_items(self.provider)} sync."
        if self.key == COMPANY_OFF:
            if self.is_waiting_for_company:
                return (
                    f"On, but waiting for the company integration: {name} is off for {self.company_name}, so "
                    "nothing syncs. It resumes by itself when an owner or admin turns it on again."
                )
            return f"Cannot be switched on until the company integration is on: {name} is off for {self.company_name}."
        if self.key == TOKEN_REJECTED:
            return f"Stopped: {name} rejected your token, so nothing syncs. Paste a new {token}, then click the switch."
        if self.key == NOT_LINKED:
            return f"Not linked yet: paste your {token}, then click the switch to turn it ON."
        return "Off: nothing syncs. Click the switch to turn it ON. Your tasks and tracked time are kept."

    @property
    def badge(self) -> str:
        if self.is_waiting_for_company:
            return "Waiting for the company integration"
        return BADGES[self.key][0]

    @property
    def badge_class(self) -> str:
        return BADGES[self.key][1]

    # --- The sync panel and Sync now ------------------------------------------------------
    @property
    def can_sync(self) -> bool:
        return self.key == ACTIVE

    @property
    def sync_refusal(self) -> str:
        """Why "Sync now" cannot start, in words; "" when it can."""
        name = self.provider.name
        if self.key == COMPANY_OFF:
            return (
                f"{name} is turned off for {self.company_name}, so nothing syncs until an owner or admin turns "
                "it on again."
            )
        if self.key == NOT_LINKED:
            return f"Paste your {self.provider.token_name} and switch your integration on first."
        if self.key == TOKEN_REJECTED:
            return f"{name} rejected your token, so nothing syncs: paste a new one and switch it on first."
        if self.key == SWITCHED_OFF:
            return "Switch your integration on first: only an active integration syncs."
        return ""

    @property
    def next_run_note(self) -> str:
        """What the status panel says instead of a next scheduled run when none is due."""
        if self.key == COMPANY_OFF:
            return "None while the company integration is off"
        if self.key == TOKEN_REJECTED:
            return "None: your token was rejected"
        if self.key == SWITCHED_OFF:
            return "None while your integration is off"
        return "None while your integration is not linked"

    # --- The dashboard banner -------------------------------------------------------------
    @property
    def banner(self) -> str:
        """A line for the dashboard when something the person set up does not sync ("" otherwise)."""
        name, items = self.provider.name, self.provider.items_name
        if self.key == TOKEN_REJECTED:
            return (
                f"{name} rejected your token: your {items} no longer sync. Paste a new token in Your "
                "Integration and switch it on."
            )
        if self.is_waiting_for_company:
            return (
                f"{name} is turned off for {self.company_name}: your {items} do not sync until an owner or "
                "admin turns it on again."
            )
        return ""

    @property
    def banner_class(self) -> str:
        return "error" if self.key == TOKEN_REJECTED else "warn"


def state_of(
    provider: Provider, integration: CompanyIntegration | None, personal: UserIntegration | None, *, company_name: str
) -> IntegrationState:
    """The state of one person's integration with one provider, from its rows (either may be None)."""
    if integration is None or not integration.is_enabled:
        key = COMPANY_OFF
    elif personal is None or not personal.has_token:
        key = NOT_LINKED
    elif personal.status == Status.TOKEN_REJECTED:
        key = TOKEN_REJECTED
    elif not personal.is_enabled or not personal.membership.is_active:
        key = SWITCHED_OFF
    else:
        key = ACTIVE
    return IntegrationState(key=key, provider=provider, company_name=company_name, personal=personal)


# --- Reading the rows -----------------------------------------------------------------------


def state_for(membership: Membership, provider: Provider) -> IntegrationState:
    """The state of this member's integration with this provider (two queries)."""
    integration = CompanyIntegration.objects.for_company(membership.company).filter(provider=provider.id).first()
    personal = None
    if integration is not None:
        personal = (
            UserIntegration.objects.for_membership(membership)
            .filter(company_integration=integration)
            .select_related("company_integration", "membership__user")
            .first()
        )
    return state_of(provider, integration, personal, company_name=membership.company.name)


def states_for(membership: Membership) -> list[IntegrationState]:
    """The state of each provider for this member, in registry order (two queries in all)."""
    integrations = {row.provider: row for row in CompanyIntegration.objects.for_company(membership.company)}
    personals = {
        row.company_integration.provider: row
        for row in UserIntegration.objects.for_membership(membership).select_related(
            "company_integration", "membership__user"
        )
    }
    return [
        state_of(
            provider, integrations.get(provider.id), personals.get(provider.id), company_name=membership.company.name
        )
        for provider in registry.all()
    ]
