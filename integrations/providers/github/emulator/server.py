"""The GitHub emulator served from a background thread, with its webhook dispatcher, for tests,
demos and the CLI (the server itself is `emulator_kit.server`: threaded, no access log; the
request log at `/__emulator__/requests` is the record, and it never holds tokens).

    with GitHubEmulatorServer(build_demo_state()) as github:
        requests.get(f"{github.base_url}/user", headers={"Authorization": f"Bearer {token}"})
"""

from __future__ import annotations

from collections.abc import Callable

from integrations.providers.emulator_kit.server import BackgroundWSGIServer

from .api import GitHubApp, RequestCallback
from .faults import FaultInjector
from .rendering import Urls
from .request_log import RequestLog
from .state import GitHubState
from .web import ENTERPRISE_PREFIX
from .webhooks import WebhookDispatcher


class GitHubEmulatorServer(BackgroundWSGIServer):
    thread_name = "github-emulator"

    def __init__(
        self,
        state: GitHubState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reset_factory: Callable[[], GitHubState] | None = None,
    ):
        self.state = state if state is not None else GitHubState()
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self.webhooks = WebhookDispatcher(self.state, lambda: Urls(self.root_url, self.root_url))
        app = GitHubApp(self.state, self.faults, self.request_log, reset_factory=reset_factory, webhooks=self.webhooks)
        super().__init__(app, host, port)

    def start(self) -> GitHubEmulatorServer:
        """Bind, listen, serve from a background thread; returns once connections are accepted."""
        super().start()
        self.webhooks.start()
        return self

    def stop(self) -> None:
        if self.is_running:
            self.webhooks.stop()
        super().stop()

    def on_request(self, callback: RequestCallback) -> None:
        """Run `callback(entry)` after each API request is answered, before the answer is sent;
        `entry` is the request-log entry (method, path, query, status, login, fault)."""
        self.app.on_request(callback)

    def wait_for_deliveries(self, timeout: float = 5) -> bool:
        """Block until every webhook delivery queued so far was attempted."""
        return self.webhooks.wait_until_idle(timeout)

    def deliveries(self) -> list[dict]:
        return self.webhooks.deliveries()

    @property
    def base_url(self) -> str:
        """What a GitHub client uses instead of https://api.github.com."""
        return self.root_url

    @property
    def enterprise_base_url(self) -> str:
        """The same API as a GitHub Enterprise Server base URL (`https://<host>/api/v3`)."""
        return self.root_url + ENTERPRISE_PREFIX
