"""Who sees whose time, the one rule: owners and admins everyone in the company (deactivated members
included: their time stays), a manager the people assigned to them and themselves, a user only
themselves. The members page and every report (tracking/reports/) start from `visible_people()`."""

from django.db.models import Q

from .models import Membership


def visible_people(membership):
    """The memberships whose time `membership` may see (deactivated ones included)."""
    if membership is None:
        return Membership.objects.none()
    people = Membership.objects.for_company(membership.company_id)
    if membership.is_company_admin:
        return people
    if membership.role == Membership.Role.MANAGER:
        managed = Membership.objects.for_company(membership.company_id).filter(managers=membership).values("pk")
        return people.filter(Q(pk=membership.pk) | Q(pk__in=managed))
    return people.filter(pk=membership.pk)
