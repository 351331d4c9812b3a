"""Production settings: `check --deploy` passes and every response carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "timedoctor.settings",
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a3210",
    "ALLOWED_HOSTS": "time.example.com",
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktbmV3ZXN0LTAwMDAwMDAwMDAwMDAwMDA=",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.com:587",
    "SITE_URL": "https://time.example.com",
}


def manage(*args, env_overrides=None, remove=()):
    env = {key: value for key, value in os.environ.items() if key not in remove and key != "DJANGO_SETTINGS_MODULE"}
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "EMAIL_URL", "SITE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = manage("check", env_overrides=env, remove=(missing,))

    assert result.returncode != 0
    assert missing in result.stderr


def test_the_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run", env_overrides={"DEBUG": "true"})

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_send_csp_hsts_nosniff_frame_deny_and_referrer_policy(client):
    response = client.get(reverse("login"), secure=True)

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
