"""Rate limits of the desktop API, per app token and per client address; a request beyond either
answers 429 with Retry-After and the API's error body (code "throttled").

The address is counted before the token is even looked up (see `auth.py`), so guessing tokens is
limited too. Limits: API_REQUESTS_PER_MINUTE_PER_TOKEN and API_REQUESTS_PER_MINUTE_PER_IP (0: none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from companies.throttling import client_ip

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

_COUNTED = "_address_throttle_counted"


class _PerMinute(SimpleRateThrottle):
    setting: str | None = None

    def get_rate(self) -> str | None:
        # Read on every request, not once at import as DRF's THROTTLE_RATES are.
        per_minute = getattr(settings, self.setting)  # type: ignore[arg-type]  # every subclass names one
        return f"{per_minute}/min" if per_minute > 0 else None


class AppTokenRateThrottle(_PerMinute):
    scope = "app_token"
    setting = "API_REQUESTS_PER_MINUTE_PER_TOKEN"

    def get_cache_key(self, request: Request, view: APIView | None) -> str | None:
        token = request.auth
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class ClientAddressRateThrottle(_PerMinute):
    scope = "api_ip"
    setting = "API_REQUESTS_PER_MINUTE_PER_IP"

    def get_cache_key(self, request: Request, view: APIView | None) -> str | None:
        if getattr(request, _COUNTED, False):
            return None  # already counted, before authentication
        setattr(request, _COUNTED, True)
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def check_client_address(request: Request) -> None:
    """Counts this request against its address; raises Throttled beyond the limit."""
    throttle = ClientAddressRateThrottle()
    if not throttle.allow_request(request, None):  # type: ignore[arg-type]  # no view yet: before authentication
        raise exceptions.Throttled(wait=throttle.wait())
