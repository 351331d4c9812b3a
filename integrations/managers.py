from django.db import models
from django.utils import timezone

from companies.managers import CompanyScopedQuerySet

from .choices import Status


class CompanyIntegrationQuerySet(CompanyScopedQuerySet):
    pass


class UserIntegrationQuerySet(CompanyScopedQuerySet):
    company_field = "company_integration__company"

    def for_membership(self, membership):
        if membership is None:
            return self.none()
        return self.filter(membership=membership)

    def active(self):
        """The one definition of an active personal integration: its own switch and the company
        switch are both on, and the person is still an active member."""
        return self.filter(is_enabled=True, company_integration__is_enabled=True, membership__is_active=True)

    def may_sync(self):
        """The one definition of the personal integrations a sync may run for: active, with a token
        the provider has not rejected (`UserIntegration.may_sync` says it of one row)."""
        return self.active().exclude(status=Status.TOKEN_REJECTED).exclude(token_last4="")


class PendingLinkQuerySet(models.QuerySet):
    def for_membership(self, membership):
        if membership is None:
            return self.none()
        return self.filter(membership=membership)

    def live(self):
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())
