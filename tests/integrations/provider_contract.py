"""What every integration provider must do, whatever its API. A provider's tests subclass
`ProviderContract` and supply the fixtures it names."""

import json

import pytest

from integrations.models import CompanyIntegration, TaskScope
from integrations.providers.base import (
    ActivityRefs,
    LinkedAccount,
    Person,
    ProviderUnavailable,
    RemoteProject,
    Removal,
    TaskPage,
    TokenRejected,
)
from sync.services.engine import in_scope


class ProviderContract:
    """Fixtures a subclass provides: `provider`, `valid_token`, `expected_account` (a LinkedAccount),
    `rejected_token`, and `inject_fault(kind)` for kind in server_error, rate_limit, malformed, slow."""

    def test_it_names_the_account_behind_a_token(self, provider, valid_token, expected_account):
        account = provider.check_token(valid_token)

        assert isinstance(account, LinkedAccount)
        assert (account.external_id, account.name, account.email, account.username) == (
            expected_account.external_id,
            expected_account.name,
            expected_account.email,
            expected_account.username,
        )
        assert account.projects_count == expected_account.projects_count

    def test_it_raises_token_rejected_for_a_bad_token(self, provider, rejected_token):
        with pytest.raises(TokenRejected) as raised:
            provider.check_token(rejected_token)
        assert raised.value.permanent and rejected_token not in str(raised.value)

    @pytest.mark.parametrize("kind", ["server_error", "rate_limit", "malformed", "slow"])
    def test_it_raises_a_retryable_error_when_the_service_misbehaves(self, provider, valid_token, inject_fault, kind):
        inject_fault(kind)

        with pytest.raises(ProviderUnavailable) as raised:
            provider.check_token(valid_token)
        assert not raised.value.permanent and valid_token not in str(raised.value)

    # --- What the sync engine needs -------------------------------------------------------------
    # Fixtures: `installation` (the provider's settings for the emulator), `expected_task_ids` (the
    # ids of the items the tracker says are open and assigned to valid_token's account), and
    # `delivery(integration)` → (headers, body bytes) of a genuine webhook naming that account.

    @pytest.fixture
    def client(self, provider, valid_token, installation):
        return provider.client(valid_token, installation=installation)

    @pytest.fixture
    def person(self, expected_account):
        return Person(expected_account.external_id, expected_account.username)

    def test_it_lists_the_projects_the_account_can_see(self, provider, client, installation, expected_account):
        projects = provider.list_projects(client, installation)

        assert all(isinstance(project, RemoteProject) for project in projects)
        assert sorted(project.name for project in projects) == sorted(expected_account.project_names)
        assert len({project.external_id for project in projects}) == len(projects)

    def test_a_complete_read_returns_every_item_of_the_persons_scope_once(
        self, provider, client, installation, person, expected_task_ids
    ):
        offered = []
        for project in provider.list_projects(client, installation):
            for page in provider.fetch_tasks(client, project, person=person, scope=TaskScope.OWNED_OPEN):
                assert isinstance(page, TaskPage) and page.snapshot is not None and not page.not_modified
                assert all(task.project_external_id == project.external_id for task in page.tasks)
                offered += [
                    task.external_id for task in page.tasks if in_scope(task, person.external_id, TaskScope.OWNED_OPEN)
                ]

        assert sorted(offered) == sorted(expected_task_ids) and len(set(offered)) == len(offered)

    def test_removals_after_a_read_are_a_list_of_removals(self, provider, client, installation):
        project = provider.list_projects(client, installation)[0]

        removals = provider.fetch_removals(client, project, cursor_state={})

        assert isinstance(removals, list) and all(isinstance(removal, Removal) for removal in removals)

    def test_a_genuine_webhook_is_verified_and_names_the_person(self, provider, delivery, person):
        integration = CompanyIntegration(provider=provider.id, webhook_signing_secret="contract-secret")
        headers, body = delivery(integration)

        assert provider.verify_webhook(headers, body, integration)
        refs = provider.parse_webhook(headers, json.loads(body))
        assert isinstance(refs, ActivityRefs) and person.external_id in refs.person_ids and refs.task_ids

    def test_a_forged_webhook_is_refused_when_the_provider_signs_its_deliveries(self, provider, delivery):
        integration = CompanyIntegration(provider=provider.id, webhook_signing_secret="contract-secret")
        headers, body = delivery(integration)
        forged = body.replace(b"}", b', "forged": true}', 1)

        # A provider that signs nothing is let in by the secret in the URL alone (checked before this).
        assert provider.verify_webhook(headers, forged, integration) is (not provider.signs_webhooks)

    @pytest.mark.parametrize("payload", [[], "text", {"kind": 7}])
    def test_a_webhook_body_of_the_wrong_shape_is_a_value_error(self, provider, payload, delivery):
        headers, _ = delivery(CompanyIntegration(provider=provider.id, webhook_signing_secret="contract-secret"))
        with pytest.raises(ValueError):
            provider.parse_webhook(headers, payload)
