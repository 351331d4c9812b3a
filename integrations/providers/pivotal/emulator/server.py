"""The Tracker emulator served from a background thread, for tests, demos and the CLI (the
server itself is `emulator_kit.server`: threaded, no access log, stops within 10 ms).

    with EmulatorServer(build_demo_state()) as emulator:
        requests.get(f"{emulator.base_url}/me", headers={"X-TrackerToken": token})
"""

from __future__ import annotations

from integrations.providers.emulator_kit.server import BackgroundWSGIServer

from .api import EmulatorApp
from .faults import API_PREFIX, FaultInjector
from .request_log import RequestLog
from .state import EmulatorState


class EmulatorServer(BackgroundWSGIServer):
    thread_name = "pivotal-emulator"

    def __init__(
        self,
        state: EmulatorState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reset_factory=None,
    ):
        self.state = state if state is not None else EmulatorState()
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        super().__init__(EmulatorApp(self.state, self.faults, self.request_log, reset_factory), host, port)

    @property
    def base_url(self) -> str:
        """What a Tracker client uses instead of https://www.pivotaltracker.com/services/v5."""
        return self.root_url + API_PREFIX
