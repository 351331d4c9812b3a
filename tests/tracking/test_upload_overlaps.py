"""Overlaps in a batch upload, checked against the time already taken (stored entries, a running
timer, and the batch's own earlier entries), at the edges: entries that only touch are fine, and a
24-hour entry that started long before the batch still counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking.models import TimeEntry

from .api_helpers import api_client, item

pytestmark = pytest.mark.django_db


def upload(client, *items):
    response = client.post(reverse("api:upload"), {"entries": list(items)}, format="json")
    return [(result["status"], result.get("code", "")) for result in response.json()["results"]]


def test_a_24_hour_entry_that_started_a_day_before_the_batch_still_takes_its_time(member):
    client = api_client(member)
    assert upload(client, item(start_minutes_ago=30 * 60, minutes=24 * 60)) == [("created", "")]

    verdicts = upload(client, item(start_minutes_ago=6 * 60 + 10, minutes=5), item(start_minutes_ago=5 * 60, minutes=5))

    assert verdicts == [("rejected", "overlap"), ("created", "")]


def test_entries_that_only_touch_are_all_created_in_any_order(member):
    client = api_client(member)
    assert upload(client, item(start_minutes_ago=200, minutes=20)) == [("created", "")]

    verdicts = upload(
        client,
        item(start_minutes_ago=160, minutes=20),
        item(start_minutes_ago=180, minutes=20),
        item(start_minutes_ago=220, minutes=20),
        item(start_minutes_ago=170, minutes=20),
    )

    assert verdicts == [("created", ""), ("created", ""), ("created", ""), ("rejected", "overlap")]
    assert TimeEntry.objects.count() == 4


def test_a_batch_spanning_days_meets_each_stored_entry_once(member):
    client = api_client(member)
    stored = [item(start_minutes_ago=days * 24 * 60 + 60, minutes=30) for days in range(1, 6)]
    assert upload(client, *stored) == [("created", "")] * 5

    inside = [item(start_minutes_ago=days * 24 * 60 + 50, minutes=5) for days in range(1, 6)]
    between = [item(start_minutes_ago=days * 24 * 60 + 12 * 60, minutes=5) for days in range(1, 6)]

    assert upload(client, *inside, *between) == [("rejected", "overlap")] * 5 + [("created", "")] * 5
    assert TimeEntry.objects.filter(ended_at__lte=timezone.now() - timedelta(hours=1)).count() == 10
