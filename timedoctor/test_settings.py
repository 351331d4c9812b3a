"""Settings for the test suite: the real settings, with test-only secrets and fast hashing.

DATABASE_URL and CELERY_BROKER_URL are honoured, so the same suite runs on SQLite and, in CI,
on PostgreSQL and Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-checks-0123456789")
# Two test keys, newest first, so rotation can be exercised.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "dGVzdC1rZXktbmV3ZXN0LTAwMDAwMDAwMDAwMDAwMDA=,dGVzdC1rZXktb2xkZXItMDAwMDAwMDAwMDAwMDAwMDA=",
)
# One folder per test run (SQLite test database, filesystem broker, uploads), so two runs at once
# on one machine never share files; the worker processes a run starts inherit it.
os.environ.setdefault(
    "VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test", f"run-{os.getpid()}")
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("SITE_URL", "http://testserver")

from .settings import *  # noqa: E402,F403
from .settings import DATABASES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = True
# Eager retries only re-run when failures are not propagated; `.get()` still raises them.
CELERY_TASK_EAGER_PROPAGATES = False
SITE_URL = "http://testserver"
PIVOTAL_RETRY_BASE_SECONDS = 0.01

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
