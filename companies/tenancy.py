"""Resolving the company of a request, once, for every view.

`CurrentMembershipMiddleware` attaches `request.membership` (and `request.company`): the signed-in
person's active membership in the company they are working in. Views declare who may enter with
`@membership_required(roles)`: anonymous people are sent to sign in, a role that may not do
something gets 403, and objects of another company are simply not found (scoped querysets) → 404.
The person's time zone and unit of hours are active while the request runs (companies/preferences.py).
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from . import preferences
from .models import Company, Membership

SESSION_KEY = "membership_code"


class TenantRequest(HttpRequest):
    """A request as views see it once `CurrentMembershipMiddleware` has run."""

    membership: Membership | None
    company: Company | None


type View[**P] = Callable[Concatenate[TenantRequest, P], HttpResponseBase]


def resolve_membership(request: HttpRequest) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.active().select_related("company", "user").filter(user=request.user)
    chosen = request.session.get(SESSION_KEY)
    membership = memberships.filter(code=chosen).first() if chosen else None
    return membership or memberships.order_by("created_at").first()


def switch_membership(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.code)


class CurrentMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: TenantRequest) -> HttpResponseBase:
        request.membership = resolve_membership(request)
        request.company = request.membership.company if request.membership else None
        with preferences.activated(request.membership):
            return self.get_response(request)


def membership_required[**P](*roles: str) -> Callable[[View[P]], View[P]]:
    """Lets in signed-in people with an active membership, and only the given roles when named."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: TenantRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.membership:
                logout(request)
                messages.error(request, "Your membership has been deactivated. Ask an owner or admin of your company.")
                return redirect("login")
            if roles and request.membership.role not in roles:
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


admin_required = membership_required(*Membership.ADMIN_ROLES)
reviewer_required = membership_required(*Membership.REVIEWER_ROLES)
