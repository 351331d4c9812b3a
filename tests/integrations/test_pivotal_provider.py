"""The Pivotal provider against the project's emulator, over real HTTP."""

import json

import pytest
import responses

from integrations import registry
from integrations.providers.base import LinkedAccount, ProviderUnavailable, TokenRejected
from integrations.providers.pivotal.client import PivotalClient
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from tests.sync.conftest import expected, owned_story

from .provider_contract import ProviderContract

ANA = next(person for person in DEMO_PEOPLE if person.username == "ana")


class TestPivotalContract(ProviderContract):
    @pytest.fixture
    def provider(self, emulator, settings):
        settings.PIVOTAL_TIMEOUT_SECONDS = 0.3
        return registry.get("pivotal")

    @pytest.fixture
    def valid_token(self):
        return ANA.api_token

    @pytest.fixture
    def expected_account(self):
        return LinkedAccount(
            external_id="104",
            name="Ana Ruiz",
            email="ana@acme.example",
            username="ana",
            project_names=["Billing API", "Web App"],
        )

    @pytest.fixture
    def rejected_token(self):
        return "0" * 32

    @pytest.fixture
    def inject_fault(self, emulator):
        faults = {
            "server_error": {"kind": "status", "status": 503},
            "rate_limit": {"kind": "rate_limit", "retry_after": 7},
            "malformed": {"kind": "malformed"},
            "slow": {"kind": "delay", "seconds": 1.0},
        }
        return lambda kind: emulator.faults.add(**faults[kind])

    @pytest.fixture
    def installation(self, provider):
        return provider.default_settings()

    @pytest.fixture
    def expected_task_ids(self, emulator):
        return expected(emulator, "ana")

    @pytest.fixture
    def delivery(self, emulator):
        story = owned_story(emulator, "ana")

        def make(integration):
            body = {
                "kind": "story_update_activity",
                "project_version": 2,
                "performed_by": {"id": ANA.pivotal_id},
                "changes": [{"kind": "story", "change_type": "update", "id": story.id}],
                "primary_resources": [{"kind": "story", "id": story.id}],
            }
            return {}, json.dumps(body).encode()

        return make


def test_the_provider_is_registered_from_its_module():
    assert registry.get("pivotal").name == "Pivotal Tracker"
    assert ("pivotal", "Pivotal Tracker") in registry.as_choices()


def test_the_client_waits_as_long_as_retry_after_says_then_retries(emulator):
    emulator.faults.add("rate_limit", retry_after=7)
    waits = []

    me = PivotalClient(ANA.api_token, sleep=waits.append).me()

    assert waits == [7] and me["id"] == 104
    assert [entry["status"] for entry in emulator.request_log.entries()] == [429, 200]


def test_a_retry_after_longer_than_the_cap_is_left_to_the_caller(emulator, settings):
    settings.PIVOTAL_RETRY_CAP_SECONDS = 30
    emulator.faults.add("rate_limit", retry_after=120)
    waits = []

    with pytest.raises(ProviderUnavailable) as raised:
        PivotalClient(ANA.api_token, sleep=waits.append).me()

    assert raised.value.status == 429 and raised.value.retry_after == 120 and waits == []


def test_server_errors_are_retried_with_growing_jittered_waits_then_given_up(emulator, settings):
    settings.PIVOTAL_RETRY_BASE_SECONDS = 1.0
    emulator.faults.add("status", status=502, count=5)
    waits = []

    with pytest.raises(ProviderUnavailable, match="HTTP 502"):
        PivotalClient(ANA.api_token, max_attempts=4, sleep=waits.append).me()

    assert len(waits) == 3
    assert all(0 <= wait <= cap for wait, cap in zip(waits, [1, 2, 4], strict=True))
    assert len(emulator.request_log.entries()) == 4


def test_a_token_revoked_at_pivotal_is_rejected(emulator):
    emulator.state.revoke_token(ANA.pivotal_id)

    with pytest.raises(TokenRejected):
        registry.get("pivotal").check_token(ANA.api_token)


@responses.activate
def test_the_base_url_comes_from_settings_and_the_token_only_travels_in_a_header(settings):
    settings.PIVOTAL_API_URL = "https://tracker.internal.example/services/v5"
    responses.get("https://tracker.internal.example/services/v5/me", json={"id": 1, "name": "X", "projects": []})

    PivotalClient(ANA.api_token).me()

    request = responses.calls[0].request
    assert request.headers["X-TrackerToken"] == ANA.api_token and ANA.api_token not in request.url
