"""Business rules for companies and their people. Views and commands call these; each one is
atomic and leaves an audit row for every change an admin makes."""

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import throttling
from .form_fields import refuse_control_characters
from .models import AuditEvent, Company, Invitation, Membership, User
from .time_zones import validate_time_zone

log = logging.getLogger(__name__)
# What a mail server that is down or refuses raises, and a header with a line break (ValueError): the
# email was not sent.
MAIL_ERRORS = (smtplib.SMTPException, OSError, ValueError)

Role = Membership.Role


def record_audit_event(
    company: Company, action: str, summary: str, *, actor: Membership | None = None, **details: Any
) -> AuditEvent:
    return AuditEvent.objects.create(company=company, actor=actor, action=action, summary=summary, details=details)


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def _check_names(**names: str) -> None:
    for field, value in names.items():
        try:
            refuse_control_characters(value)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None


def _taken(slug: str, owner_email: str) -> ValidationError | None:
    if Company.objects.filter(slug=slug).exists():
        return ValidationError({"slug": f"The address “{slug}” is already taken by another company."})
    if email_is_taken(owner_email):
        return ValidationError({"email": "An account with this email address already exists. Sign in instead."})
    return None


@transaction.atomic
def create_company(
    *, name: str, slug: str, time_zone: str, owner_name: str, owner_email: str, owner_password: str | None
) -> Membership:
    """A new tenant with its first owner. Used by sign-up and by `manage.py create_company`. Two at
    once with the same address or email: one wins, the other gets the same error as if it came later."""
    _check_names(name=name, full_name=owner_name)
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    if taken := _taken(slug, owner_email):
        raise taken
    try:
        with transaction.atomic():
            company = Company.objects.create(name=name, slug=slug, time_zone=time_zone)
            user = User.objects.create_user(email=owner_email, password=owner_password, full_name=owner_name)
            owner = Membership.objects.create(company=company, user=user, role=Role.OWNER)
    except IntegrityError:
        # Another sign-up committed the same slug or email between the check and the insert.
        if taken := _taken(slug, owner_email):
            raise taken from None
        raise
    record_audit_event(company, "company.created", f"{user} created the company", actor=owner)
    return owner


# --- Sign-up by email ------------------------------------------------------------------------
# Step one emails a signed link (company, address, time zone, name and email: nothing secret, and
# nothing stored); step two, behind the link, chooses the password and creates the company. An
# address that already has an account gets a note instead, and the page says the same either way.

SIGNUP_SALT = "companies.signup"
SIGNUP_FIELDS = ("company_name", "slug", "time_zone", "full_name", "email")


def _send(subject: str, template: str, context: Mapping[str, Any], recipient: str) -> None:
    """Sends one email; a failure to send is a ValidationError, never a page saying it was sent."""
    message = render_to_string(template, context)
    try:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[recipient])
    except MAIL_ERRORS as error:
        log.warning("Could not send “%s”: %s", subject, type(error).__name__)
        raise ValidationError(
            "The email could not be sent. Check the address, or try again in a few minutes.", code="email_failed"
        ) from None


