"""Pivotal Tracker (API v5). `PivotalClient` is the only code that talks to Pivotal.

Facts in ../shared/pivotal-tracker-api-v5.md: the token goes in the `X-TrackerToken` header (never
in a URL), errors come as `{"code", "kind": "error", "error", ...}`, and a dead token answers 401
or 403 `invalid_authentication`, a project the token may no longer see 403 `unauthorized_operation`.
"""

from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from .base import AccessLost, LinkedAccount, Provider, ProviderError, ProviderUnavailable, TokenRejected

USER_AGENT = "timedoctor-dashboard/1.0 (+pivotal-integration)"


@dataclass(frozen=True)
class PivotalResponse:
    data: object
    headers: dict


class PivotalClient:
    def __init__(self, token, *, base_url=None, timeout=None, session=None):
        self._token = token
        self.base_url = (base_url or settings.PIVOTAL_API_URL).rstrip("/")
        self.timeout = timeout or settings.PIVOTAL_TIMEOUT_SECONDS
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def __repr__(self):
        return f"<PivotalClient {self.base_url}>"

    @sensitive_variables("headers")
    def get(self, path, params=None):
        headers = {"X-TrackerToken": self._token, "Accept": "application/json"}
        try:
            response = self.session.get(f"{self.base_url}{path}", params=params, headers=headers, timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderUnavailable(f"Pivotal Tracker did not answer within {self.timeout:g} seconds.") from error
        except requests.RequestException as error:
            raise ProviderUnavailable("Pivotal Tracker could not be reached. Try again in a moment.") from error
        return self._parse(response)

    def me(self):
        return self.get("/me").data

    def _parse(self, response):
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            raise _error_for(response, body if isinstance(body, dict) else {})
        if body is None:
            raise ProviderUnavailable("Pivotal Tracker sent an answer that is not valid JSON.", status=response.status_code)
        return PivotalResponse(body, dict(response.headers))


def _error_for(response, body):
    status, code = response.status_code, body.get("code")
    detail = body.get("general_problem") or body.get("error") or ""
    if status == 401 or code == "invalid_authentication":
        return TokenRejected("Pivotal Tracker rejected this API token. Check that you copied the whole token "
                             "from the bottom of your Pivotal profile page.", status=status, code=code)
    if status == 403 and code == "unauthorized_operation":
        return AccessLost(f"This Pivotal account may no longer see that project. {detail}".strip(), status=status,
                          code=code)
    if status == 403:
        return TokenRejected("Pivotal Tracker refused this API token.", status=status, code=code)
    if status == 429:
        return ProviderUnavailable("Pivotal Tracker asked us to slow down.", status=status, code=code,
                                   retry_after=_retry_after_seconds(response.headers.get("Retry-After")))
    if status >= 500:
        return ProviderUnavailable(f"Pivotal Tracker is having trouble (HTTP {status}). Try again in a moment.",
                                   status=status, code=code)
    return ProviderError(f"Pivotal Tracker refused the request (HTTP {status} {code or ''}). {detail}".strip(),
                         status=status, code=code)


def _retry_after_seconds(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
        except (TypeError, ValueError):
            return None


class PivotalProvider(Provider):
    id = "pivotal"
    name = "Pivotal Tracker"
    description = "Turn the Pivotal Tracker stories people own into tasks they track time on."
    client_class = PivotalClient
    company_help_template = "integrations/providers/pivotal/company_help.html"
    personal_help_template = "integrations/providers/pivotal/personal_help.html"

    @sensitive_variables("token")
    def check_company_token(self, token):
        return self._linked_account(token)

    @sensitive_variables("token")
    def check_user_token(self, token):
        return self._linked_account(token)

    @sensitive_variables("token")
    def _linked_account(self, token):
        me = self.client(token).me()
        if not isinstance(me, dict) or "id" not in me:
            raise ProviderUnavailable("Pivotal Tracker sent an unexpected answer to /me.")
        projects = me.get("projects") or []
        return LinkedAccount(
            external_id=str(me["id"]),
            name=me.get("name", ""),
            email=me.get("email", ""),
            username=me.get("username", ""),
            project_names=sorted(p.get("project_name", "") for p in projects if isinstance(p, dict)),
        )


provider_classes = [PivotalProvider]
