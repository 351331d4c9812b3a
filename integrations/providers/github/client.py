"""GitHub's REST API (version 2022-11-28). `GitHubClient` is the only code that talks to GitHub.

Facts from GitHub's REST documentation and its OpenAPI description (checked in the tests against
`@octokit/openapi` and GitHub's recorded answers in `@octokit/fixtures`):
- the token goes in `Authorization: Bearer …` (never in a URL); `Accept: application/vnd.github+json`
  and `X-GitHub-Api-Version` pin the format;
- errors come as `{"message", "documentation_url", "errors"?}`; 401 is a bad token, 403 a token that
  may not see something, or a rate limit: with `Retry-After` (secondary limit), with
  `X-RateLimit-Remaining: 0` (primary limit, until the epoch second in `X-RateLimit-Reset`), or a
  message about a secondary rate limit and no header (wait at least a minute);
- 404 also answers a private resource the token may not see; 410 a deleted issue (or disabled issues);
- lists are paged by `Link: <…>; rel="next"` (up to 100 per page), whose URLs may use
  `/repositories/{id}/…` rather than `/repos/{owner}/{repo}/…`;
- a renamed or transferred repository or issue answers 301 with a `Location`;
- a request with `If-None-Match: <etag>` answers 304 with no body when nothing changed, and does
  not count against the rate limit.
"""

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import requests
from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from requests.structures import CaseInsensitiveDict

from ..base import AccessLost, NotFound, ProviderError, ProviderUnavailable, TokenRejected
from ..http import retry_after_seconds, retry_delay

logger = logging.getLogger(__name__)

USER_AGENT = "timedoctor-dashboard/1.0 (+github-integration)"
API_VERSION = "2022-11-28"
MEDIA_TYPE = "application/vnd.github+json"
PAGE_SIZE = 100  # GitHub's maximum per_page
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
SECONDARY_RATE_LIMIT_WAIT = 60.0  # GitHub: "wait for at least one minute" when no header says more
_TOKEN_SHAPE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: ghp_…, github_pat_…, 40 hex


class RateLimited(ProviderUnavailable):
    """The token used up its primary rate limit; `reset_at` (aware UTC) is when it refills."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = "rate_limited",
        retry_after: float | None = None,
        reset_at: datetime | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, retry_after=retry_after)
        self.reset_at = reset_at


class Gone(NotFound):
    """GitHub says the resource was deleted (an issue), or its feature turned off (issues disabled)."""


class ValidationFailed(ProviderError):
    """GitHub refused the request's values (422); sending it again will not help."""

    permanent = True


@dataclass(frozen=True)
class GitHubResponse:
    data: object
    headers: CaseInsensitiveDict[str] = field(repr=False)
    status: int
    url: str  # the final URL, after any redirect
    etag: str | None = None
    next_url: str | None = None
    not_modified: bool = False
    redirected: bool = False


class GitHubRequest(NamedTuple):
    """A GET to make: `client.get(*request)` or `client.paginate(*request)`."""

    path: str
    params: dict[str, Any]


