from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as Fernet ciphertext, decrypted on read. Never filter or order on it: only
    `isnull` is allowed. Even `exact` could never match, since every encryption of one value is a
    different ciphertext (a fresh IV and timestamp): filter on what is stored in clear beside it,
    such as `token_last4`."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        # A lookup class that refuses to be built, rather than raising here: type checkers
        # (django-stubs) call get_lookup() to type a filter and must get a class back.
        return type(f"Refused{lookup_name.title()}", (_RefusedLookup,), {"lookup_name": lookup_name})


class _RefusedLookup(models.Lookup):
    def __init__(self, lhs, rhs):
        raise TypeError(
            f"Encrypted fields cannot be looked up with “{self.lookup_name}”: the database holds "
            "ciphertext, different at each encryption, so no value ever matches."
        )
