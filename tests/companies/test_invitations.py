import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from companies.models import AuditEvent, Invitation, Membership, User
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "full_name": "Ben Okafor",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Posts the invite form; the email leaves when the transaction commits, as in production."""

    def send(client, email="ben@acme.example", role="user"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("companies:invite"), {"email": email, "role": role})

    return send


def link_from_last_email():
    return re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def test_an_invited_person_sets_a_password_and_joins_with_the_role(invite, client_for, client, admin):
    response = invite(client_for(admin), role="manager")

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ben@acme.example"] and "Acme Corp" in mail.outbox[-1].subject
    accepted = client.post(link_from_last_email(), NEW_PERSON)

    assert accepted.status_code == 302
    membership = Membership.objects.get(user__email="ben@acme.example")
    assert membership.company == admin.company and membership.role == Membership.Role.MANAGER
    assert membership.user.check_password(NEW_PERSON["password1"])
    assert client.get(reverse("dashboard")).context["membership"] == membership
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_the_raw_invitation_secret_is_not_stored(invite, client_for, admin):
    invite(client_for(admin))
    secret = link_from_last_email().split("/")[2]

    assert not Invitation.objects.filter(token_hash=secret).exists()
    assert Invitation.objects.get().token_hash != secret


def test_a_used_invitation_cannot_be_used_again(invite, client_for, client, admin):
    invite(client_for(admin))
    link = link_from_last_email()
    client.post(link, NEW_PERSON)

    again = client.post(link, {**NEW_PERSON, "full_name": "Someone Else"})

    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert Membership.objects.filter(user__email="ben@acme.example").count() == 1


def test_an_expired_invitation_is_refused(invite, client_for, client, admin):
    invite(client_for(admin))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(link_from_last_email(), NEW_PERSON)

    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="ben@acme.example").exists()


def test_a_revoked_invitation_is_refused(invite, client_for, client, admin):
    admin_client = client_for(admin)
    invite(admin_client)
    admin_client.post(reverse("companies:revoke-invitation", args=[Invitation.objects.get().code]))

    response = client.get(link_from_last_email())

    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_a_made_up_link_is_refused(client):
    response = client.get("/invitations/not-a-real-token/")

    assert response.status_code == 410 and "not valid" in response.content.decode()


def test_a_weak_password_is_refused_and_nothing_is_created(invite, client_for, client, admin):
    invite(client_for(admin))

    response = client.post(link_from_last_email(), {**NEW_PERSON, "password1": "12345678", "password2": "12345678"})

    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ben@acme.example").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("email", "message"), [("ana@acme.example", "already a member"), ("not-an-email", "valid email")]
)
def test_inviting_a_member_or_a_bad_address_is_refused(invite, client_for, admin, member, email, message):
    response = invite(client_for(admin), email=email)

    assert response.status_code == 400 and message in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_second_pending_invitation_for_the_same_address_is_refused(invite, client_for, admin):
    client = client_for(admin)
    invite(client)

    response = invite(client, email="BEN@acme.example")

    assert response.status_code == 400 and "pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_only_an_owner_may_invite_an_owner(invite, client_for, admin, owner):
    refused = invite(client_for(admin), role="owner")
    allowed = invite(client_for(owner), email="co-owner@acme.example", role="owner")

    assert refused.status_code == 400 and "Only an owner" in refused.content.decode()
    assert allowed.status_code == 302
    assert list(Invitation.objects.values_list("email", flat=True)) == ["co-owner@acme.example"]


def test_someone_with_an_account_elsewhere_joins_with_their_own_password(invite, client_for, admin, outsider):
    invite(client_for(admin), email=outsider.user.email)
    link = link_from_last_email()
    client = client_for(outsider)

    client.post(link)

    joined = Membership.objects.get(user=outsider.user, company=admin.company)
    assert joined.role == Membership.Role.USER
    assert joined.user.check_password(PASSWORD)


def test_an_existing_account_that_is_not_signed_in_is_asked_to_sign_in(invite, client_for, client, admin, outsider):
    invite(client_for(admin), email=outsider.user.email)

    page = client.get(link_from_last_email())

    assert "Sign in as otto@globex.example" in page.content.decode()
    assert client.post(link_from_last_email()).status_code == 302
    assert not Membership.objects.filter(user=outsider.user, company=admin.company).exists()


def test_managers_and_users_cannot_invite(invite, client_for, manager, member):
    for membership in (manager, member):
        assert invite(client_for(membership)).status_code == 403
    assert not Invitation.objects.exists()


def test_another_companys_invitation_cannot_be_revoked(invite, client_for, admin, outsider):
    invite(client_for(admin))
    invitation = Invitation.objects.get()

    response = client_for(outsider).post(reverse("companies:revoke-invitation", args=[invitation.code]))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_member_of_another_company_sees_no_pending_invitations_of_ours(invite, client_for, admin, outsider):
    invite(client_for(admin))
    MembershipFactory(company=outsider.company, role=Membership.Role.ADMIN)

    page = client_for(outsider).get(reverse("companies:members"))

    assert "ben@acme.example" not in page.content.decode()


def test_an_admin_cannot_revoke_an_owners_invitation(invite, client_for, owner, admin):
    invite(client_for(owner), email="co-owner@acme.example", role="owner")
    invitation = Invitation.objects.get()

    page = client_for(admin).post(reverse("companies:revoke-invitation", args=[invitation.code]), follow=True)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None and "Only an owner can revoke" in page.content.decode()


def test_an_owner_invitation_dies_when_its_sender_is_no_longer_an_owner(invite, client_for, client, owner, company):
    invite(client_for(owner), email="co-owner@acme.example", role="owner")
    link = link_from_last_email()
    MembershipFactory(company=company, role=Membership.Role.OWNER)  # someone else keeps the company owned
    owner.role = Membership.Role.ADMIN
    owner.save()

    response = client.post(link, NEW_PERSON)

    assert response.status_code == 410 and "no longer an owner" in response.content.decode()
    assert not Membership.objects.filter(user__email="co-owner@acme.example").exists()


@pytest.mark.parametrize("role", ["admin", "manager", "user"])
def test_an_invitation_dies_when_its_sender_is_deactivated(invite, client_for, client, owner, admin, role):
    invite(client_for(admin), email="new@acme.example", role=role)
    link = link_from_last_email()
    client_for(owner).post(reverse("companies:deactivate", args=[admin.code]))

    response = client.post(link, NEW_PERSON)

    assert response.status_code == 410 and "may no longer invite" in response.content.decode()
    assert not User.objects.filter(email="new@acme.example").exists()


def test_an_invitation_dies_when_its_sender_is_no_longer_an_admin(invite, client_for, client, owner, admin):
    invite(client_for(admin), email="new@acme.example", role="admin")
    link = link_from_last_email()
    client_for(owner).post(reverse("companies:change-role", args=[admin.code]), {"role": "manager"})

    response = client.post(link, NEW_PERSON)

    assert response.status_code == 410
    assert not Membership.objects.filter(user__email="new@acme.example").exists()


def test_an_invitation_of_a_sender_who_still_may_invite_works(invite, client_for, client, owner, admin):
    invite(client_for(admin), email="new@acme.example", role="admin")
    link = link_from_last_email()
    client_for(owner).post(reverse("companies:change-role", args=[admin.code]), {"role": "owner"})

    assert client.post(link, NEW_PERSON).status_code == 302
    assert Membership.objects.get(user__email="new@acme.example").role == Membership.Role.ADMIN


def test_invitation_emails_to_one_address_are_limited_per_hour(invite, client_for, admin, settings):
    settings.INVITATION_EMAILS_PER_HOUR = 2
    client = client_for(admin)
    answers = []
    for _ in range(3):
        answers.append(invite(client, email="ben@acme.example"))
        if Invitation.objects.pending(timezone.now()).exists():
            client.post(reverse("companies:revoke-invitation", args=[Invitation.objects.latest("created_at").code]))

    assert [answer.status_code for answer in answers] == [302, 302, 400]
    assert "Too many invitations" in answers[-1].content.decode()
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2


def test_an_invitation_whose_email_cannot_be_sent_is_not_saved_nor_reported_as_sent(
    invite, client_for, admin, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }

    response = invite(client_for(admin))

    assert response.status_code == 400 and "could not be sent" in response.content.decode()
    assert "Invitation sent" not in response.content.decode()
    assert not Invitation.objects.exists() and not AuditEvent.objects.filter(action="invitation.sent").exists()


def test_a_company_name_stored_with_a_line_break_fails_the_invitation_visibly(invite, client_for, admin, company):
    company.name = "Acme\r\nBcc: everyone@example.com"
    company.save()

    response = invite(client_for(admin))

    assert response.status_code == 400 and "could not be sent" in response.content.decode()
    assert mail.outbox == [] and not Invitation.objects.exists()