def normalise_base_url(url: str | None) -> str:
    """`https://api.github.com` or an Enterprise Server's `https://HOST/api/v3`, without a trailing
    slash; ValueError for anything that is not a plain http(s) URL."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("The GitHub API URL must start with https:// (or http://) and name a host.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("The GitHub API URL must not contain credentials, a query or a fragment.")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class GitHubClient:
    """GETs against GitHub's REST API. Transient failures (secondary rate limits, 5xx, timeouts,
    connection errors, malformed JSON) are retried in place a few times with jittered backoff,
    honouring Retry-After; a primary rate limit is waited out only when it resets within the retry
    cap, otherwise raised at once as RateLimited for the caller (the Celery task) to retry later."""

    @sensitive_variables("token")
    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        token = token.strip() if isinstance(token, str) else ""
        if not _TOKEN_SHAPE.fullmatch(token):
            raise TokenRejected(
                "This does not look like a GitHub token: it is empty or has spaces or other "
                "characters a token never has. Copy it again from GitHub."
            )
        self._token = token
        self.base_url = normalise_base_url(base_url or settings.GITHUB_API_URL)
        self.timeout = timeout if timeout is not None else settings.GITHUB_TIMEOUT_SECONDS
        self.max_attempts = max_attempts if max_attempts is not None else settings.GITHUB_MAX_ATTEMPTS
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.requests_made = 0  # HTTP requests sent, retries and redirects included
        self.rate_limit_limit: int | None = None
        self.rate_limit_remaining: int | None = None
        self.rate_limit_reset_at: datetime | None = None
        self.rate_limit_resource: str | None = None

    def __repr__(self) -> str:
        return f"<GitHubClient {self.base_url}>"

    # --- Requests -------------------------------------------------------------------------
    def get(
        self, path_or_url: str, params: Mapping[str, Any] | None = None, *, etag: str | None = None
    ) -> GitHubResponse:
        """One GET: a path under the base URL, or an absolute URL on the same host (a Link)."""
        url = self._url(path_or_url)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(url, params, etag)
            except ProviderUnavailable as error:
                cap = settings.GITHUB_RETRY_CAP_SECONDS
                delay = (
                    error.retry_after
                    if error.retry_after is not None
                    else retry_delay(attempt, base=settings.GITHUB_RETRY_BASE_SECONDS, cap=cap)
                )
                if attempt >= self.max_attempts or delay > cap:
                    raise
                logger.info(
                    "GitHub GET %s failed (%s); retrying in %.1f s (attempt %d of %d).",
                    urlsplit(url).path,
                    error.message,
                    delay,
                    attempt,
                    self.max_attempts,
                )
                self.sleep(delay)

    def paginate(self, path_or_url: str, params: Mapping[str, Any] | None = None) -> Iterator[GitHubResponse]:
        """Every page of a list, following Link rel="next" until there is none."""
        url: str | None = path_or_url
        seen: set[str] = set()
        while url:
            page = self.get(url, params)
            yield page
            seen.add(page.url)
            url, params = page.next_url, None  # the next link carries the query
            if url in seen:
                raise ProviderUnavailable("GitHub's next page link leads back to a page already read.")

    @sensitive_variables("headers")
    def _get_once(self, url: str, params: Mapping[str, Any] | None, etag: str | None) -> GitHubResponse:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": MEDIA_TYPE,
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if etag:
            headers["If-None-Match"] = etag
        for hop in range(MAX_REDIRECTS + 1):
            self.requests_made += 1
            try:
                response = self.session.get(
                    url, params=params, headers=headers, timeout=self.timeout, allow_redirects=False
                )
            # `from None`: the frames of requests hold the headers, so they stay out of error reports.
            except requests.Timeout:
                raise ProviderUnavailable(f"GitHub did not answer within {self.timeout:g} seconds.") from None
            except requests.RequestException as error:
                raise ProviderUnavailable(
                    f"GitHub could not be reached ({type(error).__name__}). Try again in a moment."
                ) from None
            self._note_rate_limit(response.headers)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return self._parse(response, etag=etag, redirected=hop > 0)
            # Followed by hand, so that the token only ever goes to the configured host.
            url, params = self._url(urljoin(response.url, location), redirect=True), None
        raise ProviderUnavailable(f"GitHub redirected more than {MAX_REDIRECTS} times.")

    def _url(self, path_or_url: str, *, redirect: bool = False) -> str:
        if "://" not in path_or_url:
            if not path_or_url.startswith("/"):
                raise ValueError(f"A GitHub API path starts with a slash: {path_or_url!r}")
            return f"{self.base_url}{path_or_url}"
        target, base = urlsplit(path_or_url), urlsplit(self.base_url)
        if (target.scheme, target.netloc.lower()) != (base.scheme, base.netloc):
            what = "redirected to" if redirect else "linked to"
            raise ProviderError(
                f"GitHub {what} {target.scheme}://{target.netloc}, which is not {self.base_url}; "
                "the token is only sent to the configured GitHub.",
                code="foreign_url",
            )
        return path_or_url

    # --- Answers --------------------------------------------------------------------------
    def _parse(self, response: requests.Response, *, etag: str | None, redirected: bool) -> GitHubResponse:
        status, headers = response.status_code, CaseInsensitiveDict(response.headers)
        if status == 304:
            if not etag:
                raise ProviderUnavailable(
                    "GitHub answered 304 Not Modified to a request that was not conditional.", status=status
                )
            return GitHubResponse(
                None,
                headers,
                status,
                response.url,
                etag=headers.get("ETag") or etag,
                not_modified=True,
                redirected=redirected,
            )
        if status >= 400:
            raise self._error_for(response)
        if status >= 300:
            raise ProviderUnavailable(f"GitHub sent a redirect (HTTP {status}) without a Location.", status=status)
        data = None
        if status != 204:
            try:
                data = response.json()
            except ValueError:
                raise ProviderUnavailable("GitHub sent an answer that is not valid JSON.", status=status) from None
        return GitHubResponse(
            data,
            headers,
            status,
            response.url,
            etag=headers.get("ETag"),
            next_url=response.links.get("next", {}).get("url"),
            redirected=redirected,
        )

    def _error_for(self, response: requests.Response) -> ProviderError:
        status, headers = response.status_code, response.headers
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        given = body.get("message")
        message = given if isinstance(given, str) else ""
        if status == 401:
            return TokenRejected(
                "GitHub rejected this token: it is wrong, expired or revoked. Create a new "
                "personal access token on GitHub and paste all of it.",
                status=status,
            )
        if status in (403, 429):
            retry_after = retry_after_seconds(headers.get("Retry-After"), now=self.clock())
            if retry_after is not None:
                return ProviderUnavailable(
                    "GitHub asked us to slow down (secondary rate limit).",
                    status=status,
                    code="secondary_rate_limit",
                    retry_after=retry_after,
                )
            if headers.get("X-RateLimit-Remaining", "").strip() == "0":
                reset_at = _reset_at(headers.get("X-RateLimit-Reset"))
                retry_after = max(0.0, reset_at.timestamp() - self.clock()) if reset_at else None
                when = f" It refills at {reset_at:%H:%M} UTC." if reset_at else ""
                return RateLimited(
                    f"This GitHub token has used up its rate limit.{when}",
                    status=status,
                    retry_after=retry_after,
                    reset_at=reset_at,
                )
            if "rate limit" in message.lower() or status == 429:
                return ProviderUnavailable(
                    "GitHub asked us to slow down (secondary rate limit).",
                    status=status,
                    code="secondary_rate_limit",
                    retry_after=SECONDARY_RATE_LIMIT_WAIT,
                )
            if "X-GitHub-SSO" in headers:
                return AccessLost(
                    "This organization uses SAML single sign-on: authorize the token for it on "
                    "GitHub (Settings → Tokens → Configure SSO).",
                    status=status,
                    code="sso_required",
                )
            return AccessLost(f"This GitHub token may not see that. {message}".strip(), status=status)
        if status == 410:
            return Gone(f"GitHub says this is gone. {message}".strip(), status=status)
        if status == 404:
            return NotFound("GitHub has no such resource, or this token may not see it.", status=status)
        if status == 422:
            details = "; ".join(_validation_detail(item) for item in body.get("errors") or [] if item)
            text = f"{message or 'Validation Failed'}{f' ({details})' if details else ''}"
            return ValidationFailed(f"GitHub refused the request: {text}", status=status, code="validation_failed")
        if status >= 500:
            return ProviderUnavailable(
                f"GitHub is having trouble (HTTP {status}). Try again in a moment.",
                status=status,
                retry_after=retry_after_seconds(headers.get("Retry-After"), now=self.clock()),
            )
        return ProviderError(f"GitHub refused the request (HTTP {status}). {message}".strip(), status=status)

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        remaining = _int_or_none(headers.get("X-RateLimit-Remaining"))
        if remaining is None:
            return
        self.rate_limit_remaining = remaining
        self.rate_limit_limit = _int_or_none(headers.get("X-RateLimit-Limit"))
        self.rate_limit_reset_at = _reset_at(headers.get("X-RateLimit-Reset"))
        self.rate_limit_resource = headers.get("X-RateLimit-Resource")

    # --- The endpoints the provider uses ----------------------------------------------------
    def me(self) -> object:
        """The token's account: GET /user, as GitHub sends it."""
        return self.get("/user").data

    def user_repos(self, **params: Any) -> Iterator[GitHubResponse]:
        """Pages of GET /user/repos (affiliation, visibility, sort, direction, since…)."""
        return self.paginate(*user_repos_request(**params))

    def org_repos(self, org: str, **params: Any) -> Iterator[GitHubResponse]:
        """Pages of GET /orgs/{org}/repos (type, sort, direction…)."""
        return self.paginate(*org_repos_request(org, **params))

    def repository(self, owner: str, repo: str, *, etag: str | None = None) -> GitHubResponse:
        return self.get(*repository_request(owner, repo), etag=etag)

    def repo_issues(self, owner: str, repo: str, *, etag: str | None = None, **filters: Any) -> GitHubResponse:
        """One page of GET /repos/{owner}/{repo}/issues; see `repo_issues_request` for the filters.
        Follow `next_url`, or use `paginate(*repo_issues_request(…))` for every page."""
        return self.get(*repo_issues_request(owner, repo, **filters), etag=etag)

    def issue(self, owner: str, repo: str, number: int | str, *, etag: str | None = None) -> GitHubResponse:
        return self.get(*issue_request(owner, repo, number), etag=etag)


