"""Tracker's error responses (fact sheet §2): `{"code","kind":"error","error",...}` plus status.

Handlers raise `ApiError`; the application turns it into the JSON body. The wording follows the
real service where recordings show it.
"""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, error: str, **extra):
        super().__init__(f"{status} {code}: {error}")
        self.status = status
        self.body = {"code": code, "kind": "error", "error": error}
        self.body.update({key: value for key, value in extra.items() if value is not None})


def invalid_authentication() -> ApiError:
    return ApiError(
        403,
        "invalid_authentication",
        "Invalid authentication credentials were presented.",
        possible_fix="Recheck your name (or email) and password (or API token), and try again.",
    )


def unauthorized_operation() -> ApiError:
    return ApiError(
        403,
        "unauthorized_operation",
        "Authorization failure.",
        general_problem="You aren't authorized to access the requested resource.",
        possible_fix=(
            "Your project permissions are determined on the Project Membership page. If you are "
            "receiving this error you may be trying to access the wrong project, or the project "
            "API access is disabled, or someone listed as the project's Owner needs to change "
            "your membership type."
        ),
    )


def route_not_found() -> ApiError:
    return ApiError(404, "route_not_found", "The path you requested has no valid endpoint.")


def unfound_resource() -> ApiError:
    return ApiError(
        404,
        "unfound_resource",
        "The object you tried to access could not be found.  It may have been removed by another "
        "user, you may be using the ID of another object type, or you may be trying to access a "
        "sub-resource at the wrong point in a tree.",
    )


def invalid_parameter(field: str, problem: str) -> ApiError:
    return ApiError(
        400,
        "invalid_parameter",
        "One or more request parameters was missing or invalid.",
        general_problem=f"{field}: {problem}",
        validation_errors=[{"field": field, "problem": problem}],
    )


def server_error(status: int = 500) -> ApiError:
    """The body sent for injected `status` faults. 4xx faults answer as Tracker does for that
    status (403: the project became invisible mid-sync); 5xx/429 wording is a plausible guess."""
    code, error = SERVER_ERRORS.get(status, ("server_error", "The server could not answer."))
    return ApiError(status, code, error)


SERVER_ERRORS = {
    401: ("invalid_authentication", "Invalid authentication credentials were presented."),
    403: ("unauthorized_operation", "Authorization failure."),
    404: ("unfound_resource", "The object you tried to access could not be found."),
    429: ("rate_limit_exceeded", "Too many requests. Please wait before trying again."),
    500: ("server_error", "An unexpected error occurred on the server."),
    502: ("bad_gateway", "The server received an invalid response from an upstream server."),
    503: ("service_unavailable", "Tracker is temporarily unavailable. Please try again later."),
    504: ("gateway_timeout", "The server did not answer in time."),
}
