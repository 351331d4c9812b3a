"""Who may open what: every view of the companies app, for every role, and for an outsider."""

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Invitation, Membership
from companies.services import invite_member

pytestmark = pytest.mark.django_db

ADMINS = {"owner", "admin"}
REVIEWERS = {"owner", "admin", "manager"}
EVERYONE = {"owner", "admin", "manager", "user"}


def target_member(members):
    return members["user"].code


def target_invitation(members):
    invitation, _ = invite_member(
        members["owner"].company, email="new@acme.example", role="user", invited_by=members["owner"]
    )
    return invitation.code


def PIVOTAL(members):
    return "pivotal"


def target_entry(members):
    from django.utils import timezone

    from tracking.models import TimeEntry

    user = members["user"]
    entry = TimeEntry.objects.create(
        company=user.company,
        membership=user,
        source="web",
        started_at=timezone.now() - timezone.timedelta(hours=1),
        ended_at=timezone.now(),
    )
    return entry.code


def target_app_token(members):
    from tracking.services.app_tokens import create_app_token

    return create_app_token(members["user"], "Laptop")[0].code


# (url name, how to get the URL argument or None, method, roles allowed, form data)
VIEWS = [
    ("dashboard", None, "get", EVERYONE, None),
    ("companies:members", None, "get", REVIEWERS, None),
    ("companies:invite", None, "post", ADMINS, {"email": "x@acme.example", "role": "user"}),
    ("companies:settings", None, "get", ADMINS, None),
    ("companies:audit-log", None, "get", ADMINS, None),
    ("companies:change-role", target_member, "post", ADMINS, {"role": "manager"}),
    ("companies:set-managers", target_member, "post", ADMINS, {}),
    ("companies:deactivate", target_member, "post", ADMINS, {}),
    ("companies:reactivate", target_member, "post", ADMINS, {}),
    ("companies:revoke-invitation", target_invitation, "post", ADMINS, {}),
    ("integrations:company-list", None, "get", ADMINS, None),
    ("integrations:company-detail", PIVOTAL, "get", ADMINS, None),
    ("integrations:company-enable", PIVOTAL, "post", ADMINS, {"token": ""}),
    ("integrations:company-enabled", PIVOTAL, "get", ADMINS, None),
    ("integrations:company-token", PIVOTAL, "post", ADMINS, {"token": ""}),
    ("integrations:company-disable", PIVOTAL, "post", ADMINS, {}),
    ("integrations:company-remove-token", PIVOTAL, "post", ADMINS, {}),
    ("integrations:company-webhook-rotate", PIVOTAL, "post", ADMINS, {}),
    ("integrations:mine", None, "get", EVERYONE, None),
    ("integrations:mine-token", PIVOTAL, "post", EVERYONE, {"token": ""}),
    ("integrations:mine-switch", PIVOTAL, "post", EVERYONE, {"on": "0"}),
    ("integrations:mine-remove-token", PIVOTAL, "post", EVERYONE, {}),
    ("timer-tasks", None, "get", EVERYONE, None),
    ("timer-start", None, "post", EVERYONE, {"task": ""}),
    ("timer-stop", None, "post", EVERYONE, {}),
    ("manual-entry", None, "post", EVERYONE, {}),
    ("api-tokens", None, "get", EVERYONE, None),
    # Reports: every role, each seeing what its role allows (tests/tracking/test_reports_visibility.py).
    ("reports:timesheet", None, "get", EVERYONE, None),
    ("reports:timesheet-csv", None, "get", EVERYONE, None),
    ("reports:projects", None, "get", EVERYONE, None),
    ("reports:projects-csv", None, "get", EVERYONE, None),
    ("reports:entries", None, "get", EVERYONE, None),
    ("reports:entries-csv", None, "get", EVERYONE, None),
]
# The desktop API: every role may use it, for its own time only.
API_ENDPOINTS = [
    ("api:me", "get", None),
    ("api:tasks", "get", None),
    ("api:timer", "get", None),
    ("api:timer-start", "post", {}),
    ("api:timer-stop", "post", None),
    ("api:upload", "post", {"entries": []}),
    ("api:entries", "get", None),
]
# Objects that belong to one person: only their owner reaches them; anyone else gets 404.
PERSONAL_OBJECT_VIEWS = [
    ("delete-entry", target_entry, "post", {}),
    ("revoke-api-token", target_app_token, "post", {}),
]
OBJECT_VIEWS = [view for view in VIEWS if view[1] in (target_member, target_invitation)] + [
    (name, code_of, method, {"user"}, data) for name, code_of, method, data in PERSONAL_OBJECT_VIEWS
]


