"""A tiny HTTP client for the `/__emulator__/` control endpoints every emulator has (see
`integrations.providers.emulator_kit.control`); the emulators' tests use it too."""

from __future__ import annotations

import requests

HTTP_TIMEOUT = 5


class ControlClient:
    def __init__(self, server):
        self.url = server.control_url

    def get(self, path: str) -> requests.Response:
        return requests.get(self.url + path, timeout=HTTP_TIMEOUT)

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.post(self.url + path, json=body, timeout=HTTP_TIMEOUT)

    def put(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.put(self.url + path, json=body, timeout=HTTP_TIMEOUT)

    def patch(self, path: str, body: dict) -> requests.Response:
        return requests.patch(self.url + path, json=body, timeout=HTTP_TIMEOUT)

    def delete(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.delete(self.url + path, json=body, timeout=HTTP_TIMEOUT)

    def fault(self, **rule) -> dict:
        response = self.post("/faults", rule)
        assert response.status_code == 201, response.text
        return response.json()

    def requests_log(self) -> list[dict]:
        return self.get("/requests").json()["requests"]
