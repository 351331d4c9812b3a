"""The server's public desktop API (/api/v1/), over HTTP with requests. Every call has a timeout;
a server that cannot be reached, times out or answers 5xx or 429 is `Unreachable` (try again
later), a refused token is `NotSignedIn`, any other error is `ApiError` with the server's code."""

from dataclasses import dataclass

import requests

from . import __version__

CONNECT_TIMEOUT, READ_TIMEOUT = 5, 30
API_PREFIX = "/api/v1/"


class Unreachable(Exception):
    """Offline, or the server is down or busy. `retry_after` is the server's hint in seconds."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class NotSignedIn(Exception):
    """The app token is unknown or revoked: sign in again with a new one."""


class ApiError(Exception):
    def __init__(self, code, message, status):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class TaskList:
    not_modified: bool
    etag: str | None
    projects: list | None = None


def normalise_server_url(url):
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        url = "https://" + url
    return url


class ApiClient:
    def __init__(self, server_url, token, *, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), session=None):
        self.base_url = normalise_server_url(server_url) + API_PREFIX
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": f"timedoctor-desktop/{__version__}",
            }
        )

    def _request(self, method, path, **kwargs):
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise Unreachable(f"The server cannot be reached ({type(error).__name__}).") from error
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise Unreachable(
                f"The server answered {response.status_code}.",
                float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if response.status_code == 401:
            raise NotSignedIn(_error(response)[1] or "The app token was refused.")
        if response.status_code >= 400:
            code, message = _error(response)
            raise ApiError(code, message, response.status_code)
        return response

    def me(self):
        return self._request("GET", "me/").json()

    def tasks(self, etag=None):
        """My tasks grouped by project; with the ETag of the cached list, an unchanged list is a 304."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "tasks/", headers=headers)
        if response.status_code == 304:
            return TaskList(True, response.headers.get("ETag") or etag)
        return TaskList(False, response.headers.get("ETag"), response.json()["projects"])

    def upload(self, entries):
        """Sends up to 1,000 entries to the batch endpoint; one result per entry, in order."""
        return self._request("POST", "time-entries/batch/", json={"entries": entries}).json()["results"]

    def timer(self):
        return self._request("GET", "timer/").json()["running"]


def _error(response):
    try:
        body = response.json()["error"]
        return body.get("code", "error"), body.get("message", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return "error", response.text[:200]
