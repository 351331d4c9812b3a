"""Tenant-scoped querysets: every lookup of tenant data starts from one of these."""

from django.contrib.auth.base_user import BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class CompanyScopedQuerySet(models.QuerySet):
    """The one tenant scope: `.for_company(company)` keeps that company's rows, and no company at
    all means no rows. Every app's tenant data uses it; `company_field` is the path to the company
    when a model reaches it through another row."""

    company_field = "company"

    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(**{self.company_field: company})


class MembershipQuerySet(CompanyScopedQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def with_roles(self, *roles):
        return self.filter(role__in=roles)


class InvitationQuerySet(CompanyScopedQuerySet):
    def pending(self, now):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class AuditEventQuerySet(CompanyScopedQuerySet):
    pass
