from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify

from . import logos, throttling
from .form_fields import IdMultipleChoiceField, NameField, TimeZoneField
from .models import Company, Membership, User


class PasswordPairMixin:
    """Two password fields that must match and pass the configured validators."""

    def clean_password_pair(self, user):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
            return
        if password1:
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)


class SignUpForm(forms.Form):
    """Step one of sign-up. Whether the email already has an account is never said here: both kinds
    of address get an email (a link to finish, or a note that the account exists)."""

    company_name = NameField(max_length=120)
    slug = forms.SlugField(
        max_length=60,
        required=False,
        label="Company address",
        help_text="Letters, numbers and hyphens. Leave blank to derive it from the company name.",
    )
    # Your browser's zone is pre-selected (static/js/timezone.js); UTC without JavaScript: a guess
    # from the language would often be wrong (en-US is spoken in six zones and far beyond).
    time_zone = TimeZoneField(
        initial="UTC",
        detect_browser=True,
        help_text="Reports cut the company's days at midnight in this zone. Each person can "
        "choose their own zone for reading times.",
    )
    full_name = NameField(max_length=150, label="Your name")
    email = forms.EmailField(label="Work email", help_text="We will email you a link to choose your password.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # the person chose already: the script leaves the list alone
            self.fields["time_zone"].widget.attrs.pop("data-detect-browser-zone", None)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify(cleaned.get("company_name", ""))[:60]
        if not slug and "company_name" in cleaned:
            self.add_error("slug", "Choose an address made of letters or numbers.")
        elif slug and Company.objects.filter(slug=slug).exists():
            self.add_error("slug", f"The address “{slug}” is already taken by another company. Choose another.")
        cleaned["slug"] = slug
        return cleaned


class SignUpPasswordForm(PasswordPairMixin, forms.Form):
    """Step two of sign-up, behind the emailed link: the owner chooses a password."""

    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def __init__(self, *args, email, full_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = User(email=email, full_name=full_name)

    def clean(self):
        cleaned = super().clean()
        self.clean_password_pair(self.person)
        return cleaned


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account.",
        "no_membership": "Your membership has been deactivated. Ask an owner or admin of your company.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not Membership.objects.active().filter(user=user).exists():
            raise ValidationError(self.error_messages["no_membership"], code="no_membership")


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with at most ACCOUNT_EMAILS_PER_HOUR requests per address. Every request
    counts, for an address with an account or without, so the limit says nothing about accounts."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if not throttling.account_emails.hit(email):
            raise ValidationError(
                "Too many emails were sent to this address in the last hour. Try again later.", code="rate_limited"
            )
        return email


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.USER)


class AcceptInvitationForm(PasswordPairMixin, forms.Form):
    full_name = NameField(max_length=150, label="Your name")
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    # The newcomer's own zone, pre-selected from their browser (static/js/timezone.js); blank, or the
    # company's, means they follow the company's.
    time_zone = TimeZoneField(
        required=False,
        label="Your time zone",
        detect_browser=True,
        help_text="Times are shown in this zone. You can change it in Your preferences.",
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        field = self.fields["time_zone"]
        field.blank_label = f"Same as {invitation.company.name} ({invitation.company.time_zone})"
        field.keep("")
        if self.is_bound:
            field.widget.attrs.pop("data-detect-browser-zone", None)

    def clean(self):
        cleaned = super().clean()
        self.clean_password_pair(User(email=self.invitation.email, full_name=cleaned.get("full_name", "")))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ManagersForm(forms.Form):
    managers = IdMultipleChoiceField(
        queryset=Membership.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = (
            Membership.objects.for_company(company).active().with_roles(Membership.Role.MANAGER).select_related("user")
        )
        self.fields["managers"].label_from_instance = lambda membership: str(membership.user)


class CompanySettingsForm(forms.ModelForm):
    name = NameField(max_length=120)
    time_zone = TimeZoneField(
        help_text="Reports cut days at midnight in this zone, and it is the zone of everyone "
        "who has not chosen their own (Your preferences)."
    )
    logo = forms.FileField(
        required=False,
        help_text="PNG, JPEG or WebP, at most 1 MB. It is shown at most "
        f"{settings.COMPANY_LOGO_STORED_SIDE} pixels wide.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(logos.CONTENT_TYPES.values())}),
    )

    class Meta:
        model = Company
        fields = ["name", "time_zone", "logo", "allow_manual_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].keep(self.instance.time_zone)

    def clean_logo(self):
        """A new upload is checked and re-encoded (companies/logos.py); the stored logo, or its
        removal, passes as it is."""
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return logos.process_logo(logo)
        return logo


class PreferencesForm(forms.ModelForm):
    """How one person reads time, in every company they belong to."""

    time_zone = TimeZoneField(required=False, blank_label="Same as the company")

    class Meta:
        model = User
        fields = ["time_zone", "duration_format"]
        widgets = {"duration_format": forms.RadioSelect}

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        field.blank_label = f"Same as the company ({company.time_zone})"
        field.keep(self.instance.time_zone)
        field.help_text = (
            "Every time is shown in this zone. Reports still cut days at midnight in the company's "
            f"zone ({company.time_zone}) and say so."
        )
        self.fields["duration_format"].help_text = "Exported CSV files always have decimal hours, for spreadsheets."
