from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services
from .forms import AcceptInvitationForm, CompanySettingsForm, InviteForm, ManagersForm, RoleForm, SignUpForm
from .models import AuditEvent, Invitation, Membership
from .tenancy import admin_required, membership_required, reviewer_required, switch_membership

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
    if request.user.is_authenticated and request.membership:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = apply_service(
            form, services.create_company, name=data["company_name"], slug=data["slug"], time_zone=data["time_zone"],
            owner_name=data["full_name"], owner_email=data["email"], owner_password=data["password1"],
        )
        if owner:
            login(request, owner.user, backend=BACKEND)
            switch_membership(request, owner)
            messages.success(request, f"Welcome! {owner.company} is ready. Invite your team from the Members page.")
            return redirect("dashboard")
    return render(request, "companies/signup.html", {"form": form})


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
    context = {"invitation": invitation, "form": form, "existing_account": existing_account,
               "signed_in_as_invitee": signed_in_as_invitee}
    return render(request, "companies/accept_invitation.html", context)


def _accept(request, invitation, form, signed_in_as_invitee):
    if signed_in_as_invitee:
        try:
            return services.accept_invitation(invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return None
    data = form.cleaned_data
    return apply_service(form, services.accept_invitation, invitation, full_name=data["full_name"],
                         password=data["password1"])


@reviewer_required
def members(request):
    company = request.company
    memberships = (
        Membership.objects.for_company(company).select_related("user")
        .prefetch_related(Prefetch("managers", queryset=Membership.objects.select_related("user")))
    )
    if request.membership.role == Membership.Role.MANAGER:
        managed = Membership.objects.filter(managers=request.membership).values("pk")
        memberships = memberships.filter(Q(pk__in=managed) | Q(pk=request.membership.pk))
    invitations = Invitation.objects.for_company(company).pending(timezone.now()).select_related("invited_by__user")
    context = {
        "page": "members",
        "memberships": memberships,
        "invitations": invitations if request.membership.is_company_admin else [],
        "invite_form": InviteForm(),
        "roles": Membership.Role.choices,
        "managers": Membership.objects.for_company(company).active().with_roles(Membership.Role.MANAGER)
        .select_related("user"),
    }
    return render(request, "companies/members.html", context)


@require_POST
@admin_required
def invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        result = apply_service(form, services.invite_member, request.company, email=form.cleaned_data["email"],
                               role=form.cleaned_data["role"], invited_by=request.membership)
        if result:
            messages.success(request, f"Invitation sent to {result[0].email}.")
            return redirect("companies:members")
    return render(request, "companies/invite.html", {"page": "members", "invite_form": form}, status=400)


@require_POST
@admin_required
def revoke_invitation(request, code):
    invitation = get_object_or_404(Invitation.objects.for_company(request.company), code=code)
    flash_service(request, services.revoke_invitation, invitation, acting=request.membership,
                  success=f"The invitation of {invitation.email} was revoked.")
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
        flash_service(request, services.change_role, member, form.cleaned_data["role"], acting=request.membership,
                      success=f"{member.user} is now {Membership.Role(form.cleaned_data['role']).label}.")
    return redirect("companies:members")


@require_POST
@admin_required
def set_managers(request, code):
    member = _member(request, code)
    form = ManagersForm(request.POST, company=request.company)
    if not form.is_valid():
        messages.error(request, "Choose managers from the list.")
    else:
        flash_service(request, services.set_managers, member, form.cleaned_data["managers"], acting=request.membership,
                      success=f"Managers of {member.user} updated.")
    return redirect("companies:members")


@require_POST
@admin_required
def deactivate(request, code):
    member = _member(request, code)
    flash_service(request, services.deactivate_member, member, acting=request.membership,
                  success=f"{member.user} was deactivated. Their tracked time is kept.")
    return redirect("companies:members")


@require_POST
@admin_required
def reactivate(request, code):
    member = _member(request, code)
    flash_service(request, services.reactivate_member, member, acting=request.membership,
                  success=f"{member.user} was reactivated.")
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
    if not request.company.logo:
        raise Http404("This company has no logo.")
    response = FileResponse(request.company.logo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


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
