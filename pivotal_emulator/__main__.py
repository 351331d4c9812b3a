"""Run the emulator: `python -m pivotal_emulator --host 127.0.0.1 --port 8111 --demo`.

Serves until SIGINT (Ctrl-C) or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .demo_data import build_demo_state
from .server import EmulatorServer
from .state import EmulatorState

DEFAULT_PORT = 8111


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pivotal_emulator", description="Local Pivotal Tracker REST API v5 emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--demo", action="store_true", help="load the Acme Corp demo data")
    parser.add_argument(
        "--print-tokens", action="store_true", help="print the people and their API tokens at start"
    )
    args = parser.parse_args(argv)

    state = build_demo_state() if args.demo else EmulatorState()
    server = EmulatorServer(state, args.host, args.port)
    try:
        server.start()
    except OSError as error:
        print(f"Cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1

    print(f"Pivotal Tracker emulator: {server.base_url}", flush=True)
    print(f"Control endpoints:        {server.control_url}/state", flush=True)
    if not args.demo:
        print("No data loaded (use --demo, or POST to the control endpoints).", flush=True)
    if args.print_tokens:
        print_tokens(state)

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Emulator stopped.", flush=True)
    return 0


def print_tokens(state: EmulatorState) -> None:
    people = state.people()
    if not people:
        print("(no people)")
        return
    rows = [(p.name, p.email, p.api_token or "(revoked)") for p in people]
    widths = [max(len(row[i]) for row in rows + [("name", "email", "token")]) for i in range(3)]
    for row in [("name", "email", "token"), *rows]:
        print("  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip(), flush=True)


if __name__ == "__main__":
    sys.exit(main())
