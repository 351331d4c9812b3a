"""Every change of time by hand leaves an audit row: who, which entry, its times before and after.
Time tracked by the clock (the timer, the desktop app's uploads) is its own record and adds none."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from companies.models import AuditEvent
from tracking.models import TimeEntry
from tracking.services.app_tokens import create_app_token

from .api_helpers import api_client, item, make_task
from .entry_helpers import entry, frozen_now, manual_on

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on"]


def events():
    return list(AuditEvent.objects.order_by("created_at", "id"))


def test_adding_editing_deleting_and_restoring_on_the_web_each_leave_an_audit_row(
    client_for, member, company, frozen_now, manual_on
):
    task = make_task(member, "Export CSV")
    client = client_for(member)

    client.post(
        reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "09:00", "end": "10:00", "note": "call"}
    )
    added = TimeEntry.objects.get()
    client.post(
        reverse("edit-entry", args=[added.code]),
        {"started_at": "2025-03-06T09:15", "ended_at": "2025-03-06T10:00", "task": str(task.code), "note": "call"},
    )
    client.post(reverse("delete-entry", args=[added.code]))
    client.post(reverse("restore-entry", args=[added.code]))

    rows = events()
    code = str(added.code)
    assert [row.action for row in rows] == [
        "time_entry.added",
        "time_entry.changed",
        "time_entry.deleted",
        "time_entry.restored",
    ]
    assert all(row.company == company and row.actor == member and row.details["entry"] == code for row in rows)
    assert rows[0].summary == "Ana Ruiz added their time entry of Thu 06 Mar 2025 09:00–10:00 (UTC)"
    assert rows[1].summary == (
        "Ana Ruiz changed their time entry of Thu 06 Mar 2025 09:00–10:00 → Thu 06 Mar 2025 09:15–10:00 (UTC)"
    )
    assert rows[1].details["before"] == {
        "started_at": "2025-03-06T09:00:00+00:00",
        "ended_at": "2025-03-06T10:00:00+00:00",
        "task": None,
        "note": "call",
        "source": "manual",
    }
    assert rows[1].details["after"]["started_at"] == "2025-03-06T09:15:00+00:00"
    assert rows[1].details["after"]["task"] == str(task.code)
    assert rows[2].details["before"] == rows[1].details["after"] and "after" not in rows[2].details
    assert rows[3].details["after"] == rows[1].details["after"]


def test_api_changes_and_deletions_are_audited_and_no_row_holds_a_token(member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    _, raw = create_app_token(member, "Laptop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    client.patch(reverse("api:entry", args=[mine.code]), {"ended_at": "2025-03-06T10:30:00Z"}, format="json")
    client.delete(reverse("api:entry", args=[mine.code]))
    client.post(reverse("api:entry-restore", args=[mine.code]))

    rows = events()
    assert [row.action for row in rows] == ["time_entry.changed", "time_entry.deleted", "time_entry.restored"]
    assert rows[0].details["before"]["ended_at"] == "2025-03-06T10:00:00+00:00"
    assert rows[0].details["after"]["ended_at"] == "2025-03-06T10:30:00+00:00"
    assert rows[0].details["after"]["source"] == "manual" and rows[0].details["member"] == "ana@acme.example"
    assert not any(raw in row.summary or raw in str(row.details) or "tdk_" in str(row.details) for row in rows)


def test_a_change_to_the_same_values_and_refused_changes_leave_no_audit_row(member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00", note="same")
    entry(member, "11:00", "12:00")
    client = api_client(member)

    same = client.patch(
        reverse("api:entry", args=[mine.code]), {"note": "same", "ended_at": "2025-03-06T10:00:00Z"}, format="json"
    )
    refused = client.patch(reverse("api:entry", args=[mine.code]), {"ended_at": "2025-03-06T11:30:00Z"}, format="json")

    assert same.status_code == 200 and same.json()["source"] == "desktop" and refused.status_code == 409
    assert events() == []


def test_a_refused_restore_leaves_no_audit_row_beyond_the_deletion(client_for, member, frozen_now, manual_on):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member)
    client.post(reverse("delete-entry", args=[gone.code]))
    entry(member, "09:00", "10:00")

    client.post(reverse("restore-entry", args=[gone.code]))

    assert [row.action for row in events()] == ["time_entry.deleted"]


def test_time_tracked_by_the_timer_or_uploaded_by_the_desktop_app_adds_no_audit_row(client_for, member, frozen_now):
    client = client_for(member)
    client.post(reverse("timer-start"), {"task": ""})
    client.post(reverse("timer-stop"))
    api_client(member).post(reverse("api:upload"), {"entries": [item(start_minutes_ago=300)]}, format="json")

    assert TimeEntry.objects.count() == 2 and events() == []
