"""The command line every emulator shares: options, the banner, a busy port, the token table."""

from __future__ import annotations

import socket

from integrations.providers.emulator_kit.cli import parse_arguments, print_table, serve

from .conftest import NotesServer


def test_the_options_every_emulator_takes():
    args = parse_arguments(["--port", "9000", "--demo"], prog="notes", description="Notes.", default_port=8000)

    assert (args.host, args.port, args.demo, args.print_tokens) == ("127.0.0.1", 9000, True, False)
    assert parse_arguments([], prog="notes", description="Notes.", default_port=8000).port == 8000


def test_a_busy_port_is_reported_and_exits_with_1(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        status = serve(NotesServer(port=port), banner=lambda server: ["never"], is_loaded=True)

    assert status == 1
    assert capsys.readouterr().err.startswith(f"Cannot listen on 127.0.0.1:{port}: ")


def test_the_token_table_lines_up_its_columns(capsys):
    print_table(("login", "token"), [("ana", "t1"), ("olivia", "t2")], empty="(no users)")
    print_table(("login", "token"), [], empty="(no users)")

    assert capsys.readouterr().out.splitlines() == ["login   token", "ana     t1", "olivia  t2", "(no users)"]
