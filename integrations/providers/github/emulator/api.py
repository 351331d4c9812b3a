"""The WSGI application: GitHub's REST API at `/` and, for Enterprise-style base URLs, at
`/api/v3`; the control endpoints under `/__emulator__/` (see `control.py`).

Per request: faults first, then authentication (`Authorization: Bearer|token <token>`), the
primary rate limit, the handler, and conditional requests: an `If-None-Match` that equals the
answer's ETag gets 304 and costs nothing, as on GitHub. Every answer carries the rate-limit
headers, an ETag derived from the body and an `X-GitHub-Request-Id`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from integrations.providers.emulator_kit.control import CONTROL_PREFIX
from integrations.providers.emulator_kit.web import Request, Response, Router, is_under, json_response

from . import errors, routes
from .control import ControlEndpoints
from .errors import ApiError
from .faults import DropConnection, FaultInjector, FaultRule
from .rate_limits import Budget
from .rendering import Urls
from .request_log import RequestLog
from .state import GitHubState
from .web import MAX_BODY_BYTES, split_enterprise_prefix
from .webhooks import WebhookDispatcher

logger = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
MALFORMED_BODY = b'[{"url":"https://api.github.com/repos/acme-corp/web-app/issues/1","id":30000'
OAUTH_SCOPES = "read:org, repo"
COMMON_HEADERS = [
    ("X-GitHub-Api-Version-Selected", API_VERSION),
    ("X-GitHub-Media-Type", "github.v3; format=json"),
    ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP"),
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Expose-Headers",
        "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
        "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
        "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
        "X-GitHub-Request-Id, Deprecation, Sunset",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "deny"),
    ("Server", "github.com"),
]

RequestCallback = Callable[[dict], None]


@dataclass(frozen=True)
class Operation:
    handler: Callable[..., Response]
    is_public: bool = False  # answers without a token, as GitHub's unauthenticated access
    is_free: bool = False  # does not count against the rate limit (`GET /rate_limit`)


OPERATIONS = {
    r"/": Operation(routes.get_root, is_public=True),
    r"/user": Operation(routes.get_authenticated_user),
    r"/user/repos": Operation(routes.list_user_repos),
    r"/user/orgs": Operation(routes.list_user_orgs),
    r"/orgs/(?P<org>[^/]+)/repos": Operation(routes.list_org_repos),
    r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)": Operation(routes.get_repo),
    r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues": Operation(routes.list_repo_issues),
    r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)": Operation(routes.get_issue),
    r"/rate_limit": Operation(routes.get_rate_limit, is_public=True, is_free=True),
}


class GitHubApp:
    """WSGI callable. `reset_factory` builds the state `POST /__emulator__/reset` goes back to;
    `webhooks` (a WebhookDispatcher) shows its deliveries at `/__emulator__/deliveries`."""

    def __init__(
        self,
        state: GitHubState,
        faults: FaultInjector | None = None,
        request_log: RequestLog | None = None,
        *,
        reset_factory: Callable[[], GitHubState] | None = None,
        webhooks: WebhookDispatcher | None = None,
    ):
        self.state = state
        self.faults = faults or FaultInjector()
        self.request_log = request_log or RequestLog()
        self.webhooks = webhooks
        self.control = ControlEndpoints(self, reset_factory)
        self._callbacks: list[RequestCallback] = []
        self._request_ids = _RequestIds()
        self.router = Router()
        for pattern, operation in OPERATIONS.items():
            self.router.add("GET", pattern, operation)

    def on_request(self, callback: RequestCallback) -> None:
        """`callback(entry)` runs after each API request is answered and logged, before the
        answer is sent: a change it makes is in place before the client can ask again."""
        self._callbacks.append(callback)

    # WSGI entry point ----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request.from_environ(environ, max_body_bytes=MAX_BODY_BYTES)
        if is_under(request.path, CONTROL_PREFIX):
            return self.control.handle(request).send(start_response)
        try:
            response, login, fault = self._answer_with_faults(request)
        except DropConnection:
            self._log(request, None, None, "drop")
            raise
        self._log(request, response.status, login, fault.kind if fault else None)
        return response.send(start_response)

    def _log(self, request: Request, status: int | None, login: str | None, fault: str | None) -> None:
        entry = self.request_log.record(request.method, request.path, request.query, status, login=login, fault=fault)
        for callback in list(self._callbacks):
            try:
                callback(dict(entry))
            except Exception:
                logger.exception("An on_request callback failed")

    def _answer_with_faults(self, request: Request) -> tuple[Response, str | None, FaultRule | None]:
        fault = self.faults.take(request.method, request.path)
        if fault is not None and fault.kind == "drop":
            raise DropConnection()
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        with self.state.lock:
            user = self.state.user_by_token(_token(request))
            budget = self.state.rate_limits.budget(user.login if user else None)
            if fault is None or fault.kind == "delay":
                response = self._answer(request, user, budget)
            else:
                response = self._fault_response(fault, budget)
            response.headers = self._headers(response, budget, authenticated=user is not None)
        return response, user.login if user else None, fault

    def _answer(self, request: Request, user, budget: Budget) -> Response:
        urls, path = _locate(request)
        operation, path_args = self.router.match(request.method, path.rstrip("/") or "/")
        counted = True
        try:
            if operation is None:
                raise errors.not_found()
            counted = not operation.is_free
            if user is None and not operation.is_public:
                counted = False
                raise errors.bad_credentials() if _token(request) else errors.requires_authentication()
            version = request.headers.get("x-github-api-version")
            if version is not None and version != API_VERSION:
                raise errors.unsupported_version(version)
            if counted and budget.remaining == 0:
                counted = False
                raise errors.rate_limited(user.id if user else None)
            call = routes.Call(self.state, request, user, urls, path, budget)
            response = operation.handler(call, **path_args)
        except ApiError as error:
            response = json_response(error.body, error.status, headers=error.headers)
        except Exception:
            logger.exception("Emulator failed on %s %s", request.method, request.path)
            response = json_response(errors.server_error(500).body, 500)
        etag = _etag(response.body)
        if response.status == 200 and _etag_matches(request.headers.get("if-none-match"), etag):
            response = Response(304, b"", [(k, v) for k, v in response.headers if k.lower() != "content-type"])
        elif counted:
            budget.used += 1
        response.headers.append(("ETag", etag))
        return response

    def _fault_response(self, fault: FaultRule, budget: Budget) -> Response:
        if fault.kind == "malformed":
            return Response(200, MALFORMED_BODY, [("Content-Type", "application/json; charset=utf-8")])
        if fault.kind == "secondary_rate_limit":
            error = errors.secondary_rate_limited(fault.retry_after)
        elif fault.kind == "rate_limit_exhausted":
            error = errors.rate_limited(None)
            exhausted = Budget(budget.limit, budget.limit, self.state.now() + timedelta(seconds=fault.reset_in))
            error.headers = exhausted.headers()
        else:
            error = errors.server_error(fault.status)
        response = json_response(error.body, error.status, headers=error.headers)
        response.headers.append(("ETag", _etag(response.body)))
        return response

    def _headers(self, response: Response, budget: Budget, *, authenticated: bool) -> list[tuple[str, str]]:
        headers = list(response.headers)
        if not any(name == "X-RateLimit-Limit" for name, _ in headers):
            headers += budget.headers()
        if authenticated:
            headers.append(("X-OAuth-Scopes", OAUTH_SCOPES))
        if response.status in (200, 304):
            headers.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
        headers += COMMON_HEADERS
        headers.append(("X-GitHub-Request-Id", self._request_ids.next()))
        return headers


def _locate(request: Request) -> tuple[Urls, str]:
    """The URLs to print for this request (with `/api/v3` when asked through it) and the path
    relative to the API root."""
    web = f"http://{request.host}"
    prefix, path = split_enterprise_prefix(request.path)
    return Urls(web + prefix, web), path


def _token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() in ("bearer", "token") and credentials.strip():
        return credentials.strip()
    return None


def _etag(body: bytes) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()}"'


def _etag_matches(header: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110): `W/` prefixes do not matter; `*` matches anything."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


class _RequestIds:
    """GitHub-style request ids: `CB44:2E1C:1B5D9A3:1C1E0C9:6627A4F1`."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counter = secrets.randbelow(0xFFFFFF)

    def next(self) -> str:
        with self._lock:
            self._counter += 1
            counter = self._counter
        return (
            f"{secrets.randbelow(0xFFFF):04X}:{secrets.randbelow(0xFFFF):04X}:{counter:X}:"
            f"{secrets.randbelow(0xFFFFFFF):X}:{int(time.time()):08X}"
        )
