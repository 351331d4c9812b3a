"""Every URL pattern and API endpoint, walked by an owner of company A with the ids of company B's
objects, for GET and POST: nothing of B is found (404, or 405 before any lookup), shown, or changed.
A URL pattern with no sample value here fails the test, so a new view cannot escape the sweep."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import AuditEvent, Invitation, Membership
from companies.services import invite_member
from integrations.models import CompanyIntegration, UserIntegration
from tests.factories import MembershipFactory
from tracking.models import AppToken, Project, Task, TaskAssignment, TimeEntry
from tracking.services.app_tokens import create_app_token

pytestmark = pytest.mark.django_db

SECRET_WORDS = ["Globex", "bob@globex.example", "confidential story", "globex-note", "zz99"]

# URL name → how to fill its arguments with company B's objects.
SAMPLES = {
    "companies:change-role": lambda b: {"code": b["member"].code},
    "companies:set-managers": lambda b: {"code": b["member"].code},
    "companies:deactivate": lambda b: {"code": b["member"].code},
    "companies:reactivate": lambda b: {"code": b["member"].code},
    "companies:revoke-invitation": lambda b: {"code": b["invitation"].code},
    "companies:switch": lambda b: {"code": b["member"].code},
    "delete-entry": lambda b: {"code": b["entry"].code},
    "edit-entry": lambda b: {"code": b["entry"].code},
    "restore-entry": lambda b: {"code": b["entry"].code},
    "api:entry-restore": lambda b: {"code": b["entry"].code},
    "revoke-api-token": lambda b: {"code": b["app_token"].code},
    "api:entry": lambda b: {"code": b["entry"].code},
}
PROVIDER_VIEWS = [
    "integrations:company-detail",
    "integrations:company-enable",
    "integrations:company-enabled",
    "integrations:company-token",
    "integrations:company-disable",
    "integrations:company-remove-token",
    "integrations:company-scope",
    "integrations:company-settings",
    "integrations:mine-token",
    "integrations:mine-switch",
    "integrations:mine-remove-token",
    "integrations:company-webhook-rotate",
    "integrations:company-webhook-secret",
    "sync:sync-now",
    "sync:sync-status",
]
SAMPLES.update({name: (lambda b: {"provider_id": "pivotal"}) for name in PROVIDER_VIEWS})
# Public by design: the link or URL itself is the credential, and it is B's to give.
PUBLIC = {
    "accept-invitation": "an invitation link is its own credential",
    "password_reset_confirm": "a reset link is its own credential",
    "signup-confirm": "a sign-up link is its own credential (it holds no company yet)",
    "sync:webhook": "a provider's webhook: the secret in the URL (and the signature) is the credential",
    "logout": "signs the sweeping owner out (holds no tenant data)",
}
UNNAMED = {"api/v1/^(?P<path>.*)$": "/api/v1/anything/"}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), prefix + str(pattern.pattern), pattern


@pytest.fixture
def company_b(other_company):
    """Company B with one of everything."""
    other_company.name = "Globex"
    other_company.save()
    owner = MembershipFactory(company=other_company, role="owner", user__email="bob@globex.example")
    member = MembershipFactory(company=other_company, role="user")
    invitation, _ = invite_member(other_company, email="new@globex.example", role="user", invited_by=owner)
    integration = CompanyIntegration.objects.create(
        company=other_company, provider="pivotal", is_enabled=True, token="a" * 28 + "zz99", token_last4="zz99"
    )
    UserIntegration.objects.create(
        company_integration=integration,
        membership=member,
        is_enabled=True,
        token="b" * 28 + "zz99",
        token_last4="zz99",
        external_id="900",
    )
    project = Project.objects.create(company=other_company, provider="pivotal", external_id="9", name="Globex X")
    task = Task.objects.create(
        company=other_company, provider="pivotal", external_id="99", project=project, title="Globex confidential story"
    )
    TaskAssignment.objects.create(task=task, membership=member)
    now = timezone.now()
    entry = TimeEntry.objects.create(
        company=other_company,
        membership=member,
        task=task,
        source="web",
        started_at=now - timedelta(hours=2),
        ended_at=now - timedelta(hours=1),
        note="globex-note",
    )
    app_token, _ = create_app_token(member, "Globex laptop")
    return {
        "company": other_company,
        "owner": owner,
        "member": member,
        "invitation": invitation,
        "integration": integration,
        "task": task,
        "entry": entry,
        "app_token": app_token,
    }


def snapshot(company):
    return [
        list(Membership.objects.filter(company=company).values_list("pk", "role", "is_active")),
        list(Invitation.objects.filter(company=company).values_list("pk", "revoked_at", "accepted_at")),
        list(
            CompanyIntegration.objects.filter(company=company).values_list(
                "pk", "is_enabled", "token_last4", "task_scope", "webhook_secret"
            )
        ),
        list(
            UserIntegration.objects.filter(company_integration__company=company).values_list(
                "pk", "is_enabled", "token_last4", "sync_claim__state"
            )
        ),
        list(Task.objects.filter(company=company).values_list("pk", "title")),
        list(
            TimeEntry.objects.filter(company=company).values_list("pk", "started_at", "ended_at", "note", "deleted_at")
        ),
        list(AppToken.objects.filter(membership__company=company).values_list("pk", "revoked_at")),
        AuditEvent.objects.filter(company=company).count(),
    ]


def test_company_a_reaches_nothing_of_company_b_anywhere(client_for, owner, company_b):
    before = snapshot(company_b["company"])
    browser = client_for(owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {create_app_token(owner, 'sweep')[1]}")
    unsampled, leaks = [], []

    for name, route, pattern in walk(get_resolver().url_patterns):
        if name in PUBLIC:
            continue
        if name is None:
            url = UNNAMED.get(route)
        elif name in SAMPLES:
            url = reverse(name, kwargs=SAMPLES[name](company_b))
        elif not pattern.pattern.converters and "<" not in route:
            url = reverse(name)
        else:
            url = None
        if url is None:
            unsampled.append(name or route)
            continue
        client = api if url.startswith("/api/v1/") else browser
        for method in ("get", "post"):
            response = getattr(client, method)(url, {}) if method == "post" else client.get(url)
            body = (
                b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
            ).decode(errors="replace")
            has_object = name in SAMPLES and "provider_id" not in SAMPLES[name](company_b)
            if has_object and response.status_code not in (404, 405):
                leaks.append(f"{method.upper()} {url} answered {response.status_code}")
            if response.status_code >= 500:
                leaks.append(f"{method.upper()} {url} failed with {response.status_code}")
            leaks.extend(f"{method.upper()} {url} shows “{word}”" for word in SECRET_WORDS if word in body)

    assert unsampled == [], f"URL patterns the sweep has no sample for: {unsampled}"
    assert leaks == []
    assert snapshot(company_b["company"]) == before


def test_an_anonymous_visitor_reaches_nothing_either(company_b):
    client = Client()
    for name, _route, _pattern in walk(get_resolver().url_patterns):
        if name in SAMPLES and "code" in SAMPLES[name](company_b):
            response = client.get(reverse(name, kwargs=SAMPLES[name](company_b)))
            assert response.status_code in (302, 401, 404, 405), (name, response.status_code)
