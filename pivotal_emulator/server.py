"""A threaded HTTP server around the emulator's WSGI app, for tests, demos and the CLI.

`wsgiref.simple_server` plus `ThreadingMixIn`: one daemon thread per request, so a `delay`
fault never blocks other calls and `stop()` never waits for a sleeping one. Logging is quiet:
no access log at all, because query strings can carry `?token=`.

    with EmulatorServer(build_demo_state()) as emulator:
        requests.get(f"{emulator.base_url}/me", headers={"X-TrackerToken": token})
"""

from __future__ import annotations

import logging
import socketserver
import sys
import threading
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from .api import EmulatorApp
from .faults import API_PREFIX, DropConnection, FaultInjector
from .request_log import RequestLog
from .state import EmulatorState

logger = logging.getLogger(__name__)

# How often the serving loop checks for stop(): stop() returns within this, idle cost is nil.
SHUTDOWN_POLL_SECONDS = 0.01


class EmulatorServer:
    def __init__(
        self,
        state: EmulatorState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reset_factory=None,
    ):
        self.state = state if state is not None else EmulatorState()
        self.host = host
        self.requested_port = port
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self.app = EmulatorApp(self.state, self.faults, self.request_log, reset_factory)
        self._httpd: _ThreadingWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> EmulatorServer:
        """Bind, listen, and serve from a background thread; returns once connections are accepted."""
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        self._httpd = _ThreadingWSGIServer((self.host, self.requested_port), _QuietRequestHandler)
        self._httpd.set_app(self.app)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name=f"pivotal-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return self._httpd.server_address[1]

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What a Tracker client uses instead of https://www.pivotaltracker.com/services/v5."""
        return self.root_url + API_PREFIX

    @property
    def control_url(self) -> str:
        return self.root_url + "/__emulator__"


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def server_bind(self):
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a slow resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
        self.setup_environ()

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            logger.warning("Emulator request failed: %r", error)


class _ServerHandler(ServerHandler):
    def handle_error(self):
        if isinstance(sys.exc_info()[1], DropConnection):
            return  # write nothing: the server then closes the socket, like a dropped connection
        super().handle_error()

    def log_exception(self, exc_info):
        logger.error("Emulator application error", exc_info=exc_info)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass  # an access log would print query strings, and those can carry ?token=

    def handle(self):
        """WSGIRequestHandler.handle with our ServerHandler (which knows how to drop a request)."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.request_handler = self
        handler.run(self.server.get_app())
