"""Shared names and tiny HTTP clients for the emulator tests."""

from __future__ import annotations

import requests

from integrations.providers.pivotal.emulator import DEMO_PEOPLE, EmulatorServer
from integrations.providers.pivotal.emulator.demo_data import BILLING_API, MOBILE, WEB_APP

TOKENS = {person.username: person.api_token for person in DEMO_PEOPLE}
IDS = {person.username: person.pivotal_id for person in DEMO_PEOPLE}
PROJECTS = {"web": WEB_APP, "mobile": MOBILE, "billing": BILLING_API}
HTTP_TIMEOUT = 5


class TrackerClient:
    """Just enough of a Tracker client to write tests that read like the calls they make."""

    def __init__(self, server: EmulatorServer):
        self.server = server
        self.base_url = server.base_url

    def get(self, path: str, as_: str | None = "ana", *, token: str | None = None, **params):
        headers = {}
        if token is not None:
            headers["X-TrackerToken"] = token
        elif as_ is not None:
            headers["X-TrackerToken"] = TOKENS[as_]
        return requests.get(self.base_url + path, headers=headers, params=params, timeout=HTTP_TIMEOUT)

    def send(self, method: str, path: str, as_: str = "olivia", **kwargs):
        headers = {"X-TrackerToken": TOKENS[as_]}
        return requests.request(method, self.base_url + path, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
