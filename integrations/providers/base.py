"""What every integration provider offers. A second provider is one new module in this package
that subclasses `Provider` and ends with `provider_classes = [TheProvider]`."""

from dataclasses import dataclass, field


class ProviderError(Exception):
    """A provider call failed. `permanent` errors are not retried; transient ones are."""

    permanent = False

    def __init__(self, message, *, status=None, code=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class TokenRejected(ProviderError):
    """The provider refused the token: wrong, revoked or expired."""

    permanent = True


class AccessLost(ProviderError):
    """The token is fine but may no longer see this resource (a project, for instance)."""

    permanent = True


class ProviderUnavailable(ProviderError):
    """Down, slow, rate-limited or answering garbage: worth retrying later."""

    def __init__(self, message, *, status=None, code=None, retry_after=None):
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


@dataclass(frozen=True)
class LinkedAccount:
    """Who a token belongs to at the provider, as shown to people before and after they save it."""

    external_id: str
    name: str
    email: str = ""
    username: str = ""
    project_names: list = field(default_factory=list)

    @property
    def projects_count(self):
        return len(self.project_names)


class Provider:
    id = ""
    name = ""
    description = ""
    client_class = None
    # Template fragments with the provider's own help (where the token is, how to create one).
    company_help_template = ""
    personal_help_template = ""

    def client(self, token):
        return self.client_class(token)

    def check_company_token(self, token):
        """The account behind a token pasted on Company Integrations; raises ProviderError."""
        raise NotImplementedError

    def check_user_token(self, token):
        """The account behind a token pasted on Your Integration; raises ProviderError."""
        raise NotImplementedError
