"""Where the app token is kept: the OS keyring (`keyring`), or, where there is none, a file only
its owner can read (0600) in the app's data folder."""

import os
from pathlib import Path

import keyring
from keyring.errors import KeyringError

SERVICE = "timedoctor-desktop"
FALLBACK_NAME = "app-token"


class TokenStore:
    def __init__(self, folder, server_url):
        self.fallback = Path(folder) / FALLBACK_NAME
        self.server_url = server_url

    def save(self, token):
        """Keeps the token; returns where: "keyring" or the fallback file's path."""
        try:
            keyring.set_password(SERVICE, self.server_url, token)
        except (KeyringError, RuntimeError):
            self._write_fallback(token)
            return str(self.fallback)
        self.fallback.unlink(missing_ok=True)
        return "keyring"

    def load(self):
        try:
            token = keyring.get_password(SERVICE, self.server_url)
        except (KeyringError, RuntimeError):
            token = None
        if token:
            return token
        if self.fallback.exists():
            return self.fallback.read_text().strip() or None
        return None

    def forget(self):
        try:
            keyring.delete_password(SERVICE, self.server_url)
        except (KeyringError, RuntimeError):
            pass
        self.fallback.unlink(missing_ok=True)

    def _write_fallback(self, token):
        descriptor = os.open(self.fallback, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(token)
        os.chmod(self.fallback, 0o600)  # an older file may have had wider rights
