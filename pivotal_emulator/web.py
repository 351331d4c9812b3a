"""The little WSGI plumbing both the API and the control endpoints need: a parsed request, a
response, and a regex router. Standard library only, on purpose (see the package docstring)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from .rendering import encode_json

MAX_BODY_BYTES = 1_000_000


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)  # the last value wins, like Rails
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @classmethod
    def from_environ(cls, environ: dict) -> Request:
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY_BYTES)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        return cls(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=path or "/",
            params=dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
            headers=headers,
            body=body,
        )

    @classmethod
    def for_url(cls, method: str, url: str, headers: dict[str, str]) -> Request:
        """A request built from a path with a query, as the aggregator receives them."""
        parts = urlsplit(url)
        return cls(method, parts.path or "/", dict(parse_qsl(parts.query, keep_blank_values=True)), headers)

    def json(self):
        """The JSON body (None when empty); raises ValueError when it is not JSON."""
        if not self.body.strip():
            return None
        return json.loads(self.body)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def send(self, start_response) -> list[bytes]:
        phrase = HTTPStatus(self.status).phrase if self.status in HTTPStatus._value2member_map_ else ""
        headers = list(self.headers)
        if self.body or self.status != 204:
            headers.append(("Content-Length", str(len(self.body))))
        start_response(f"{self.status} {phrase}".strip(), headers)
        return [self.body]


def json_response(data, status: int = 200, *, date_format: str = "iso", headers=()) -> Response:
    return Response(
        status,
        encode_json(data, date_format),
        [("Content-Type", "application/json; charset=utf-8"), *headers],
    )


class Router:
    """Routes are (method, path regex, handler); named groups are passed to the handler as ints
    (every id in these APIs is numeric). A path that exists with another method is reported
    separately, so callers can choose between 404 and 405."""

    def __init__(self):
        self._routes: list[tuple[str, re.Pattern, Callable]] = []

    def add(self, method: str, pattern: str, handler: Callable) -> None:
        self._routes.append((method, re.compile(pattern), handler))

    def match(self, method: str, path: str):
        """(handler, kwargs) for a match, (None, True) when only the method differs, else (None, False)."""
        path_known = False
        for route_method, pattern, handler in self._routes:
            found = pattern.fullmatch(path)
            if found:
                if route_method == method:
                    return handler, {key: int(value) for key, value in found.groupdict().items()}
                path_known = True
        return None, path_known
