"""A live server of the project, in a thread of the test process, against the test database, that
the tests can stop and start again on the same port (the app sees a refused connection, as when
offline or when the server is down)."""

import socket

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test.testcases import LiveServerThread


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ReusableLiveServerThread(LiveServerThread):
    """Binds with SO_REUSEADDR, so a restart gets the same port while old sockets linger."""

    def _create_server(self, connections_override=None):
        return ThreadedWSGIServer(
            (self.host, self.port), QuietHandler, allow_reuse_address=True, connections_override=connections_override
        )


class RestartableServer:
    host = "127.0.0.1"

    def __init__(self):
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        self.thread = None

    @property
    def running(self):
        return self.thread is not None

    def start(self):
        if self.thread is not None:
            return self
        thread = ReusableLiveServerThread(self.host, StaticFilesHandler, port=self.port)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        self.thread = thread
        return self

    def stop(self):
        if self.thread is not None:
            self.thread.terminate()
            self.thread = None
