"""The suite runs where it says it runs: in CI's second pass on PostgreSQL and Redis, and a missing
service there fails here instead of letting tests skip quietly."""

import os

import pytest
from django.db import connection

from timedoctor.celery import app as celery_app

EXPECTED = {name.strip() for name in os.environ.get("EXPECT_SERVICES", "").split(",") if name.strip()}


@pytest.mark.django_db
def test_the_database_in_use_is_the_expected_one():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if "postgresql" in EXPECTED:
        assert connection.vendor == "postgresql"


def test_the_configured_broker_accepts_connections():
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=2, interval_start=0.2)
        transport = broker.transport.driver_type
    if "redis" in EXPECTED:
        assert transport == "redis"
