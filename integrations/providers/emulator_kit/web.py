"""The little WSGI plumbing an emulator's API and control endpoints need: a parsed request, a
response, a regex router and JSON encoding. Standard library only."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from .clock import format_iso

MAX_BODY_BYTES = 1_000_000
BODYLESS_STATUSES = (204, 304)  # RFC 9110: no content, so no Content-Length either


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)  # in the order they came
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    host: str = "127.0.0.1"

    @property
    def params(self) -> dict[str, str]:
        """The query as a dict; the last value of a repeated name wins (as in Rails)."""
        return dict(self.query)

    @classmethod
    def from_environ(cls, environ: dict, *, max_body_bytes: int = MAX_BODY_BYTES) -> Request:
        """The request a WSGI server hands over; a body past `max_body_bytes` is cut there."""
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), max_body_bytes)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        host = headers.get("host") or f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '80')}"
        return cls(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=path or "/",
            query=parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            headers=headers,
            body=body,
            host=host,
        )

    @classmethod
    def for_url(cls, method: str, url: str, headers: dict[str, str]) -> Request:
        """A request built from a path with a query (for APIs that answer several in one call)."""
        parts = urlsplit(url)
        return cls(method, parts.path or "/", parse_qsl(parts.query, keep_blank_values=True), headers)

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

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def send(self, start_response) -> list[bytes]:
        phrase = HTTPStatus(self.status).phrase if self.status in HTTPStatus._value2member_map_ else ""
        headers = list(self.headers)
        if self.status not in BODYLESS_STATUSES:
            headers.append(("Content-Length", str(len(self.body))))
        start_response(f"{self.status} {phrase}".strip(), headers)
        return [self.body]


def encode_json(data, *, print_date: Callable[[datetime], object] = format_iso) -> bytes:
    """Compact UTF-8 JSON, with datetimes printed by `print_date` (ISO 8601 `Z` by default).
    Text UTF-8 cannot carry (a lone surrogate, as the tests of hostile values send) goes out as
    \\u escapes, as JSON allows."""

    def default(value):
        if isinstance(value, datetime):
            return print_date(value)
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    try:
        return json.dumps(data, default=default, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, default=default, separators=(",", ":")).encode("ascii")


def json_response(
    data, status: int = 200, *, headers=(), print_date: Callable[[datetime], object] = format_iso
) -> Response:
    return Response(
        status,
        encode_json(data, print_date=print_date),
        [("Content-Type", "application/json; charset=utf-8"), *headers],
    )


class Router:
    """Routes are (method, path regex, handler); named groups reach the handler as strings, or
    through `convert` (`int` where every id in an API is numeric). A path that
    exists with another method is reported, so callers can choose between 404 and 405."""

    def __init__(self, convert: Callable[[str], object] | None = None):
        self.convert = convert
        self._routes: list[tuple[str, re.Pattern, Callable]] = []

    def add(self, method: str, pattern: str, handler: Callable) -> None:
        self._routes.append((method, re.compile(pattern), handler))

    def match(self, method: str, path: str) -> tuple[Callable | None, dict | bool]:
        """(handler, kwargs) for a match, (None, True) when only the method differs, else (None, False)."""
        path_known = False
        for route_method, pattern, handler in self._routes:
            found = pattern.fullmatch(path)
            if found:
                if route_method == method:
                    return handler, self._arguments(found)
                path_known = True
        return None, path_known

    def _arguments(self, found: re.Match) -> dict:
        arguments = found.groupdict()
        if self.convert is None:
            return arguments
        return {key: None if value is None else self.convert(value) for key, value in arguments.items()}


def split_prefix(path: str, prefix: str) -> tuple[str, str]:
    """(prefix, the rest) for a path under `prefix` (a whole path segment), else ("", path)."""
    if prefix and is_under(path, prefix):
        return prefix, path[len(prefix) :] or "/"
    return "", path


def is_under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or below it (`/api/v3`, `/api/v3/user`; not `/api/v3x`)."""
    return path == prefix or path.startswith(prefix + "/")