# --- Request builders: a path with its segments escaped, and only the parameters given -------
def user_repos_request(*, per_page: int = PAGE_SIZE, **params: Any) -> GitHubRequest:
    return GitHubRequest("/user/repos", _params(per_page=per_page, **params))


def org_repos_request(org: str, *, per_page: int = PAGE_SIZE, **params: Any) -> GitHubRequest:
    return GitHubRequest(f"/orgs/{_segment(org)}/repos", _params(per_page=per_page, **params))


def repository_request(owner: str, repo: str) -> GitHubRequest:
    return GitHubRequest(f"/repos/{_segment(owner)}/{_segment(repo)}", {})


def repo_issues_request(
    owner: str,
    repo: str,
    *,
    assignee: str | None = None,
    state: str | None = None,
    since: datetime | str | None = None,
    sort: str | None = None,
    direction: str | None = None,
    per_page: int = PAGE_SIZE,
    page: int | None = None,
) -> GitHubRequest:
    """`since`: an aware datetime or an ISO 8601 string; GitHub filters on `updated_at`. The list
    includes pull requests (they carry a `pull_request` key)."""
    return GitHubRequest(
        f"/repos/{_segment(owner)}/{_segment(repo)}/issues",
        _params(
            assignee=assignee, state=state, since=since, sort=sort, direction=direction, per_page=per_page, page=page
        ),
    )


def issue_request(owner: str, repo: str, number: int | str) -> GitHubRequest:
    if isinstance(number, bool) or not str(number).isdigit():
        raise ValueError(f"An issue number is a positive integer, not {number!r}.")
    return GitHubRequest(f"/repos/{_segment(owner)}/{_segment(repo)}/issues/{int(number)}", {})


def _segment(value: object) -> str:
    text = str(value)
    if not text or text in (".", ".."):
        raise ValueError(f"Not a GitHub name: {text!r}")
    return quote(text, safe="")


def _params(**params: Any) -> dict[str, Any]:
    return {name: _param_value(value) for name, value in params.items() if value is not None}


def _param_value(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("GitHub times need a time zone; pass an aware datetime.")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _reset_at(value: object) -> datetime | None:
    """X-RateLimit-Reset (epoch seconds) as an aware datetime; None when missing or unreadable."""
    seconds = _int_or_none(value)
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _validation_detail(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)[:200]
    if item.get("message"):
        return str(item["message"])[:200]
    where = ".".join(str(item[key]) for key in ("resource", "field") if item.get(key))
    return f"{where}: {item.get('code', 'invalid')}" if where else str(item.get("code", "invalid"))
