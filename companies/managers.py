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


class MembershipQuerySet(models.QuerySet):
    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(company=company)

    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def with_roles(self, *roles):
        return self.filter(role__in=roles)


class InvitationQuerySet(models.QuerySet):
    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(company=company)

    def pending(self, now):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class AuditEventQuerySet(models.QuerySet):
    def for_company(self, company):
        if company is None:
            return self.none()
        return self.filter(company=company)
