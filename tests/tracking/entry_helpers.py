"""Helpers for the tests of editing, deleting and restoring time: a frozen clock (Thursday 6 March
2025, noon UTC; the company's time zone is UTC unless a test says otherwise), entries written with
the ORM, and the company switch for time by hand."""

from datetime import UTC, datetime

import pytest

from tracking.models import TimeEntry

NOW = datetime(2025, 3, 6, 12, 0, tzinfo=UTC)
WEEK = "start=2025-03-03&end=2025-03-09"


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def manual_on(company):
    company.allow_manual_time = True
    company.save()
    return company


def at(text, day="2025-03-06"):
    """'09:30' on a day (Thursday by default), in UTC."""
    return datetime.fromisoformat(f"{day}T{text}:00+00:00")


def entry(membership, start, end, *, task=None, source=TimeEntry.Source.DESKTOP, note="", day="2025-03-06"):
    """A finished entry from `start` to `end` ('09:00', '10:30') on `day`; `end=None` leaves it running."""
    return TimeEntry.objects.create(
        company=membership.company,
        membership=membership,
        task=task,
        source=source,
        note=note,
        started_at=at(start, day),
        ended_at=at(end, day) if end else None,
    )
