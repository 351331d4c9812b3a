import pytest
from django.urls import reverse

from companies.models import AuditEvent, Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def deactivate(client, membership):
    return client.post(reverse("companies:deactivate", args=[membership.code]), follow=True)


def test_an_admin_deactivates_a_member_who_is_kept_but_cannot_work(client_for, admin, member):
    page = deactivate(client_for(admin), member)

    member.refresh_from_db()
    assert member.is_active is False and member.deactivated_at is not None
    assert Membership.objects.filter(pk=member.pk).exists()
    assert "Their tracked time is kept" in page.content.decode()
    assert AuditEvent.objects.filter(action="member.deactivated").count() == 1
    assert client_for(member).get(reverse("dashboard")).status_code == 302


def test_a_deactivated_member_can_be_reactivated(client_for, admin, member):
    client = client_for(admin)
    deactivate(client, member)

    client.post(reverse("companies:reactivate", args=[member.code]))

    member.refresh_from_db()
    assert member.is_active is True
    assert client_for(member).get(reverse("dashboard")).status_code == 200


def test_the_last_owner_cannot_be_deactivated(client_for, owner):
    page = deactivate(client_for(owner), owner)

    owner.refresh_from_db()
    assert owner.is_active is True and "last owner" in page.content.decode()


def test_an_owner_deactivates_another_owner_while_one_remains(client_for, owner, company):
    co_owner = MembershipFactory(company=company, role=Membership.Role.OWNER)

    deactivate(client_for(owner), co_owner)

    co_owner.refresh_from_db()
    assert co_owner.is_active is False


def test_an_admin_cannot_deactivate_an_owner(client_for, owner, admin, company):
    MembershipFactory(company=company, role=Membership.Role.OWNER)

    page = deactivate(client_for(admin), owner)

    owner.refresh_from_db()
    assert owner.is_active is True and "Only an owner" in page.content.decode()


def test_people_cannot_deactivate_themselves(client_for, admin):
    page = deactivate(client_for(admin), admin)

    admin.refresh_from_db()
    assert admin.is_active is True and "cannot deactivate yourself" in page.content.decode()
