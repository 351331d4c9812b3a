"""Personal tokens for the desktop app: created and named by their owner, shown once, stored as a
SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import AppToken

if TYPE_CHECKING:
    from companies.models import Membership

PREFIX = "tdk_"
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_app_token(membership: Membership, name: str) -> tuple[AppToken, str]:
    raw = PREFIX + secrets.token_urlsafe(32)
    token = AppToken.objects.create(
        membership=membership, name=name.strip()[:100] or "Desktop app", token_hash=hash_token(raw), prefix=raw[:10]
    )
    return token, raw


def revoke_app_token(token: AppToken) -> AppToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(raw: str) -> AppToken | None:
    """The active token behind a raw bearer token, with its membership; None otherwise."""
    token = (
        AppToken.objects.select_related("membership__company", "membership__user")
        .filter(
            token_hash=hash_token(raw),
            revoked_at__isnull=True,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            AppToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
