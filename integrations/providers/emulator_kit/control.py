"""Control endpoints under `/__emulator__/`: how tests and demos steer a running emulator.

They are JSON, need no token and are deliberately not shaped like the provider's API (errors
are `{"error": "..."}`), so nobody mistakes them for it. They are not written to the request
log, which only holds API traffic. Every emulator has these five; its subclass adds its own
routes and lists them all in `endpoints_doc`, which `GET /__emulator__` serves line by line:

    GET    /__emulator__/state      summary of the data (no tokens), fault rules, request count
    GET    /__emulator__/requests   the request log (never tokens); DELETE clears it
    GET    /__emulator__/faults     the fault rules; POST adds one, DELETE clears them all
    POST   /__emulator__/reset      {"dataset": "demo" | "empty"}; also clears faults and the log
    POST   /__emulator__/clock      {"set"?: ISO time, "advance_seconds"?: n, "real"?: true}

A handler gets the JSON body (a dict; `{}` when empty) and the path's named groups, and runs
under the state's lock. `LookupError` answers 404, `ValueError` and `TypeError` 400, and
`ControlError` its own status.

The application (`app`) has `state`, `faults` (a `FaultInjector`) and `request_log`; the state
has `lock`, `clock`, `summary()` and `replace_with(other)`.
"""

from __future__ import annotations

from collections.abc import Callable

from .clock import format_iso, parse_iso
from .web import Request, Response, Router, json_response

CONTROL_PREFIX = "/__emulator__"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ControlEndpoints:
    endpoints_doc = __doc__  # the subclass's list of every control endpoint
    parse_time: Callable[[str], object] = staticmethod(parse_iso)  # how `POST /clock {"set"}` reads times

    def __init__(self, app, reset_factory: Callable | None = None, *, convert: Callable | None = None):
        """`reset_factory` builds the state `POST /reset` goes back to (the demo data by default);
        `convert` turns the path's named groups into handler arguments (strings by default)."""
        self.app = app
        self.reset_factory = reset_factory
        self.router = Router(convert)
        route = self.router.add
        route("GET", r"/?", self.describe)
        route("GET", r"/state", self.get_state)
        route("GET", r"/requests", self.list_requests)
        route("DELETE", r"/requests", self.clear_requests)
        route("GET", r"/faults", self.list_faults)
        route("POST", r"/faults", self.add_fault)
        route("DELETE", r"/faults", self.clear_faults)
        route("POST", r"/reset", self.reset)
        route("POST", r"/clock", self.set_clock)

    @property
    def state(self):
        return self.app.state

    def handle(self, request: Request) -> Response:
        path = request.path[len(CONTROL_PREFIX) :]
        handler, path_args = self.router.match(request.method, path)
        try:
            if handler is None:
                raise ControlError(405 if path_args else 404, f"no control endpoint {request.method} {request.path}")
            body = _json_object(request)
            with self.state.lock:
                return handler(body, **path_args)
        except ControlError as error:
            return json_response({"error": str(error)}, error.status)
        except LookupError as error:
            return json_response({"error": _message(error)}, 404)
        except (ValueError, TypeError) as error:
            return json_response({"error": _message(error)}, 400)

    # What the subclass provides -------------------------------------------------------------

    def empty_state(self):
        """A state with no data, for `POST /reset {"dataset": "empty"}`."""
        raise NotImplementedError

    def demo_state_factory(self) -> Callable:
        """What builds the demo data, when no `reset_factory` was given."""
        raise NotImplementedError

    def summary(self) -> dict:
        """What `GET /state` shows; subclasses may add to it."""
        summary = self.state.summary()
        summary["faults"] = [rule.as_json() for rule in self.app.faults.rules()]
        summary["request_count"] = len(self.app.request_log.entries())
        return summary

    def forget_traffic(self) -> None:
        """What a reset clears besides the data; subclasses may clear more."""
        self.app.faults.clear()
        self.app.request_log.clear()

    # Inspection ------------------------------------------------------------------------------

    def describe(self, body) -> Response:
        lines = [line.strip() for line in (self.endpoints_doc or "").splitlines()]
        return json_response({"endpoints": [line for line in lines if line.startswith(HTTP_METHODS)]})

    def get_state(self, body) -> Response:
        return json_response(self.summary())

    def list_requests(self, body) -> Response:
        return json_response({"requests": self.app.request_log.entries()})

    def clear_requests(self, body) -> Response:
        self.app.request_log.clear()
        return Response(204)

    # Faults ------------------------------------------------------------------------------

    def list_faults(self, body) -> Response:
        return json_response({"faults": [rule.as_json() for rule in self.app.faults.rules()]})

    def add_fault(self, body) -> Response:
        options = dict(body)
        if "kind" not in options:
            raise ValueError("kind is required")
        kind = str(options.pop("kind"))
        rule = self.app.faults.add(kind, **only_fields(options, self.app.faults.option_names()))
        return json_response(rule.as_json(), 201)

    def clear_faults(self, body) -> Response:
        return json_response({"cleared": self.app.faults.clear()})

    # Whole state and clock ---------------------------------------------------------------

    def reset(self, body) -> Response:
        """Back to the starting data; also clears faults and the request log."""
        dataset = body.get("dataset", "demo")
        if dataset == "empty":
            fresh = self.empty_state()
        elif dataset == "demo":
            fresh = (self.reset_factory or self.demo_state_factory())()
        else:
            raise ValueError("dataset must be demo or empty")
        self.state.replace_with(fresh)
        self.forget_traffic()
        return self.get_state({})

    def set_clock(self, body) -> Response:
        clock = self.state.clock
        if body.get("real"):
            clock.unfreeze()
        if "set" in body:
            clock.set(self.parse_time(str(body["set"])))
        if "advance_seconds" in body:
            seconds = body["advance_seconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ValueError("advance_seconds must be a number")
            clock.advance(seconds)
        return json_response({"now": format_iso(clock.now()), "frozen": clock.is_frozen})


def only_fields(values: dict, allowed: set) -> dict:
    """`values` unchanged; ValueError when it has a name outside `allowed`."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    return values


def require_fields(body: dict, *names: str) -> None:
    """ValueError unless each name is in `body` with a value that is not null or ""."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")


def parse_times(values: dict, names, parse_time: Callable[[str], object]) -> dict:
    """A copy of `values` with the named fields that are set (not null) read as times."""
    values = dict(values)
    for name in names:
        if values.get(name) is not None:
            values[name] = parse_time(str(values[name]))
    return values


def _json_object(request: Request) -> dict:
    try:
        body = request.json()
    except ValueError:
        raise ControlError(400, "the body is not valid JSON") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    return body


def _message(error: Exception) -> str:
    return error.args[0] if error.args else str(error)
