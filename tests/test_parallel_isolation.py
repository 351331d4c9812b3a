"""The suite runs in parallel (pytest-xdist) with each test process as alone as in a serial run:
its own run folder, test database and broker (tests/support/isolation.py, tests/conftest.py)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support.isolation import redis_url_for_worker, worker_environment
from timedoctor.celery import app as celery_app


def test_each_worker_gets_a_folder_inside_the_runs_and_on_redis_a_database_of_its_own():
    run = Path("/srv/var/test/run-41")

    first = worker_environment("gw0", run, "redis://127.0.0.1:6379/15")
    second = worker_environment("gw1", run, "redis://127.0.0.1:6379/15")

    assert first == {"VAR_DIR": "/srv/var/test/run-41/gw0", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15"}
    assert second == {"VAR_DIR": "/srv/var/test/run-41/gw1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14"}
    assert worker_environment("gw3", run, "filesystem://") == {"VAR_DIR": "/srv/var/test/run-41/gw3"}
    assert redis_url_for_worker("rediss://:secret@cache.example:6380", 1) == "rediss://:secret@cache.example:6380/15"


@pytest.mark.django_db
def test_this_test_process_works_in_its_own_folder_database_and_broker():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    folder = Path(settings.VAR_DIR)
    broker_folder = celery_app.conf.broker_transport_options.get("data_folder_in", "")

    if worker:
        assert folder.name == worker and folder.parent.name.startswith("run-")
        assert connection.settings_dict["NAME"].endswith(f"_{worker}")
        assert os.environ["VAR_DIR"] == str(folder)  # what the worker and gunicorn processes it starts inherit
    else:
        assert folder.name == f"run-{os.getpid()}" or "VAR_DIR" in os.environ
    if celery_app.conf.broker_url.startswith("filesystem"):
        assert Path(broker_folder).is_relative_to(folder)
    else:
        assert celery_app.conf.broker_url == os.environ.get("CELERY_BROKER_URL", celery_app.conf.broker_url)
