"""Pivotal Tracker's API v5 over HTTP. `PivotalClient` is the only code that talks to Pivotal.

Facts in ../shared/pivotal-tracker-api-v5.md: the token goes in the `X-TrackerToken` header (never
in a URL), errors come as `{"code", "kind": "error", "error", ...}`, and a dead token answers 401
or 403 `invalid_authentication`, a project the token may no longer see 403 `unauthorized_operation`.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from ..base import AccessLost, NotFound, ProviderError, ProviderUnavailable, TokenRejected
from ..http import retry_after_seconds, retry_delay

USER_AGENT = "timedoctor-dashboard/1.0 (+pivotal-integration)"


@dataclass(frozen=True)
class PivotalResponse:
    data: object
    headers: dict[str, str]


class PivotalClient:
    """GETs against Pivotal's API v5. Transient failures (429, 5xx, timeouts, connection errors,
    malformed JSON) are retried in place a few times, honouring Retry-After; longer outages are
    left to the caller (the Celery task retries later)."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        session: requests.Session | None = None,
        max_attempts: int | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._token = token
        self.base_url = (base_url or settings.PIVOTAL_API_URL).rstrip("/")
        self.timeout = timeout or settings.PIVOTAL_TIMEOUT_SECONDS
        self.max_attempts = max_attempts or settings.PIVOTAL_MAX_ATTEMPTS
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.sleep = sleep
        self.requests_made = 0

    def __repr__(self) -> str:
        return f"<PivotalClient {self.base_url}>"

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> PivotalResponse:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(path, params)
            except ProviderUnavailable as error:
                delay = (
                    error.retry_after
                    if error.retry_after is not None
                    else retry_delay(
                        attempt, base=settings.PIVOTAL_RETRY_BASE_SECONDS, cap=settings.PIVOTAL_RETRY_CAP_SECONDS
                    )
                )
                if attempt >= self.max_attempts or delay > settings.PIVOTAL_RETRY_CAP_SECONDS:
                    raise
                self.sleep(delay)

    @sensitive_variables("headers")
    def _get_once(self, path: str, params: Mapping[str, Any] | None = None) -> PivotalResponse:
        headers = {"X-TrackerToken": self._token, "Accept": "application/json"}
        self.requests_made += 1
        try:
            response = self.session.get(f"{self.base_url}{path}", params=params, headers=headers, timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderUnavailable(f"Pivotal Tracker did not answer within {self.timeout:g} seconds.") from error
        except requests.RequestException as error:
            raise ProviderUnavailable("Pivotal Tracker could not be reached. Try again in a moment.") from error
        return self._parse(response)

    def me(self) -> object:
        return self.get("/me").data

    def _parse(self, response: requests.Response) -> PivotalResponse:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            raise _error_for(response, body if isinstance(body, dict) else {})
        if body is None:
            raise ProviderUnavailable(
                "Pivotal Tracker sent an answer that is not valid JSON.", status=response.status_code
            )
        return PivotalResponse(body, dict(response.headers))


def _error_for(response: requests.Response, body: dict[str, Any]) -> ProviderError:
    status, code = response.status_code, body.get("code")
    detail = body.get("general_problem") or body.get("error") or ""
    if status == 401 or code == "invalid_authentication":
        return TokenRejected(
            "Pivotal Tracker rejected this API token. Check that you copied the whole token "
            "from the bottom of your Pivotal profile page.",
            status=status,
            code=code,
        )
    if status == 403 and code == "unauthorized_operation":
        return AccessLost(
            f"This Pivotal account may no longer see that project. {detail}".strip(), status=status, code=code
        )
    if status == 403:
        return TokenRejected("Pivotal Tracker refused this API token.", status=status, code=code)
    if status == 429:
        return ProviderUnavailable(
            "Pivotal Tracker asked us to slow down.",
            status=status,
            code=code,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )
    if status == 404:
        return NotFound(f"Pivotal Tracker has no such resource. {detail}".strip(), status=status, code=code)
    if status >= 500:
        return ProviderUnavailable(
            f"Pivotal Tracker is having trouble (HTTP {status}). Try again in a moment.", status=status, code=code
        )
    return ProviderError(
        f"Pivotal Tracker refused the request (HTTP {status} {code or ''}). {detail}".strip(), status=status, code=code
    )
