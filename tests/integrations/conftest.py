import json
from pathlib import Path

import pytest
import responses
from django.conf import settings

# The demo company linked to the emulators, as in the sync tests (the mismatch tests use Sam Stranger).
from tests.sync.conftest import demo_members, github, github_on, link, link_github, pivotal_on  # noqa: F401

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pivotal"

# Recognisable fake tokens (32 hex characters, the shape of Pivotal's).
ADMIN_TOKEN = "a" * 28 + "ad01"
ANA_TOKEN = "b" * 28 + "an01"
BEN_TOKEN = "c" * 28 + "be01"
STRANGER_TOKEN = "d" * 28 + "sa01"

PEOPLE = {
    ADMIN_TOKEN: {"id": 102, "name": "Adam Admin", "username": "adam", "email": "adam@acme.example"},
    ANA_TOKEN: {"id": 104, "name": "Ana Ruiz", "username": "ana", "email": "ana@acme.example"},
    BEN_TOKEN: {"id": 105, "name": "Ben Okafor", "username": "ben", "email": "ben@acme.example"},
    STRANGER_TOKEN: {"id": 107, "name": "Sam Stranger", "username": "sam", "email": "sam@elsewhere.example"},
}


def me_body(token):
    body = json.loads((FIXTURES / "me.json").read_text())
    body.update(PEOPLE[token], api_token=token)
    return body


@pytest.fixture
def pivotal():
    """Pivotal's HTTP, faked with `responses`; every registered answer must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


REJECTED = {
    "code": "invalid_authentication",
    "kind": "error",
    "error": "Invalid authentication credentials were presented.",
}


def answer_me(request):
    token = request.headers.get("X-TrackerToken")
    if token in PEOPLE:
        return 200, {"X-Tracker-Client-Pinger-Interval": "20"}, json.dumps(me_body(token))
    return 403, {}, json.dumps(REJECTED)


@pytest.fixture
def pivotal_people(pivotal):
    """GET /me answers for each known token; any other token is rejected as Pivotal does (403)."""
    pivotal.add_callback(
        responses.GET, f"{settings.PIVOTAL_API_URL}/me", callback=answer_me, content_type="application/json"
    )
    return pivotal
