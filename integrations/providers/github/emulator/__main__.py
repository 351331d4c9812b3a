"""Run the emulator: `python -m integrations.providers.github.emulator --port 8112 --demo`.

Serves until SIGINT (Ctrl-C) or SIGTERM (see `emulator_kit.cli`).
"""

from __future__ import annotations

import sys

from integrations.providers.emulator_kit.cli import print_table, run_emulator

from .demo_data import build_demo_state
from .server import GitHubEmulatorServer
from .state import GitHubState

DEFAULT_PORT = 8112


def main(argv: list[str] | None = None) -> int:
    return run_emulator(
        argv,
        prog="python -m integrations.providers.github.emulator",
        description="Local GitHub REST API emulator (api.github.com, 2022-11-28).",
        default_port=DEFAULT_PORT,
        tokens_help="print the users and their tokens at start",
        server_class=GitHubEmulatorServer,
        empty_state=GitHubState,
        demo_state=build_demo_state,
        banner=lambda server: [
            f"GitHub emulator:   {server.base_url}  (Enterprise style: {server.enterprise_base_url})",
            f"Control endpoints: {server.control_url}/state",
        ],
        print_tokens=print_tokens,
    )


def print_tokens(state: GitHubState) -> None:
    rows = [(user.login, user.name or "", user.email or "", user.token or "(revoked)") for user in state.users()]
    print_table(("login", "name", "email", "token"), rows, empty="(no users)")


if __name__ == "__main__":
    sys.exit(main())
