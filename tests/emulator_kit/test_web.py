"""Requests from WSGI environs, responses, the router and JSON encoding."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from integrations.providers.emulator_kit.web import Request, Response, Router, encode_json, split_prefix


def _environ(**overrides) -> dict:
    environ = {
        "REQUEST_METHOD": "post",
        "PATH_INFO": "/things",
        "QUERY_STRING": "a=1&b=&a=2",
        "HTTP_X_TOKEN": "t",
        "HTTP_HOST": "example.test:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "13",
        "wsgi.input": io.BytesIO(b'{"name": "x"}'),
    }
    return {**environ, **overrides}


def test_a_request_is_read_from_the_wsgi_environ():
    request = Request.from_environ(_environ())

    assert (request.method, request.path, request.host) == ("POST", "/things", "example.test:8000")
    assert request.query == [("a", "1"), ("b", ""), ("a", "2")]
    assert request.params == {"a": "2", "b": ""}
    assert request.headers == {"x-token": "t", "host": "example.test:8000", "content-type": "application/json"}
    assert request.json() == {"name": "x"}


def test_a_body_past_the_limit_is_cut_and_an_empty_body_is_no_json():
    assert Request.from_environ(_environ(), max_body_bytes=5).body == b'{"nam'
    assert Request.from_environ(_environ(CONTENT_LENGTH="", HTTP_HOST="")).json() is None


def test_a_request_can_be_built_from_a_url():
    request = Request.for_url("GET", "/projects/1/stories?limit=5&limit=7", {"x-token": "t"})

    assert (request.path, request.params, request.headers) == ("/projects/1/stories", {"limit": "7"}, {"x-token": "t"})


def test_a_response_has_a_content_length_unless_it_cannot_have_a_body():
    sent = {}

    def start_response(status, headers):
        sent[status] = dict(headers)

    for status in (200, 204, 304, 599):
        Response(status, b"" if status in (204, 304) else b"{}").send(start_response)

    assert sent["200 OK"]["Content-Length"] == "2"
    assert "Content-Length" not in sent["204 No Content"]
    assert "Content-Length" not in sent["304 Not Modified"]
    assert "599" in sent
    assert Response(200, headers=[("ETag", "x")]).header("etag") == "x"


def test_the_router_converts_path_groups_and_tells_a_wrong_method_from_an_unknown_path():
    numbers, names = Router(int), Router()
    numbers.add("GET", r"/things/(?P<thing_id>\d+)", "get_thing")
    names.add("GET", r"/users/(?P<login>[^/]+)", "get_user")

    assert numbers.match("GET", "/things/7") == ("get_thing", {"thing_id": 7})
    assert names.match("GET", "/users/ana") == ("get_user", {"login": "ana"})
    assert numbers.match("DELETE", "/things/7") == (None, True)
    assert numbers.match("GET", "/elsewhere") == (None, False)


def test_json_is_compact_utf8_with_dates_printed_and_lone_surrogates_escaped():
    when = datetime(2025, 4, 25, 16, 0, 0, tzinfo=UTC)

    assert encode_json({"at": when, "name": "Zoë"}) == '{"at":"2025-04-25T16:00:00Z","name":"Zoë"}'.encode()
    assert encode_json({"at": when}, print_date=lambda value: 1) == b'{"at":1}'
    assert encode_json(["\ud800"]) == b'["\\ud800"]'


def test_a_prefix_is_split_off_only_at_a_segment_boundary():
    assert split_prefix("/api/v3/user", "/api/v3") == ("/api/v3", "/user")
    assert split_prefix("/api/v3", "/api/v3") == ("/api/v3", "/")
    assert split_prefix("/api/v3x", "/api/v3") == ("", "/api/v3x")
    assert split_prefix("/user", "") == ("", "/user")
