from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import logos, services, throttling
from .forms import (
    AcceptInvitationForm,
    CompanySettingsForm,
    InviteForm,
    ManagersForm,
    PreferencesForm,
    RateLimitedPasswordResetForm,
    RoleForm,
    SignUpForm,
    SignUpPasswordForm,
)
from .models import AuditEvent, Invitation, Membership
from .tenancy import admin_required, membership_required, reviewer_required, switch_membership
from .visibility import visible_people

BACKEND = "companies.backends.EmailBackend"


def apply_service(form, service, *args, **kwargs):
    """Runs a service; a rule it refuses becomes a form error instead of an exception."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def flash_service(request, service, *args, success, **kwargs):
    """Runs a service behind a one-button form; the outcome becomes a message."""
    try:
        service(*args, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def signup(request):
    """Step one: the company and the owner's email. The answer is the same whether the email has an
    account or not (an email goes out either way), so sign-up tells nobody who has an account."""
    if request.user.is_authenticated and request.membership:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if not throttling.signups.hit(throttling.client_ip(request)):
                raise ValidationError(
                    "Too many sign-ups came from your network in the last hour. Try again later.", code="rate_limited"
                )
            services.request_signup(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            status = 429 if error.code == "rate_limited" else 200
        else:
            return render(request, "companies/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "companies/signup.html", {"form": form}, status=status)


def signup_confirm(request, token):
    """Step two, behind the emailed link: choose a password; the company is created and you are in."""
    data = services.read_signup(token)
    if data is None:
        return render(
            request,
            "companies/signup_unusable.html",
            {"reason": "This sign-up link is not valid or has expired. Sign up again."},
            status=410,
        )
    if services.email_is_taken(data["email"]):
        return render(
            request,
            "companies/signup_unusable.html",
            {"reason": "This sign-up is already complete. Sign in instead."},
            status=410,
        )
    form = SignUpPasswordForm(request.POST or None, email=data["email"], full_name=data["full_name"])
    if request.method == "POST" and form.is_valid():
        try:
            owner = services.finish_signup(data, password=form.cleaned_data["password1"])
        except ValidationError as error:  # the address was taken meanwhile, say
            form.add_error(None, error.messages)
        else:
            login(request, owner.user, backend=BACKEND)
            switch_membership(request, owner)
            messages.success(request, f"Welcome! {owner.company} is ready. Invite your team from the Members page.")
            return redirect("dashboard")
    return render(request, "companies/signup_confirm.html", {"form": form, "signup": data})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with at most ACCOUNT_EMAILS_PER_HOUR requests per address (429 beyond)."""

    form_class = RateLimitedPasswordResetForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("email", "rate_limited"):
            response.status_code = 429
        return response


password_reset = PasswordResetView.as_view()


def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    try:
        services.check_invitation_usable(invitation)
    except ValidationError as error:
        return render(request, "companies/invitation_unusable.html", {"reason": error.messages[0]}, status=410)
    existing_account = services.email_is_taken(invitation.email)
    signed_in_as_invitee = request.user.is_authenticated and request.user.email.lower() == invitation.email.lower()
    form = None if existing_account else AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST":
        if existing_account and not signed_in_as_invitee:
            return redirect(f"{reverse('login')}?next={request.path}")
        if form is None or form.is_valid():
            membership = _accept(request, invitation, form, signed_in_as_invitee)
            if membership:
                login(request, membership.user, backend=BACKEND)
                switch_membership(request, membership)
                messages.success(request, f"You joined {membership.company} as {membership.get_role_display()}.")
                return redirect("dashboard")
    context = {
        "invitation": invitation,
        "form": form,
        "existing_account": existing_account,
        "signed_in_as_invitee": signed_in_as_invitee,
    }
    return render(request, "companies/accept_invitation.html", context)


