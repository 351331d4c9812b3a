"""Who is asking, and how often: the client's address, the sign-in name django-axes counts failures
against, and fixed-window counters in the cache for the emails and sign-ups anyone can ask for.

Every limit is a setting (README, "Security"). The counters live in Django's default cache, which
every web process must share in production (`CACHE_URL=redis://…`).
"""

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind `TRUSTED_PROXIES` proxies of ours, the address
    the outermost of them saw. Entries the client wrote itself (to the left) are never trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]


def login_username(request: HttpRequest | None, credentials: Mapping[str, Any] | None = None) -> str | None:
    """The account a sign-in attempt is for, spelled as the backend matches it (any letter case)."""
    name = (credentials or {}).get("username")
    if name is None:
        name = getattr(request, "POST", {}).get("username", "")
    return (name or "").strip().lower() or None


class RateLimit:
    """At most `setting` events per `window` seconds for one key (an address, an email). The key is
    hashed, so the cache never holds the email address itself."""

    def __init__(self, name: str, setting: str, window: int) -> None:
        self.name, self.setting, self.window = name, setting, window

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def _cache_key(self, key: object, now: float) -> str:
        digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:32]
        return f"rate:{self.name}:{digest}:{int(now // self.window)}"

    def hit(self, key: object) -> bool:
        """Counts one event; False when it goes beyond the limit (the event should not happen)."""
        cache_key = self._cache_key(key, time.time())
        cache.add(cache_key, 0, timeout=self.window)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=self.window)
            count = 1
        return count <= self.limit


HOUR = 60 * 60
# Password-reset and sign-up emails: anyone can ask for them, for any address.
account_emails = RateLimit("account-emails", "ACCOUNT_EMAILS_PER_HOUR", HOUR)
invitation_emails = RateLimit("invitation-emails", "INVITATION_EMAILS_PER_HOUR", HOUR)
signups = RateLimit("signups", "SIGNUPS_PER_HOUR_PER_IP", HOUR)
