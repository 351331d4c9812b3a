"""Encryption of secrets at rest with MultiFernet.

Keys come from FIELD_ENCRYPTION_KEYS, newest first: new values are encrypted with the first key,
any key may decrypt, and saving again re-encrypts with the first (`rotate_encryption_keys`). A
malformed key fails loudly when the app starts; a value no key can decrypt raises
`UndecryptableSecret` (never a silent empty value).
"""

from collections.abc import Sequence
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UndecryptableSecret(Exception):
    """No configured key decrypts a stored value: the keys are wrong or an old key was dropped."""


def build_fernet(keys: Sequence[str]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set at least one Fernet key.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.strip().encode()))
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry #{position} is not a valid Fernet key (32 url-safe base64 bytes)."
            ) from error
    return MultiFernet(fernets)


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return build_fernet(list(keys))


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise UndecryptableSecret(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS. Restore the key it was "
            "encrypted with (keep old keys after the new one until rotate_encryption_keys has run)."
        ) from error
