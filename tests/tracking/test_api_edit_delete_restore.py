"""The desktop API's PATCH, DELETE and restore of one's own entries: the same rules and the same
soft delete as the web, with the API's error body on refusal."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tracking.models import TimeEntry

from .api_helpers import api_client, make_task
from .entry_helpers import at, entry, frozen_now, manual_on

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on"]
TODAY = {"start": "2025-03-06T00:00:00Z", "end": "2025-03-07T00:00:00Z"}


def entry_url(an_entry):
    return reverse("api:entry", args=[an_entry.code])


def restore_url(an_entry):
    return reverse("api:entry-restore", args=[an_entry.code])


def test_delete_is_a_soft_delete_and_restore_brings_the_entry_back(member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00", note="kept")
    client = api_client(member)

    deleted = client.delete(entry_url(mine))
    listed_after_delete = client.get(reverse("api:entries"), TODAY).json()
    deleted_again = client.delete(entry_url(mine))
    restored = client.post(restore_url(mine))
    listed_after_restore = client.get(reverse("api:entries"), TODAY).json()

    assert deleted.status_code == 204 and listed_after_delete == [] and deleted_again.status_code == 204
    assert restored.status_code == 200 and restored.json()["id"] == str(mine.code)
    assert restored.json()["note"] == "kept" and restored.json()["duration_seconds"] == 3600
    assert [row["id"] for row in listed_after_restore] == [str(mine.code)]


def test_restoring_over_time_taken_since_is_a_409_with_the_api_error_body(member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    client = api_client(member)
    client.delete(entry_url(mine))
    entry(member, "09:30", "10:30")

    response = client.post(restore_url(mine))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "overlap"
    assert "cannot be restored" in response.json()["error"]["message"]
    assert TimeEntry.objects.get(pk=mine.pk).deleted_at is not None


def test_deleting_a_running_timer_stops_it_so_that_a_new_one_can_start(member, frozen_now, manual_on):
    client = api_client(member)
    running = client.post(reverse("api:timer-start"), {}, format="json").json()["id"]

    deleted = client.delete(reverse("api:entry", args=[running]))
    timer = client.get(reverse("api:timer")).json()
    started = client.post(reverse("api:timer-start"), {}, format="json")

    gone = TimeEntry.objects.get(code=running)
    assert deleted.status_code == 204 and timer == {"running": None} and started.status_code == 201
    assert gone.ended_at == frozen_now and gone.deleted_at == frozen_now and gone.deleted_by == member


def test_a_deleted_entry_cannot_be_changed_until_restored(member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    client = api_client(member)
    client.delete(entry_url(mine))

    response = client.patch(entry_url(mine), {"note": "x"}, format="json")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("actor", ["colleague", "outsider"])
def test_nobody_else_deletes_or_restores_my_entry(member, admin, outsider, frozen_now, manual_on, actor):
    mine = entry(member, "09:00", "10:00")
    client = api_client(admin if actor == "colleague" else outsider)

    answers = [
        client.delete(entry_url(mine)).status_code,
        client.post(restore_url(mine)).status_code,
        client.patch(entry_url(mine), {"note": "x"}, format="json").status_code,
    ]

    assert answers == [404, 404, 404] and TimeEntry.objects.live().filter(pk=mine.pk, note="").exists()


def test_restoring_needs_the_company_to_allow_time_by_hand(member, company, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    client = api_client(member)
    client.delete(entry_url(mine))
    company.allow_manual_time = False
    company.save()

    response = client.post(restore_url(mine))

    assert response.status_code == 403 and response.json()["error"]["code"] == "manual_time_not_allowed"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"ended_at": "2025-03-06T08:00:00Z"}, 400, "end_before_start"),
        ({"started_at": "2025-03-05T08:00:00Z"}, 400, "too_long"),
        ({"ended_at": "2025-03-06T12:30:00Z"}, 400, "in_future"),
        ({"ended_at": "2025-03-06T11:30:00Z"}, 409, "overlap"),
        ({"task": "6f1c9a52-0000-4000-8000-000000000000"}, 400, "unknown_task"),
        ({"task": "colleague"}, 400, "task_not_assigned"),
        ({"task": "outsider"}, 400, "unknown_task"),
        ({"started_at": "2025-03-06T09:00:00"}, 400, "naive_datetime"),
    ],
)
def test_a_patch_breaking_a_rule_is_refused_with_its_code(
    member, manager, outsider, frozen_now, manual_on, changes, status, code
):
    if changes.get("task") in ("colleague", "outsider"):
        changes = {"task": str(make_task(manager if changes["task"] == "colleague" else outsider, "Other").code)}
    mine = entry(member, "09:00", "10:00")
    entry(member, "11:00", "11:45")

    response = api_client(member).patch(entry_url(mine), changes, format="json")

    mine.refresh_from_db()
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert (mine.started_at, mine.ended_at, mine.task, mine.source) == (at("09:00"), at("10:00"), None, "desktop")


def test_the_schema_documents_restore_and_its_refusals():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    restore = paths["/api/v1/time-entries/{code}/restore/"]["post"]

    assert restore["summary"] == "Restore one of my deleted entries"
    assert {"200", "403", "404", "409"} <= set(restore["responses"])
    error = restore["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/Error")
    assert "time-entries/{id}/restore/" in paths["/api/v1/time-entries/{code}/"]["delete"]["description"]


def test_a_replayed_upload_of_an_entry_deleted_since_answers_exists_and_it_stays_deleted(member, frozen_now, manual_on):
    client = api_client(member)
    batch = {
        "entries": [
            {
                "client_id": "6f1c9a52-1111-4000-8000-000000000000",
                "task": None,
                "started_at": "2025-03-06T09:00:00Z",
                "ended_at": "2025-03-06T10:00:00Z",
            }
        ]
    }
    uploaded = client.post(reverse("api:upload"), batch, format="json").json()["results"][0]
    client.delete(reverse("api:entry", args=[uploaded["id"]]))

    replayed = client.post(reverse("api:upload"), batch, format="json").json()["results"][0]

    assert (replayed["status"], replayed["id"]) == ("exists", uploaded["id"])
    assert TimeEntry.objects.count() == 1 and not TimeEntry.objects.live().exists()
