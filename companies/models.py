import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .managers import AuditEventQuerySet, InvitationQuerySet, MembershipQuerySet, UserManager
from .time_zones import validate_time_zone


class User(AbstractBaseUser):
    """A person. People sign in with their email address; what they may do depends on the
    membership of the company they are working in. How they read time (their zone, their unit of
    hours) is theirs, in every company they belong to (companies/preferences.py)."""

    class DurationFormat(models.TextChoices):
        DECIMAL = "decimal", "Decimal hours (2.50)"
        HOURS_MINUTES = "hm", "Hours and minutes (2:30)"

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Blank: the time zone of the company you are working in.",
    )
    duration_format = models.CharField(
        "hours as", max_length=8, choices=DurationFormat.choices, default=DurationFormat.DECIMAL
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Company(models.Model):
    """The tenant. Nothing of one company is ever visible to another."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    # Validated, not enumerated: the names come from the machine's tz database (companies/time_zones.py).
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Reports cut days at midnight in this zone.",
    )
    logo = models.ImageField(upload_to="company-logos/", blank=True)
    allow_manual_time = models.BooleanField(
        "people may add, edit and delete time by hand",
        default=False,
        help_text="Manual entries are marked as such in every report.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name

    @property
    def initials(self):
        words = [word for word in self.name.split() if word]
        return "".join(word[0] for word in words[:2]).upper() or "?"


class Membership(models.Model):
    """Ties a person to a company with a role."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MANAGER = "manager", "Manager"
        USER = "user", "User"

    ADMIN_ROLES = (Role.OWNER, Role.ADMIN)
    REVIEWER_ROLES = (Role.OWNER, Role.ADMIN, Role.MANAGER)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    is_active = models.BooleanField(default=True)
    managers = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="managed_members",
        help_text="Managers who review this member's time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="membership_unique_person")]
        ordering = ["user__full_name", "user__email"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()} at {self.company})"

    @property
    def is_company_admin(self):
        return self.role in self.ADMIN_ROLES

    @property
    def is_reviewer(self):
        return self.role in self.REVIEWER_ROLES

    @property
    def can_have_managers(self):
        return self.role in (self.Role.USER, self.Role.MANAGER)


class Invitation(models.Model):
    """An emailed link that lets a person set a password and join a company with a role.
    Only a hash of the link's secret is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices, default=Membership.Role.USER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.company}"

    @property
    def status(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AuditEvent(models.Model):
    """Who changed what in a company, and when. Never holds a secret."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=64)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.summary
