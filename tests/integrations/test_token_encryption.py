"""Tokens are encrypted at rest, rotatable, and never shown, logged or put in an error page."""

import logging
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from integrations import crypto
from integrations.checks import check_stored_tokens_decrypt
from integrations.models import CompanyIntegration, UserIntegration

from .conftest import ADMIN_TOKEN

pytestmark = pytest.mark.django_db
PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def company_on(client_for, admin, pivotal_people):
    client_for(admin).post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ADMIN_TOKEN})
    return CompanyIntegration.objects.get()


def raw_tokens():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token FROM integrations_companyintegration UNION ALL SELECT token FROM integrations_userintegration"
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_database_holds_only_ciphertext(company_on):
    stored = raw_tokens()

    assert len(stored) == 2
    for value in stored:
        assert ADMIN_TOKEN not in value and value.startswith("gAAAAA")  # Fernet's version byte
        assert crypto.decrypt(value) == ADMIN_TOKEN


def test_rotation_leaves_every_token_readable_with_only_the_new_key(company_on, settings):
    brand_new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [brand_new_key, *settings.FIELD_ENCRYPTION_KEYS]

    call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))

    settings.FIELD_ENCRYPTION_KEYS = [brand_new_key]
    assert CompanyIntegration.objects.get().token == ADMIN_TOKEN
    assert UserIntegration.objects.get().token == ADMIN_TOKEN
    assert all(Fernet(brand_new_key.encode()).decrypt(value.encode()).decode() == ADMIN_TOKEN for value in raw_tokens())


def test_a_wrong_key_fails_loudly_instead_of_reading_empty_tokens(company_on, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(crypto.UndecryptableSecret, match="cannot be decrypted"):
        CompanyIntegration.objects.get()
    errors = check_stored_tokens_decrypt(None, databases=["default"])
    assert [error.id for error in errors] == ["integrations.E001", "integrations.E001"]


def test_a_malformed_key_stops_the_app_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="entry #1 is not a valid Fernet key"):
        crypto.build_fernet(["not-a-fernet-key"])
    env = {
        **os.environ,
        "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key",
        "DJANGO_SETTINGS_MODULE": "timedoctor.test_settings",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0 and "not a valid Fernet key" in result.stderr


def test_encrypted_tokens_cannot_be_searched():
    with pytest.raises(TypeError, match="cannot be looked up"):
        list(CompanyIntegration.objects.filter(token__startswith="a"))


@pytest.mark.parametrize(
    "lookup", [{"token": ADMIN_TOKEN}, {"token__exact": ADMIN_TOKEN}, {"token__in": [ADMIN_TOKEN]}]
)
def test_looking_for_a_token_by_its_value_is_refused_rather_than_never_matching(company_on, lookup):
    for model in (CompanyIntegration, UserIntegration):
        with pytest.raises(TypeError, match="no value ever matches"):
            list(model.objects.filter(**lookup))
        with pytest.raises(TypeError, match="no value ever matches"):
            model.objects.exclude(**lookup).exists()

    assert CompanyIntegration.objects.filter(token__isnull=False).get() == company_on
    assert CompanyIntegration.objects.exclude(token_last4="").get().token == ADMIN_TOKEN


def test_the_token_is_not_in_the_page_the_audit_log_or_the_logs(client_for, admin, pivotal_people, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(admin)

    client.post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ADMIN_TOKEN})
    pages = [
        client.get(url).content.decode()
        for url in (
            reverse("integrations:company-detail", args=["pivotal"]),
            reverse("integrations:mine"),
            reverse("companies:audit-log"),
            reverse("integrations:company-enabled", args=["pivotal"]),
        )
    ]

    assert all(ADMIN_TOKEN not in page for page in pages)
    assert ADMIN_TOKEN not in caplog.text


def test_an_error_page_never_shows_the_token(client_for, admin, pivotal, settings):
    """Even Django's debug page (DEBUG on) must not print the token from the request or the stack."""
    settings.DEBUG = True
    pivotal.get(f"{settings.PIVOTAL_API_URL}/me", body=RuntimeError("the client blew up"))
    client = client_for(admin, raise_request_exception=False)

    response = client.post(reverse("integrations:company-enable", args=["pivotal"]), {"token": ADMIN_TOKEN})

    assert response.status_code == 500
    body = response.content.decode()
    assert "the client blew up" in body  # the technical page really rendered the stack
    assert ADMIN_TOKEN not in body


@override_settings(FIELD_ENCRYPTION_KEYS=[])
def test_no_key_at_all_is_refused():
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS is empty"):
        crypto.fernet()


APP_TOKEN_CANARY = "tdk_" + "canary-app-token-123"


def request_with_bearer_token(rf):
    """Built apart, so that the failing frame below holds no copy of the token of its own."""
    return rf.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {APP_TOKEN_CANARY}")


def test_an_error_report_masks_the_desktop_apps_bearer_token(rf):
    from django.views.debug import ExceptionReporter

    request = request_with_bearer_token(rf)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        reporter = ExceptionReporter(request, type(error), error, error.__traceback__)

    assert APP_TOKEN_CANARY not in reporter.get_traceback_html()
    assert APP_TOKEN_CANARY not in reporter.get_traceback_text()