def _accept(request, invitation, form, signed_in_as_invitee):
    if signed_in_as_invitee:
        try:
            return services.accept_invitation(invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return None
    data = form.cleaned_data
    return apply_service(
        form,
        services.accept_invitation,
        invitation,
        full_name=data["full_name"],
        password=data["password1"],
        time_zone=data["time_zone"],
    )


@reviewer_required
def members(request):
    company = request.company
    memberships = (
        visible_people(request.membership)
        .select_related("user")
        .prefetch_related(Prefetch("managers", queryset=Membership.objects.select_related("user")))
    )
    invitations = Invitation.objects.for_company(company).pending(timezone.now()).select_related("invited_by__user")
    context = {
        "page": "members",
        "memberships": memberships,
        "invitations": invitations if request.membership.is_company_admin else [],
        "invite_form": InviteForm(),
        "roles": Membership.Role.choices,
        "managers": Membership.objects.for_company(company)
        .active()
        .with_roles(Membership.Role.MANAGER)
        .select_related("user"),
    }
    return render(request, "companies/members.html", context)


@require_POST
@admin_required
def invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        result = apply_service(
            form,
            services.invite_member,
            request.company,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.membership,
        )
        if result:
            messages.success(request, f"Invitation sent to {result[0].email}.")
            return redirect("companies:members")
    return render(request, "companies/invite.html", {"page": "members", "invite_form": form}, status=400)


@require_POST
@admin_required
def revoke_invitation(request, code):
    invitation = get_object_or_404(Invitation.objects.for_company(request.company), code=code)
    flash_service(
        request,
        services.revoke_invitation,
        invitation,
        acting=request.membership,
        success=f"The invitation of {invitation.email} was revoked.",
    )
    return redirect("companies:members")


def _member(request, code):
    return get_object_or_404(Membership.objects.for_company(request.company).select_related("user"), code=code)


@require_POST
@admin_required
def change_role(request, code):
    member = _member(request, code)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        flash_service(
            request,
            services.change_role,
            member,
            form.cleaned_data["role"],
            acting=request.membership,
            success=f"{member.user} is now {Membership.Role(form.cleaned_data['role']).label}.",
        )
    return redirect("companies:members")


@require_POST
@admin_required
def set_managers(request, code):
    member = _member(request, code)
    form = ManagersForm(request.POST, company=request.company)
    if not form.is_valid():
        messages.error(request, "Choose managers from the list.")
    else:
        flash_service(
            request,
            services.set_managers,
            member,
            form.cleaned_data["managers"],
            acting=request.membership,
            success=f"Managers of {member.user} updated.",
        )
    return redirect("companies:members")


@require_POST
@admin_required
def deactivate(request, code):
    member = _member(request, code)
    flash_service(
        request,
        services.deactivate_member,
        member,
        acting=request.membership,
        success=f"{member.user} was deactivated. Their tracked time is kept.",
    )
    return redirect("companies:members")


@require_POST
@admin_required
def reactivate(request, code):
    member = _member(request, code)
    flash_service(
        request,
        services.reactivate_member,
        member,
        acting=request.membership,
        success=f"{member.user} was reactivated.",
    )
    return redirect("companies:members")


@admin_required
def company_settings(request):
    form = CompanySettingsForm(request.POST or None, request.FILES or None, instance=request.company)
    if request.method == "POST" and form.is_valid():
        services.update_company(form.instance, acting=request.membership, changed_fields=form.changed_data)
        messages.success(request, "Company settings saved.")
        return redirect("companies:settings")
    return render(request, "companies/settings.html", {"page": "company-settings", "form": form})


@membership_required()
def company_logo(request):
    """The logo of the signed-in person's company. Served by the app, not as a public media file,
    so one company's upload is never reachable by another."""
    logo = request.company.logo
    content_type = logos.stored_content_type(logo) if logo else None
    if content_type is None:
        raise Http404("This company has no logo.")
    extension = next(name for name, kind in logos.CONTENT_TYPES.items() if kind == content_type)
    response = FileResponse(logo.open("rb"), content_type=content_type, filename=f"logo.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@membership_required()
def preferences(request):
    """The signed-in person's own preferences (there is no one else's to reach here)."""
    form = PreferencesForm(request.POST or None, instance=request.user, company=request.company)
    if request.method == "POST" and form.is_valid():
        apply_service(
            form,
            services.update_preferences,
            request.user,
            acting=request.membership,
            time_zone=form.cleaned_data["time_zone"],
            duration_format=form.cleaned_data["duration_format"],
        )
        if not form.errors:
            messages.success(request, "Your preferences are saved.")
            return redirect("companies:preferences")
    return render(
        request,
        "companies/preferences.html",
        {"page": "preferences", "form": form},
        status=400 if form.is_bound else 200,
    )


@admin_required
def audit_log(request):
    events = AuditEvent.objects.for_company(request.company).select_related("actor__user")[:200]
    return render(request, "companies/audit_log.html", {"page": "audit-log", "events": events})


@require_POST
@membership_required()
def switch_company(request, code):
    target = get_object_or_404(Membership.objects.active().filter(user=request.user), code=code)
    switch_membership(request, target)
    messages.success(request, f"You are now working in {target.company}.")
    return redirect("dashboard")
