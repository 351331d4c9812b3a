import secrets
import uuid

from django.db import models
from django.db.models import Q

from companies.models import Company, Membership

from . import registry
from .choices import Status
from .fields import EncryptedTextField
from .managers import CompanyIntegrationQuerySet, PendingLinkQuerySet, UserIntegrationQuerySet


class LinkedAccountFields(models.Model):
    """The provider account a token belongs to, as the provider described it when last checked."""

    # As the provider sent them, of any length the provider allows (cleaned of what no database stores).
    external_id = models.CharField(max_length=255, blank=True)
    external_name = models.TextField(blank=True)
    external_email = models.TextField(blank=True)
    external_username = models.TextField(blank=True)
    projects_count = models.PositiveIntegerField(default=0)
    project_names = models.JSONField(default=list, blank=True)
    token = EncryptedTextField(blank=True)
    token_last4 = models.CharField(max_length=4, blank=True)
    token_checked_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OK)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def has_token(self):
        return bool(self.token_last4)

    @property
    def masked_token(self):
        return f"••••••••{self.token_last4}" if self.token_last4 else ""

    def link_account(self, token, account, checked_at):
        self.token = token
        self.token_last4 = token[-4:]
        self.token_checked_at = checked_at
        self.external_id = account.external_id
        self.external_name = account.name
        self.external_email = account.email
        self.external_username = account.username
        self.projects_count = account.projects_count
        self.project_names = list(account.project_names)
        self.status = Status.OK
        self.last_error = ""

    def forget_token(self):
        self.token = ""
        self.token_last4 = ""
        self.token_checked_at = None
        self.external_id = self.external_name = self.external_email = self.external_username = ""
        self.projects_count = 0
        self.project_names = []
        self.status = Status.OK
        self.last_error = ""


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class TaskScope(models.TextChoices):
    """Which of a provider's items become a person's tasks (each provider words them its own way)."""

    OWNED_OPEN = "owned_open", "Open items assigned to the person"
    OWNED_ALL = "owned_all", "Items assigned to the person, done ones included"
    PROJECTS_ALL = "projects_all", "Every open item of the projects the person can see"


class CompanyIntegration(LinkedAccountFields):
    """A provider turned on (or off) for a whole company by an owner or admin."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="integrations", db_index=False)
    provider = models.CharField(max_length=32, choices=registry.as_choices)
    is_enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    enabled_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    task_scope = models.CharField(max_length=20, choices=TaskScope.choices, default=TaskScope.OWNED_OPEN)
    # Part of the activity webhook URL given to the provider; lets in its POSTs, nothing else.
    webhook_secret = models.CharField(max_length=64, unique=True, default=new_webhook_secret)
    # For providers that sign deliveries (GitHub): the secret the company gives them, encrypted.
    webhook_signing_secret = EncryptedTextField(blank=True)
    # The installation settings of the provider's settings form (base URL, repositories…).
    settings = models.JSONField(default=dict, blank=True)

    objects = CompanyIntegrationQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "provider"], name="one_integration_per_provider")]

    def __str__(self):
        return f"{self.get_provider_display()} for {self.company}"

    @property
    def provider_object(self):
        return registry.get(self.provider)

    @property
    def installation(self):
        """The provider's defaults overlaid with this company's settings."""
        return {**self.provider_object.default_settings(), **(self.settings or {})}


class UserIntegration(LinkedAccountFields):
    """A member's own link to a provider. Active only when its switch and the company's are on."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company_integration = models.ForeignKey(
        CompanyIntegration, on_delete=models.CASCADE, related_name="user_integrations", db_index=False
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="integrations")
    is_enabled = models.BooleanField(default=False)

    objects = UserIntegrationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company_integration", "membership"], name="one_link_per_member"),
            models.UniqueConstraint(
                fields=["company_integration", "external_id"],
                condition=~Q(external_id=""),
                name="one_member_per_external_account",
            ),
        ]

    def __str__(self):
        return f"{self.membership.user} on {self.company_integration}"

    @property
    def is_active(self):
        return self.is_enabled and self.company_integration.is_enabled and self.membership.is_active

    @property
    def may_sync(self):
        """This row as `UserIntegration.objects.may_sync()` sees it (managers.py)."""
        return self.is_active and self.has_token and self.status != Status.TOKEN_REJECTED

    @property
    def email_mismatch(self):
        return bool(self.external_email) and self.external_email.lower() != self.membership.user.email.lower()


def new_pending_code():
    return secrets.token_urlsafe(32)


class PendingLink(models.Model):
    """A token whose account is not the person's, held until they confirm it on the confirmation
    page or cancel (or for PENDING_LINK_MINUTES at most). The token is encrypted like every stored
    token and never shown; the page is found through a random code kept in the person's session,
    never through the URL."""

    class Tier(models.TextChoices):
        PERSONAL = "personal", "Your Integration"
        COMPANY = "company", "Company Integrations"

    code = models.CharField(max_length=64, unique=True, default=new_pending_code, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=32, choices=registry.as_choices)
    tier = models.CharField(max_length=10, choices=Tier.choices)
    token = EncryptedTextField()
    # The LinkedAccount the provider described when the token was checked (no secret in it).
    account = models.JSONField(default=dict)
    # Personal: switch the integration on once linked. Company: turn the integration on (else
    # only replace its token).
    turn_on = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = PendingLinkQuerySet.as_manager()

    def __str__(self):
        return f"{self.get_tier_display()} {self.get_provider_display()} link awaiting {self.membership.user}"

    @property
    def provider_object(self):
        return registry.get(self.provider)
