"""What every integration provider must do, whatever its API. A provider's tests subclass
`ProviderContract` and supply the fixtures it names."""

import pytest

from integrations.providers.base import LinkedAccount, ProviderUnavailable, TokenRejected


class ProviderContract:
    """Fixtures a subclass provides: `provider`, `valid_token`, `expected_account` (a LinkedAccount),
    `rejected_token`, and `inject_fault(kind)` for kind in server_error, rate_limit, malformed, slow."""

    def test_it_names_the_account_behind_a_token(self, provider, valid_token, expected_account):
        account = provider.check_user_token(valid_token)

        assert isinstance(account, LinkedAccount)
        assert (account.external_id, account.name, account.email, account.username) == (
            expected_account.external_id, expected_account.name, expected_account.email, expected_account.username)
        assert account.projects_count == expected_account.projects_count

    def test_it_raises_token_rejected_for_a_bad_token(self, provider, rejected_token):
        with pytest.raises(TokenRejected) as raised:
            provider.check_company_token(rejected_token)
        assert raised.value.permanent and rejected_token not in str(raised.value)

    @pytest.mark.parametrize("kind", ["server_error", "rate_limit", "malformed", "slow"])
    def test_it_raises_a_retryable_error_when_the_service_misbehaves(self, provider, valid_token, inject_fault, kind):
        inject_fault(kind)

        with pytest.raises(ProviderUnavailable) as raised:
            provider.check_user_token(valid_token)
        assert not raised.value.permanent and valid_token not in str(raised.value)
