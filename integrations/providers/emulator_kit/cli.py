"""What `python -m integrations.providers.<id>.emulator` does, for every emulator: take `--host`,
`--port`, `--demo` and `--print-tokens`, serve until SIGINT (Ctrl-C) or SIGTERM, then stop.

    def main(argv=None) -> int:
        return run_emulator(
            argv,
            prog="python -m …", description="…", default_port=8111,
            server_class=MyServer, empty_state=MyState, demo_state=build_demo_state,
            banner=lambda server: [f"My emulator: {server.base_url}"],
            print_tokens=print_my_tokens,     # (state) -> None, for --print-tokens
        )
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence


def run_emulator(
    argv: list[str] | None,
    *,
    prog: str,
    description: str,
    default_port: int,
    server_class: Callable,
    empty_state: Callable,
    demo_state: Callable,
    banner: Callable[[object], Iterable[str]],
    print_tokens: Callable[[object], None],
    tokens_help: str = "print the people and their API tokens at start",
) -> int:
    """The whole command: parse `argv`, build the state and `server_class(state, host, port)`, serve."""
    args = parse_arguments(argv, prog=prog, description=description, default_port=default_port, tokens_help=tokens_help)
    state = demo_state() if args.demo else empty_state()
    return serve(
        server_class(state, args.host, args.port),
        banner=banner,
        is_loaded=args.demo,
        print_tokens=(lambda: print_tokens(state)) if args.print_tokens else None,
    )


def parse_arguments(
    argv: list[str] | None,
    *,
    prog: str,
    description: str,
    default_port: int,
    tokens_help: str = "print the people and their API tokens at start",
) -> argparse.Namespace:
    """`--host`, `--port`, `--demo` and `--print-tokens`."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=default_port, help=f"port (default {default_port})")
    parser.add_argument("--demo", action="store_true", help="load the Acme Corp demo data")
    parser.add_argument("--print-tokens", action="store_true", help=tokens_help)
    return parser.parse_args(argv)


def serve(
    server,
    *,
    banner: Callable[[object], Iterable[str]],
    is_loaded: bool,
    print_tokens: Callable[[], None] | None = None,
) -> int:
    """Start `server`, print `banner(server)`, serve until SIGINT or SIGTERM, stop; the exit status."""
    try:
        server.start()
    except OSError as error:
        print(f"Cannot listen on {server.host}:{server.requested_port}: {error.strerror}", file=sys.stderr)
        return 1

    for line in banner(server):
        print(line, flush=True)
    if not is_loaded:
        print("No data loaded (use --demo, or POST to the control endpoints).", flush=True)
    if print_tokens is not None:
        print_tokens()

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


def print_table(header: Sequence[str], rows: list[Sequence[str]], *, empty: str) -> None:
    """Left-aligned columns under `header`; `empty` alone when there are no rows."""
    if not rows:
        print(empty, flush=True)
        return
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip(), flush=True)