def url_for(name, code_of, members):
    return reverse(name, args=[code_of(members)] if code_of else [])


@pytest.mark.parametrize(("name", "code_of", "method", "allowed", "data"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_each_role_may_open_only_what_its_role_allows(client_for, members, role, name, code_of, method, allowed, data):
    url = url_for(name, code_of, members)

    response = getattr(client_for(members[role]), method)(url, data or {})

    if role in allowed:
        assert response.status_code not in (403, 404, 405, 500), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "code_of", "method", "allowed", "data"), OBJECT_VIEWS, ids=[v[0] for v in OBJECT_VIEWS]
)
def test_an_outsider_gets_404_for_our_objects_and_nothing_changes(
    client_for, members, outsider, name, code_of, method, allowed, data
):
    url = url_for(name, code_of, members)
    before = (
        list(Membership.objects.values_list("pk", "role", "is_active")),
        list(Invitation.objects.values_list("pk", "revoked_at")),
    )

    response = getattr(client_for(outsider), method)(url, data or {})

    assert response.status_code == 404
    after = (
        list(Membership.objects.values_list("pk", "role", "is_active")),
        list(Invitation.objects.values_list("pk", "revoked_at")),
    )
    assert before == after


@pytest.mark.parametrize(
    ("name", "code_of", "method", "data"), PERSONAL_OBJECT_VIEWS, ids=[v[0] for v in PERSONAL_OBJECT_VIEWS]
)
@pytest.mark.parametrize("role", ["owner", "admin", "manager"])
def test_a_colleague_gets_404_for_someone_elses_entry_or_token(client_for, members, role, name, code_of, method, data):
    response = getattr(client_for(members[role]), method)(url_for(name, code_of, members), data)

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "code_of", "method", "allowed", "data"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_visitors_are_sent_to_sign_in(members, name, code_of, method, allowed, data):
    response = getattr(Client(), method)(url_for(name, code_of, members), data or {})

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "code_of", "method", "allowed", "data"),
    [view for view in VIEWS if view[2] == "post"],
    ids=[v[0] for v in VIEWS if v[2] == "post"],
)
def test_state_changes_refuse_get_and_requests_without_csrf(client_for, members, name, code_of, method, allowed, data):
    url = url_for(name, code_of, members)
    owner = members["owner"]

    assert client_for(owner).get(url).status_code == 405
    assert client_for(owner, enforce_csrf_checks=True).post(url, data or {}).status_code == 403


@pytest.mark.parametrize(("name", "method", "data"), API_ENDPOINTS, ids=[v[0] for v in API_ENDPOINTS])
@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_role_may_use_the_desktop_api_with_its_own_token(members, role, name, method, data):
    from rest_framework.test import APIClient

    from tracking.services.app_tokens import create_app_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_app_token(members[role], 'laptop')[1]}")

    response = getattr(client, method)(reverse(name), data, format="json")

    assert response.status_code not in (401, 403, 404, 405, 500), response.status_code


@pytest.mark.parametrize(("name", "method", "data"), API_ENDPOINTS, ids=[v[0] for v in API_ENDPOINTS])
def test_the_api_refuses_anyone_without_a_token(name, method, data):
    from rest_framework.test import APIClient

    response = getattr(APIClient(), method)(reverse(name), data, format="json")

    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
