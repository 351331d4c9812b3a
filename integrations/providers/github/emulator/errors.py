"""GitHub's error answers, as exceptions the handlers raise and the app turns into responses."""

from __future__ import annotations

from http import HTTPStatus

from .rendering import DOCS, error_json

DOCS_RATE_LIMITS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
DOCS_SECONDARY = DOCS_RATE_LIMITS + "#about-secondary-rate-limits"
DOCS_VERSIONS = "https://docs.github.com/rest/about-the-rest-api/api-versions"
DOCS_REDIRECTS = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"


class ApiError(Exception):
    def __init__(self, status: int, body: dict, headers: list[tuple[str, str]] | None = None):
        super().__init__(body.get("message"))
        self.status = status
        self.body = body
        self.headers = headers or []


def not_found(documentation_url: str = DOCS) -> ApiError:
    return ApiError(404, error_json("Not Found", 404, documentation_url))


def bad_credentials() -> ApiError:
    return ApiError(401, error_json("Bad credentials", 401))


def requires_authentication(documentation_url: str = DOCS) -> ApiError:
    return ApiError(401, error_json("Requires authentication", 401, documentation_url))


def rate_limited(user_id: int | None) -> ApiError:
    who = f"user ID {user_id}" if user_id is not None else "127.0.0.1"
    return ApiError(403, error_json(f"API rate limit exceeded for {who}.", 403, DOCS_RATE_LIMITS))


def secondary_rate_limited(retry_after: int) -> ApiError:
    message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    return ApiError(403, error_json(message, 403, DOCS_SECONDARY), [("Retry-After", str(retry_after))])


def moved_permanently(url: str, documentation_url: str) -> ApiError:
    body = {"message": "Moved Permanently", "url": url, "documentation_url": documentation_url}
    return ApiError(301, body, [("Location", url)])


def gone(message: str, documentation_url: str) -> ApiError:
    return ApiError(410, error_json(message, 410, documentation_url))


def validation_failed(field: str, resource: str, documentation_url: str, value=None) -> ApiError:
    error = {"resource": resource, "field": field, "code": "invalid"}
    if value is not None:
        error["value"] = value
    return ApiError(422, error_json("Validation Failed", 422, documentation_url, errors=[error]))


def unsupported_version(version: str) -> ApiError:
    message = f"Invalid API version provided: {version}. Supported versions: 2022-11-28."
    return ApiError(400, error_json(message, 400, DOCS_VERSIONS))


def server_error(status: int) -> ApiError:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Server Error"
    return ApiError(status, error_json(phrase, status))
