from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..services.app_tokens import authenticate
from .throttling import check_client_address

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.request import Request

    from ..models import AppToken


class AppTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` with a personal app token. Sets `request.membership`, so
    the API only ever sees the token holder's company."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, AppToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        check_client_address(request)  # before any lookup: guessing tokens is rate-limited too
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer <app token>.")
        token = authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This app token is unknown or was revoked.")
        request._request.membership = token.membership  # type: ignore[attr-defined]
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class AppTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tracking.api.auth.AppTokenAuthentication"
    name = "appToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "description": "A personal app token (Dashboard → API tokens)."}
