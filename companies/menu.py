"""The left menu and the company (logo) menu. Visibility is decided here, in Python, per role,
so templates only loop over what `is_shown` lets through."""

from dataclasses import dataclass

from django.urls import reverse

from .models import Membership


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    page: str
    roles: tuple = ()  # empty: every member

    def is_shown(self, membership):
        return membership is not None and (not self.roles or membership.role in self.roles)

    @property
    def url(self):
        return reverse(self.url_name)


LEFT_MENU = [
    MenuItem("Dashboard", "dashboard", "dashboard"),
    MenuItem("Reports", "reports:timesheet", "reports"),
    MenuItem("Members", "companies:members", "members", Membership.REVIEWER_ROLES),
    MenuItem("Audit log", "companies:audit-log", "audit-log", Membership.ADMIN_ROLES),
    MenuItem("Company settings", "companies:settings", "company-settings", Membership.ADMIN_ROLES),
    MenuItem("Desktop app", "api-tokens", "api-tokens"),
    MenuItem("Your preferences", "companies:preferences", "preferences"),
]

COMPANY_MENU = [
    MenuItem("Company Integrations", "integrations:company-list", "company-integrations", Membership.ADMIN_ROLES),
    MenuItem("Your Integration", "integrations:mine", "your-integration"),
]


def visible_items(items, membership):
    return [item for item in items if item.is_shown(membership)]
