"""A WSGI app served from a background thread on a local port, for tests, demos and the CLI.

`wsgiref.simple_server` plus `ThreadingMixIn`: one daemon thread per request, so a `delay`
fault never blocks other calls and `stop()` never waits for a sleeping one. There is no access
log at all: query strings can carry tokens, and each emulator's request log is the record.
An application that raises `DropConnection` gets the connection closed without any answer.

    class MyEmulatorServer(BackgroundWSGIServer):
        thread_name = "my-emulator"

    with MyEmulatorServer(app) as server:      # port 0 (the default) = a free port
        requests.get(server.root_url + "/ping")
"""

from __future__ import annotations

import logging
import socketserver
import sys
import threading
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from .control import CONTROL_PREFIX
from .faults import DropConnection

logger = logging.getLogger(__name__)

# How often the serving loop checks for stop(): stop() returns within this, idle cost is nil.
SHUTDOWN_POLL_SECONDS = 0.01


class BackgroundWSGIServer:
    thread_name = "emulator"  # the serving thread is called "<thread_name>-<port>"

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self.host = host
        self.requested_port = port
        self._httpd: _ThreadingWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self):
        """Bind, listen, and serve from a background thread; returns once connections are accepted."""
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        self._httpd = _ThreadingWSGIServer((self.host, self.requested_port), _QuietRequestHandler)
        self._httpd.set_app(self.app)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name=f"{self.thread_name}-{self.port}",
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

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def is_running(self) -> bool:
        return self._httpd is not None

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
    def control_url(self) -> str:
        return self.root_url + CONTROL_PREFIX


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
        if not isinstance(exc_info[1], DropConnection):
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
        handler = _ServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())
