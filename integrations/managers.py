from django.db import models
from django.utils import timezone


class CompanyIntegrationQuerySet(models.QuerySet):
    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(company=company)

    def enabled(self):
        return self.filter(is_enabled=True)


class UserIntegrationQuerySet(models.QuerySet):
    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(company_integration__company=company)

    def for_membership(self, membership):
        if membership is None:
            return self.none()
        return self.filter(membership=membership)

    def active(self):
        """The one definition of an active personal integration: its own switch and the company
        switch are both on, and the person is still an active member."""
        return self.filter(is_enabled=True, company_integration__is_enabled=True, membership__is_active=True)


class PendingLinkQuerySet(models.QuerySet):
    def for_membership(self, membership):
        if membership is None:
            return self.none()
        return self.filter(membership=membership)

    def live(self):
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())
