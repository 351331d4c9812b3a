"""Instants in the API carry their offset and fall between 2000 and 2099: a naive time is refused
(`naive_datetime`) rather than guessed as UTC, and so is a year such as 0001 (`date_out_of_range`)."""

import pytest
from django.urls import reverse

from tracking.models import TimeEntry

from .api_helpers import api_client, item

pytestmark = pytest.mark.django_db
UPLOAD = reverse("api:upload")


def upload(client, *entries):
    return client.post(UPLOAD, {"entries": list(entries)}, format="json")


@pytest.mark.parametrize(
    ("started_at", "ended_at", "code"),
    [
        ("2026-11-27T09:00:00", "2026-11-27T09:30:00", "naive_datetime"),
        ("2026-11-27T09:00:00Z", "2026-11-27 09:30", "naive_datetime"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:30:00Z", "date_out_of_range"),
        ("0001-01-01T00:00:00+01:00", "0001-01-01T00:30:00+01:00", "date_out_of_range"),
        ("1999-12-31T23:00:00Z", "1999-12-31T23:30:00Z", "date_out_of_range"),
        ("9999-12-31T23:00:00-05:00", "9999-12-31T23:30:00-05:00", "date_out_of_range"),
    ],
)
def test_an_upload_with_a_naive_or_out_of_range_time_is_rejected_with_its_code(member, started_at, ended_at, code):
    entry = {**item(), "started_at": started_at, "ended_at": ended_at}

    result = upload(api_client(member), entry).json()["results"][0]

    assert result["status"] == "rejected" and result["code"] == code
    assert not TimeEntry.objects.exists()


def test_times_with_an_offset_are_taken_at_that_offset(member):
    entry = {**item(), "started_at": "2026-01-05T09:00:00+02:00", "ended_at": "2026-01-05T09:30:00+02:00"}

    assert upload(api_client(member), entry).json()["created"] == 1
    assert TimeEntry.objects.get().started_at.isoformat() == "2026-01-05T07:00:00+00:00"


def test_a_naive_range_is_a_400_with_its_code(member):
    response = api_client(member).get(
        reverse("api:entries"), {"start": "2026-01-01T00:00:00", "end": "2026-01-02T00:00:00Z"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "naive_datetime" and "start" in response.json()["error"]["fields"]


def test_an_entry_cannot_be_moved_to_year_0001(member):
    member.company.allow_manual_time = True
    member.company.save()
    client = api_client(member)
    entry_id = upload(client, item()).json()["results"][0]["id"]

    response = client.patch(
        reverse("api:entry", args=[entry_id]), {"started_at": "0001-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 400 and response.json()["error"]["code"] == "date_out_of_range"
    assert TimeEntry.objects.get().started_at.year > 2000
