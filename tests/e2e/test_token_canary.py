"""A recognisable token goes through a whole scenario (enable, sync, a forced Pivotal 500, a failing
task, an error page); then logs, pages, API answers, Celery messages and the raw database are
searched: the token is nowhere but as ciphertext."""

import logging

import pytest
import requests
from celery.signals import before_task_publish
from django.db import connection
from django.urls import reverse

from integrations.models import CompanyIntegration, UserIntegration
from integrations.providers.pivotal.emulator.demo_data import WEB_APP
from sync.models import SyncRun
from tests.factories import MembershipFactory
from tests.worker import running_worker, wait_until
from tracking.services.app_tokens import create_app_token

CANARY = "c4n4ryc4n4ryc4n4ryc4n4ryc4n4ry42"  # 32 characters, the shape of a Pivotal token


@pytest.fixture
def canary_person(emulator):
    state = emulator.state
    state.add_person(
        "Carla Canary", "carla@acme.example", "carla", initials="CC", api_token=CANARY, time_zone="UTC", id=199
    )
    state.add_membership(199, WEB_APP, "owner")
    state.add_story(WEB_APP, "Canary story", "feature", "started", owner_ids=[199])
    return state


@pytest.fixture
def published():
    """The body and headers of every Celery message this process sends."""
    messages = []

    def record(body=None, headers=None, **kwargs):
        messages.append(repr(body) + repr(headers))

    before_task_publish.connect(record, weak=False)
    yield messages
    before_task_publish.disconnect(record)


def raw_database_text():
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_token_appears_nowhere_but_as_ciphertext(
    client_for, company, emulator, canary_person, published, caplog, settings, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    carla = MembershipFactory(
        company=company, role="owner", user__email="carla@acme.example", user__full_name="Carla Canary"
    )
    client = client_for(carla)
    seen = []
    worker_env = {
        "PIVOTAL_API_URL": emulator.base_url,
        "SYNC_MAX_RETRIES": "1",
        "PIVOTAL_MAX_ATTEMPTS": "1",
        "LOG_LEVEL": "DEBUG",
    }
    with running_worker(extra_env=worker_env) as worker:
        seen.append(
            client.post(
                reverse("integrations:company-enable", args=["pivotal"]), {"token": CANARY}, follow=True
            ).content.decode()
        )
        personal = UserIntegration.objects.get(membership=carla)
        wait_until(
            lambda: SyncRun.objects.filter(user_integration=personal, status="succeeded").exists(),
            timeout=60,
            message="the first sync",
        )
        emulator.faults.add("status", status=500, count=1000)  # Pivotal is down: the next run fails
        client.post(reverse("sync:sync-now", args=["pivotal"]))
        wait_until(
            lambda: SyncRun.objects.filter(user_integration=personal, status="failed").exists(),
            timeout=90,
            message="the failing run",
        )
        emulator.faults.clear()
    worker_log = worker.read_log()

    # An error page: Pivotal's HTTP breaks inside our client while the token is on the stack.
    settings.DEBUG = True
    monkeypatch.setattr(
        requests.Session, "send", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("connection exploded"))
    )
    error_client = client_for(carla, raise_request_exception=False)
    error_page = error_client.post(reverse("integrations:company-token", args=["pivotal"]), {"token": CANARY})
    monkeypatch.undo()
    settings.DEBUG = False
    assert error_page.status_code == 500 and "connection exploded" in error_page.content.decode()
    seen.append(error_page.content.decode())

    for url in [
        reverse("integrations:company-detail", args=["pivotal"]),
        reverse("integrations:mine"),
        reverse("integrations:company-enabled", args=["pivotal"]),
        reverse("companies:audit-log"),
        reverse("dashboard"),
        reverse("sync:sync-status", args=["pivotal"]),
    ]:
        seen.append(client.get(url).content.decode())
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {create_app_token(carla, 'canary')[1]}")
    for url in [reverse("api:me"), reverse("api:tasks"), reverse("api:timer")]:
        seen.append(api.get(url).content.decode())
    database = raw_database_text()

    assert published and all(CANARY not in message for message in published)
    assert CANARY not in caplog.text
    assert CANARY not in worker_log and "Pivotal Tracker is having trouble" in worker_log + database
    assert all(CANARY not in page for page in seen)
    assert CANARY not in database
    stored = CompanyIntegration.objects.values_list("token", flat=True)
    assert list(stored) == [CANARY]  # it is all there, encrypted
    assert CANARY not in repr(emulator.request_log.entries())
