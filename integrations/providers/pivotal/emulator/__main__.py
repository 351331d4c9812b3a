"""Run the emulator: `python -m integrations.providers.pivotal.emulator --host 127.0.0.1 --port 8111 --demo`.

Serves until SIGINT (Ctrl-C) or SIGTERM (see `emulator_kit.cli`).
"""

from __future__ import annotations

import sys

from integrations.providers.emulator_kit.cli import print_table, run_emulator

from .demo_data import build_demo_state
from .server import EmulatorServer
from .state import EmulatorState

DEFAULT_PORT = 8111


def main(argv: list[str] | None = None) -> int:
    return run_emulator(
        argv,
        prog="python -m integrations.providers.pivotal.emulator",
        description="Local Pivotal Tracker REST API v5 emulator.",
        default_port=DEFAULT_PORT,
        server_class=EmulatorServer,
        empty_state=EmulatorState,
        demo_state=build_demo_state,
        banner=lambda server: [
            f"Pivotal Tracker emulator: {server.base_url}",
            f"Control endpoints:        {server.control_url}/state",
        ],
        print_tokens=print_tokens,
    )


def print_tokens(state: EmulatorState) -> None:
    rows = [(p.name, p.email, p.api_token or "(revoked)") for p in state.people()]
    print_table(("name", "email", "token"), rows, empty="(no people)")


if __name__ == "__main__":
    sys.exit(main())
