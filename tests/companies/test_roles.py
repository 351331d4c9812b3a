import pytest
from django.urls import reverse

from companies.models import AuditEvent, Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def change_role(client, membership, role):
    return client.post(reverse("companies:change-role", args=[membership.code]), {"role": role}, follow=True)


def test_an_admin_changes_a_members_role_and_it_is_audited(client_for, admin, member):
    page = change_role(client_for(admin), member, "manager")

    member.refresh_from_db()
    assert member.role == Role.MANAGER
    assert "Ana Ruiz is now Manager" in page.content.decode()
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.actor == admin and "from User to Manager" in event.summary


def test_the_last_owner_cannot_be_demoted(client_for, owner):
    page = change_role(client_for(owner), owner, "admin")

    owner.refresh_from_db()
    assert owner.role == Role.OWNER
    assert "last owner" in page.content.decode()


def test_an_owner_can_be_demoted_when_another_owner_remains(client_for, owner, company):
    second = MembershipFactory(company=company, role=Role.OWNER)

    change_role(client_for(owner), second, "admin")

    second.refresh_from_db()
    assert second.role == Role.ADMIN


def test_an_admin_cannot_touch_an_owner_or_make_one(client_for, owner, admin, member):
    client = client_for(admin)

    demote = change_role(client, owner, "user")
    promote = change_role(client, member, "owner")

    owner.refresh_from_db(), member.refresh_from_db()
    assert (owner.role, member.role) == (Role.OWNER, Role.USER)
    assert "Only an owner" in demote.content.decode() and "Only an owner" in promote.content.decode()


def test_an_unknown_role_is_refused(client_for, admin, member):
    page = change_role(client_for(admin), member, "emperor")

    member.refresh_from_db()
    assert member.role == Role.USER and "Choose one of the roles" in page.content.decode()


def test_an_admin_assigns_users_to_a_manager(client_for, admin, manager, member):
    client_for(admin).post(reverse("companies:set-managers", args=[member.code]), {"managers": [manager.pk]})

    assert list(member.managers.all()) == [manager]
    assert list(manager.managed_members.all()) == [member]


def test_a_manager_of_another_company_cannot_be_assigned(client_for, admin, member, other_company):
    foreign_manager = MembershipFactory(company=other_company, role=Role.MANAGER)

    page = client_for(admin).post(
        reverse("companies:set-managers", args=[member.code]), {"managers": [foreign_manager.pk]}, follow=True
    )

    assert member.managers.count() == 0
    assert "Choose managers from the list" in page.content.decode()


def test_a_manager_sees_only_the_people_they_manage(client_for, admin, manager, member, company):
    unmanaged = MembershipFactory(company=company, user__full_name="Zed Unmanaged")
    client_for(admin).post(reverse("companies:set-managers", args=[member.code]), {"managers": [manager.pk]})

    page = client_for(manager).get(reverse("companies:members")).content.decode()

    assert "Ana Ruiz" in page and "Zed Unmanaged" not in page
    assert unmanaged.user.email not in page


def test_demoting_a_manager_releases_the_people_they_managed(client_for, admin, manager, member):
    member.managers.add(manager)

    change_role(client_for(admin), manager, "user")

    assert member.managers.count() == 0


def test_a_manager_id_too_large_for_any_database_changes_nothing(client_for, admin, member):
    page = client_for(admin).post(
        reverse("companies:set-managers", args=[member.code]), {"managers": ["99999999999999999999999"]}, follow=True
    )

    assert page.status_code == 200 and "Choose managers from the list" in page.content.decode()
    assert member.managers.count() == 0


def test_a_manager_with_two_managers_is_listed_once(client_for, admin, manager, company):
    boss, other_boss = (MembershipFactory(company=company, role=Role.MANAGER) for _ in range(2))
    manager.managers.add(boss, other_boss)

    page = client_for(manager).get(reverse("companies:members"))

    assert list(page.context["memberships"]).count(manager) == 1


def test_an_admin_can_assign_managers_to_a_manager(client_for, admin, manager, company):
    boss = MembershipFactory(company=company, role=Role.MANAGER)

    html = client_for(admin).get(reverse("companies:members")).content.decode()
    client_for(admin).post(reverse("companies:set-managers", args=[manager.code]), {"managers": [boss.pk]})

    assert f'action="/members/{manager.code}/managers/"' in html
    assert list(manager.managers.all()) == [boss]
