"""Every API error is `{"error": {"code": …, "message": …, "fields": {…}?}}` with a real status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
    from rest_framework.response import Response

CODES: dict[type[Exception], str] = {
    exceptions.ParseError: "malformed_json",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ValidationError: "invalid",
    exceptions.Throttled: "throttled",
    Http404: "not_found",  # get_object_or_404 in a view: DRF answers 404, the code says so too
    PermissionDenied: "forbidden",
}


# Field errors answered with their own code rather than the generic "invalid" (serializers.py).
DATETIME_CODES = ("naive_datetime", "date_out_of_range")


def datetime_code(errors: object) -> str | None:
    """The datetime rule behind validation errors (`serializer.errors`, `exc.detail`), if any."""
    stack: list[Any] = [errors]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif getattr(item, "code", None) in DATETIME_CODES:
            return item.code
    return None


def error_body(code: str, message: str, fields: object = None) -> dict[str, dict[str, object]]:
    body: dict[str, object] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "api_code", None) or next(
        (value for kind, value in CODES.items() if isinstance(exc, kind)), "error"
    )
    if isinstance(exc, exceptions.ValidationError):
        code = datetime_code(exc.detail) or code
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body(code, "Some fields are invalid.", fields)
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        response.data = error_body(code, message)
    if response.status_code == status.HTTP_403_FORBIDDEN and isinstance(exc, exceptions.NotAuthenticated):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response


class ApiError(exceptions.APIException):
    """An error with our own machine-readable code."""

    def __init__(self, code: str, message: str | StrPromise, status_code: int = status.HTTP_400_BAD_REQUEST) -> None:
        super().__init__(message)
        self.api_code = code
        self.status_code = status_code