def _site_url(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def request_signup(data: Mapping[str, str]) -> None:
    """Emails the link that finishes a sign-up, or, when the email already has an account, a note
    to its owner. Both count against the address's email limit."""
    email = data["email"].strip().lower()
    if not throttling.account_emails.hit(email):
        raise ValidationError(
            "Too many emails were sent to this address in the last hour. Try again later.", code="rate_limited"
        )
    if email_is_taken(email):
        _send(
            "You already have a Time Doctor account",
            "companies/email/signup_existing.txt",
            {"login_url": _site_url("login"), "reset_url": _site_url("password_reset")},
            email,
        )
        return
    token = signing.dumps(
        {field: data[field] for field in SIGNUP_FIELDS} | {"email": email}, salt=SIGNUP_SALT, compress=True
    )
    _send(
        f"Finish creating {data['company_name']} on Time Doctor",
        "companies/email/signup.txt",
        {
            "company_name": data["company_name"],
            "url": _site_url("signup-confirm", token),
            "days": settings.SIGNUP_LINK_MAX_AGE.days,
        },
        email,
    )


def read_signup(token: str) -> dict[str, str] | None:
    """What a sign-up link asks to create, or None for a link that is not ours or too old."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and set(SIGNUP_FIELDS) <= set(data) else None


def finish_signup(data: Mapping[str, str], *, password: str) -> Membership:
    return create_company(
        name=data["company_name"],
        slug=data["slug"],
        time_zone=data["time_zone"],
        owner_name=data["full_name"],
        owner_email=data["email"],
        owner_password=password,
    )


@transaction.atomic
def add_member(
    company: Company,
    *,
    email: str,
    role: str,
    full_name: str = "",
    password: str | None = None,
    acting: Membership | None = None,
) -> Membership:
    """Adds a person directly (for self-hosters' scripts); creates the account if needed."""
    _check_names(full_name=full_name)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
    elif Membership.objects.filter(company=company, user=user).exists():
        raise ValidationError({"email": f"{email} is already a member of {company}."})
    membership = Membership.objects.create(company=company, user=user, role=role)
    record_audit_event(
        company, "member.added", f"{user} joined as {membership.get_role_display()}", actor=acting, member=user.email
    )
    return membership


# --- Invitations ----------------------------------------------------------------------------


def _hash_invitation_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def find_invitation(raw_token: str) -> Invitation | None:
    """The invitation behind a link, or None. Lookups go by hash: the secret is never stored."""
    return (
        Invitation.objects.select_related("company", "invited_by")
        .filter(token_hash=_hash_invitation_token(raw_token))
        .first()
    )


@transaction.atomic
def invite_member(company: Company, *, email: str, role: str, invited_by: Membership) -> tuple[Invitation, str]:
    """Saves an invitation and emails its link. The email leaves before the transaction commits: if
    it cannot be sent, nothing is saved and the error says so."""
    email = email.strip().lower()
    # One invitation of a company at a time: two at once cannot both find no pending invitation.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    if not _may_invite(invited_by, role):
        raise ValidationError(
            {
                "role": "Only an owner can invite another owner."
                if role == Role.OWNER
                else "Only an owner or an admin can invite people."
            }
        )
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {company}."})
    if Invitation.objects.for_company(company).pending(timezone.now()).filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already has a pending invitation. Revoke it to send a new one."})
    if not throttling.invitation_emails.hit(email):
        raise ValidationError(
            {"email": f"Too many invitations were emailed to {email} in the last hour. Try again later."}
        )
    raw_token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company,
        email=email,
        role=role,
        invited_by=invited_by,
        token_hash=_hash_invitation_token(raw_token),
        expires_at=timezone.now() + settings.INVITATION_MAX_AGE,
    )
    record_audit_event(
        company,
        "invitation.sent",
        f"{invited_by.user} invited {email} as {invitation.get_role_display()}",
        actor=invited_by,
        email=email,
        role=role,
    )
    try:
        _send_invitation_email(invitation, raw_token)
    except ValidationError:
        raise ValidationError(
            {
                "email": f"The invitation email to {email} could not be sent, so no invitation "
                "was saved. Check the address, or try again in a few minutes."
            }
        ) from None
    return invitation, raw_token


def invitation_url(raw_token: str) -> str:
    return _site_url("accept-invitation", raw_token)


def _send_invitation_email(invitation: Invitation, raw_token: str) -> None:
    context = {"invitation": invitation, "url": invitation_url(raw_token), "days": settings.INVITATION_MAX_AGE.days}
    _send(
        f"You are invited to join {invitation.company.name}",
        "companies/email/invitation.txt",
        context,
        invitation.email,
    )


def _may_invite(membership: Membership | None, role: str) -> bool:
    """Whether this membership may (still) invite someone with this role: an active owner or admin,
    and an owner for the owner role."""
    if membership is None or not membership.is_active or not membership.user.is_active:
        return False
    if role == Role.OWNER:
        return membership.role == Role.OWNER
    return membership.role in Membership.ADMIN_ROLES


def check_invitation_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise ValidationError("This invitation link is not valid. Ask for a new invitation.")
    messages = {
        "accepted": "This invitation has already been used. Sign in instead.",
        "revoked": "This invitation was withdrawn. Ask an owner or admin for a new one.",
        "expired": "This invitation has expired. Ask an owner or admin for a new one.",
    }
    if invitation.status in messages:
        raise ValidationError(messages[invitation.status])
    # An invitation lives only as long as its sender's right to send it (deactivated, demoted…).
    if not _may_invite(invitation.invited_by, invitation.role):
        if invitation.role == Role.OWNER:
            raise ValidationError(
                "This invitation can no longer make you an owner: the person who sent it is no "
                "longer an owner. Ask an owner for a new invitation."
            )
        raise ValidationError(
            "This invitation can no longer be used: the person who sent it may no longer invite "
            "people. Ask an owner or admin for a new invitation."
        )


@transaction.atomic
def accept_invitation(
    invitation: Invitation,
    *,
    user: User | None = None,
    full_name: str = "",
    password: str | None = None,
    time_zone: str = "",
) -> Membership:
    """Turns an invitation into a membership. A new person gets an account with the password they
    chose (and their time zone, kept blank when it is the company's, so they follow it); someone who
    already has an account joins with it, and their preferences."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation_usable(invitation)
    if user is None:
        if email_is_taken(invitation.email):
            raise ValidationError("An account with this email already exists. Sign in to accept the invitation.")
        if time_zone:
            validate_time_zone(time_zone)
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            time_zone="" if time_zone == invitation.company.time_zone else time_zone,
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation is for {invitation.email}; you are signed in as {user.email}.")
    if Membership.objects.filter(company=invitation.company, user=user).exists():
        raise ValidationError(f"You are already a member of {invitation.company}.")
    membership = Membership.objects.create(company=invitation.company, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_audit_event(
        invitation.company,
        "invitation.accepted",
        f"{user} accepted the invitation and joined as {membership.get_role_display()}",
        actor=membership,
        email=user.email,
    )
    return membership


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, acting: Membership) -> None:
    if invitation.status != "pending":
        raise ValidationError("Only a pending invitation can be revoked.")
    if invitation.role == Role.OWNER and acting.role != Role.OWNER:
        raise ValidationError("Only an owner can revoke an invitation to become an owner.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit_event(
        invitation.company,
        "invitation.revoked",
        f"{acting.user} revoked the invitation of {invitation.email}",
        actor=acting,
        email=invitation.email,
    )


def purge_expired_invitations(older_than: datetime) -> int:
    """Deletes invitations that expired or were revoked before `older_than` and were never used."""
    stale = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=older_than)
    revoked = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__lt=older_than)
    deleted, _ = stale.delete()
    deleted_revoked, _ = revoked.delete()
    return deleted + deleted_revoked


# --- Roles, managers and deactivation ------------------------------------------------------


def _lock_active_owners(company: Company) -> list[Membership]:
    return list(Membership.objects.select_for_update().filter(company=company, role=Role.OWNER, is_active=True))


def _ensure_not_last_owner(membership: Membership, what: str) -> None:
    owners = _lock_active_owners(membership.company)
    if membership.role == Role.OWNER and membership.is_active and len(owners) <= 1:
        raise ValidationError(
            f"{membership.user} is the last owner of {membership.company} and cannot be {what}. "
            "Make someone else an owner first."
        )


def _ensure_may_manage(target: Membership, acting: Membership, new_role: str | None = None) -> None:
    if target.company_id != acting.company_id:
        raise ValidationError("That person is not a member of your company.")
    touches_owner = target.role == Role.OWNER or new_role == Role.OWNER
    if touches_owner and acting.role != Role.OWNER:
        raise ValidationError("Only an owner can change an owner or make someone an owner.")


@transaction.atomic
def change_role(membership: Membership, role: str, *, acting: Membership) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"“{role}” is not a role.")
    _ensure_may_manage(membership, acting, new_role=role)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER:
        _ensure_not_last_owner(membership, "demoted")
    old_role = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role"])
    if role != Role.MANAGER:
        membership.managed_members.clear()
    record_audit_event(
        membership.company,
        "member.role_changed",
        f"{acting.user} changed {membership.user}'s role from {old_role} to {membership.get_role_display()}",
        actor=acting,
        member=membership.user.email,
        role=role,
    )
    return membership


@transaction.atomic
def set_managers(membership: Membership, managers: Iterable[Membership], *, acting: Membership) -> Membership:
    _ensure_may_manage(membership, acting)
    chosen = list(managers)
    for manager in chosen:
        if manager.company_id != membership.company_id or manager.role != Role.MANAGER or not manager.is_active:
            raise ValidationError(f"{manager.user} is not an active manager of {membership.company}.")
        if manager.pk == membership.pk:
            raise ValidationError("A person cannot manage themselves.")
    membership.managers.set(chosen)
    names = ", ".join(str(manager.user) for manager in chosen) or "nobody"
    record_audit_event(
        membership.company,
        "member.managers_changed",
        f"{acting.user} set {membership.user}'s managers to {names}",
        actor=acting,
        member=membership.user.email,
        managers=[manager.user.email for manager in chosen],
    )
    return membership


@transaction.atomic
def deactivate_member(membership: Membership, *, acting: Membership) -> Membership:
    """The person can no longer sign in to this company; everything they tracked stays."""
    _ensure_may_manage(membership, acting)
    if not membership.is_active:
        return membership
    _ensure_not_last_owner(membership, "deactivated")
    if membership.pk == acting.pk:
        raise ValidationError("You cannot deactivate yourself.")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    record_audit_event(
        membership.company,
        "member.deactivated",
        f"{acting.user} deactivated {membership.user}",
        actor=acting,
        member=membership.user.email,
    )
    return membership


@transaction.atomic
def reactivate_member(membership: Membership, *, acting: Membership) -> Membership:
    _ensure_may_manage(membership, acting)
    if membership.is_active:
        return membership
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    record_audit_event(
        membership.company,
        "member.reactivated",
        f"{acting.user} reactivated {membership.user}",
        actor=acting,
        member=membership.user.email,
    )
    return membership


@transaction.atomic
def update_company(company: Company, *, acting: Membership, changed_fields: Collection[str]) -> Company:
    """Saves a company whose fields a validated form already set. A replaced or removed logo's file
    is deleted once the change is committed."""
    old_logo = ""
    if "logo" in changed_fields:
        old_logo = Company.objects.filter(pk=company.pk).values_list("logo", flat=True).first() or ""
    company.save()
    if old_logo and old_logo != company.logo.name:
        storage = company.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    record_audit_event(
        company,
        "company.updated",
        f"{acting.user} updated the company settings",
        actor=acting,
        fields=sorted(changed_fields),
    )
    return company


# --- A person's preferences ----------------------------------------------------------------


@transaction.atomic
def update_preferences(user: User, *, acting: Membership, time_zone: str, duration_format: str) -> User:
    """How `user` reads time (their zone, blank for the company's, and their unit of hours). The
    change is recorded in the audit log of the company it was made in; nothing when nothing changed."""
    if time_zone:
        validate_time_zone(time_zone)
    if duration_format not in User.DurationFormat.values:
        raise ValidationError({"duration_format": f"“{duration_format}” is not a way of writing hours."})
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = {
        name: value
        for name, value in (("time_zone", time_zone), ("duration_format", duration_format))
        if getattr(user, name) != value
    }
    if not changed:
        return user
    for name, value in changed.items():
        setattr(user, name, value)
    user.save(update_fields=sorted(changed))
    zone = time_zone or f"the company's zone ({acting.company.time_zone})"
    unit = User.DurationFormat(duration_format).label.lower()
    record_audit_event(
        acting.company,
        "person.preferences_changed",
        f"{user} changed their preferences: times in {zone}, {unit}",
        actor=acting,
        member=user.email,
        **changed,
    )
    return user
