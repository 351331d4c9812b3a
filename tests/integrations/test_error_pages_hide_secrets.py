"""The token canary on Django's debug page: errors raised deep in the ORM (a DataError on PostgreSQL
while a token is being saved) and inside requests/urllib3 (a connection refused while a token is in
the headers), with DEBUG on. The page, as HTML and as text, never shows the token, the webhook
secret or an app token, whichever module the frame holding them belongs to."""

import socket
import sys

import pytest
import requests
from django.db import DataError, transaction
from django.urls import ResolverMatch
from django.views.debug import ExceptionReporter, technical_500_response

from integrations.models import CompanyIntegration
from integrations.reporting import SecretSafeExceptionReporterFilter

pytestmark = pytest.mark.django_db
CANARY = "c4n4ryc4n4ryc4n4ryc4n4ryc4n4ry42"  # the shape of a Pivotal token
WEBHOOK_SECRET = "w3bh00k-s3cr3t-w3bh00k-s3cr3t-w3bh00k-s3c"
APP_TOKEN = "td_app_t0k3n_t0k3n_t0k3n_t0k3n_t0k3n"


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def pages(make_request, exc_info):
    """The debug page as a browser (HTML) and as curl (text) would get it."""
    html = technical_500_response(make_request(HTTP_ACCEPT="text/html"), *exc_info)
    text = technical_500_response(make_request(HTTP_ACCEPT="text/plain"), *exc_info)
    assert html.status_code == text.status_code == 500
    assert html["Content-Type"].startswith("text/html") and text["Content-Type"].startswith("text/plain")
    return html.content.decode(), text.content.decode()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
def test_a_data_error_deep_in_the_orm_shows_no_token(rf, company):
    integration = CompanyIntegration.objects.create(
        company=company, provider="pivotal", token="a" * 32, token_last4="aaaa"
    )

    def request(**headers):
        return rf.post("/integrations/company/pivotal/token/", {"token": CANARY}, **headers)

    def save_the_new_token(record, pasted):
        record.token = pasted
        record.external_id = "x" * 260  # beyond varchar(255): PostgreSQL refuses the UPDATE
        with transaction.atomic():
            record.save()

    with pytest.raises(DataError):
        try:
            save_the_new_token(integration, CANARY)
        except DataError:
            html, text = pages(request, sys.exc_info())
            raise

    assert "x" * 200 in html  # the frames' variables are still shown, only the secret is hidden
    for page in (html, text):
        assert "DataError" in page and "_save_table" in page and "_do_update" in page and "_update" in page
        assert CANARY not in page


def test_a_failure_inside_requests_and_urllib3_shows_no_token(rf):
    url = f"http://127.0.0.1:{closed_port()}/services/v5/me"

    def request(**headers):
        return rf.get("/integrations/company/pivotal/", **headers)

    def ask_pivotal(value):  # the token under a name that says nothing
        return requests.get(url, headers={"X-TrackerToken": value, "Accept": "application/json"}, timeout=5)

    with pytest.raises(requests.ConnectionError):
        try:
            ask_pivotal(CANARY)
        except requests.ConnectionError:
            html, text = pages(request, sys.exc_info())
            raise

    for page in (html, text):
        assert "urllib3" in page and "requests" in page and "ask_pivotal" in page
        assert CANARY not in page


def test_the_exception_message_the_url_and_the_headers_show_no_secret(rf):
    def request(**headers):
        made = rf.post(
            f"/integrations/webhooks/pivotal/{WEBHOOK_SECRET}/",
            data='{"kind": "story_update_activity"}',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {APP_TOKEN}",
            **headers,
        )
        made.resolver_match = ResolverMatch(
            lambda request: None, (), {"provider_id": "pivotal", "secret": WEBHOOK_SECRET}
        )
        return made

    def handle(token, header):
        raise RuntimeError(f"Pivotal refused {token} (sent with {header})")

    try:
        handle(CANARY, request().META["HTTP_AUTHORIZATION"])
    except RuntimeError:
        html, text = pages(request, sys.exc_info())

    for page in (html, text):
        assert "Pivotal refused" in page and "/integrations/webhooks/pivotal/" in page
        assert CANARY not in page and WEBHOOK_SECRET not in page and APP_TOKEN not in page


def test_the_filter_alone_hides_the_token_in_every_frame_of_any_module(rf, company):
    """Without our reporter (a third-party one, say), the filter still finds the secrets in play."""
    integration = CompanyIntegration.objects.create(
        company=company, provider="pivotal", token="a" * 32, token_last4="aaaa"
    )
    request = rf.get("/")
    request.exception_reporter_filter = SecretSafeExceptionReporterFilter()

    def keep(value):
        integration.token = value
        return sorted([value, None])  # a TypeError, raised in a frame of `builtins` code called from here

    try:
        keep(CANARY)
    except TypeError:
        frames = ExceptionReporter(request, *sys.exc_info()).get_traceback_frames()

    shown = [repr(value) for frame in frames for _, value in frame["vars"]]
    assert shown and all(CANARY not in value for value in shown)
