"""The desktop API's rate limits, per app token and per client address: beyond either, 429 with
Retry-After and the API's error body. The address counts before any token lookup."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tracking.services.app_tokens import create_app_token

from .api_helpers import api_client

pytestmark = pytest.mark.django_db
ME = reverse("api:me")


@pytest.fixture(autouse=True)
def limits(settings):
    settings.API_REQUESTS_PER_MINUTE_PER_TOKEN = 5
    settings.API_REQUESTS_PER_MINUTE_PER_IP = 8


def test_a_token_beyond_its_rate_gets_429_with_retry_after(member):
    client = api_client(member)

    answers = [client.get(ME, REMOTE_ADDR=f"10.0.0.{number}") for number in range(7)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 2
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_each_token_has_its_own_allowance(member, manager):
    first, second = api_client(member), api_client(manager)
    for number in range(5):
        first.get(ME, REMOTE_ADDR=f"10.0.0.{number}")

    assert first.get(ME, REMOTE_ADDR="10.0.1.1").status_code == 429
    assert second.get(ME, REMOTE_ADDR="10.0.1.2").status_code == 200


def test_an_address_beyond_its_rate_gets_429_whatever_the_tokens(member, manager, admin, settings):
    settings.API_REQUESTS_PER_MINUTE_PER_TOKEN = 100
    clients = [api_client(person) for person in (member, manager, admin)]

    answers = [clients[number % 3].get(ME, REMOTE_ADDR="10.0.2.1") for number in range(10)]

    assert [answer.status_code for answer in answers] == [200] * 8 + [429] * 2
    assert clients[0].get(ME, REMOTE_ADDR="10.0.2.2").status_code == 200


def test_guessing_tokens_is_limited_by_address_before_any_lookup(member):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    answers = [guesser.get(ME, REMOTE_ADDR="10.0.3.1").status_code for _ in range(10)]

    assert answers == [401] * 8 + [429] * 2
    real = APIClient()
    real.credentials(HTTP_AUTHORIZATION=f"Bearer {create_app_token(member, 'laptop')[1]}")
    assert real.get(ME, REMOTE_ADDR="10.0.3.1").status_code == 429  # the address waits, whoever it is


def test_a_burst_of_200_calls_is_cut_at_the_default_rate(member, settings):
    settings.API_REQUESTS_PER_MINUTE_PER_TOKEN = 120
    settings.API_REQUESTS_PER_MINUTE_PER_IP = 1200
    client = api_client(member)

    statuses = [client.get(ME).status_code for _ in range(200)]

    assert statuses.count(200) == 120 and statuses.count(429) == 80


def test_zero_turns_a_limit_off(member, settings):
    settings.API_REQUESTS_PER_MINUTE_PER_TOKEN = 0
    settings.API_REQUESTS_PER_MINUTE_PER_IP = 0
    client = api_client(member)

    assert {client.get(ME).status_code for _ in range(20)} == {200}


def test_the_schema_documents_the_429(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()

    assert all("429" in operation["responses"] for path in schema["paths"].values() for operation in path.values())
