"""Shared names and tiny HTTP clients for the GitHub emulator tests. Every API answer they
return has been validated against GitHub's OpenAPI description (see `schemas.py`)."""

from __future__ import annotations

import requests

from integrations.providers.github.emulator import DEMO_USERS, GitHubEmulatorServer

from .schemas import validated

TOKENS = {user.login: user.token for user in DEMO_USERS}
IDS = {user.login: user.id for user in DEMO_USERS}
WEB, MOBILE, BILLING = "acme-corp/web-app", "acme-corp/mobile-app", "acme-corp/billing-api"
HTTP_TIMEOUT = 5


class GitHubClient:
    """Just enough of a GitHub client to write tests that read like the calls they make."""

    def __init__(self, server: GitHubEmulatorServer, base_url: str | None = None):
        self.server = server
        self.base_url = base_url or server.base_url

    def get(
        self,
        path: str,
        as_: str | None = "olivia",
        *,
        token: str | None = None,
        headers: dict | None = None,
        undeclared: bool = False,
        **params,
    ) -> requests.Response:
        return validated(self.raw(path, as_, token=token, headers=headers, **params), undeclared=undeclared)

    def raw(self, path: str, as_: str | None = "olivia", *, token=None, headers=None, **params) -> requests.Response:
        """The answer, unchecked: for faults that break GitHub's shapes on purpose."""
        sent = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        elif as_ is not None:
            sent["Authorization"] = f"Bearer {TOKENS[as_]}"
        sent.update(headers or {})
        url = path if path.startswith("http") else self.base_url + path
        return requests.get(url, headers=sent, params=params, timeout=HTTP_TIMEOUT, allow_redirects=False)


def numbers(response: requests.Response) -> list[int]:
    return [item["number"] for item in response.json()]


def links(response: requests.Response) -> dict[str, str]:
    """The Link header as {rel: url}, parsed by requests."""
    return {rel: link["url"] for rel, link in response.links.items()}
