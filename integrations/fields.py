from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as Fernet ciphertext, decrypted on read. Never filter or order on it."""

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
        if lookup_name not in ("isnull", "exact"):
            raise TypeError(f"Encrypted fields cannot be looked up with “{lookup_name}”.")
        return super().get_lookup(lookup_name)
