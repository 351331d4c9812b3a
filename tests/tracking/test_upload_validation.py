"""The batch upload reads ordinary entries in one pass (tracking/api/serializers.py `upload_items`)
instead of one UploadItemSerializer each: for every entry, plain or odd, it gives exactly what the
serializer gives, the same item or the same errors."""

import pytest
from django.utils import timezone

from tracking.api.serializers import UploadItemSerializer, batch_entries, upload_items
from tracking.services.time_entries import MAX_BATCH, UploadItem

CLIENT_ID = "6f1c9a52-1111-4000-8000-00000000abcd"
TASK = "0b7e2c1d-2222-4000-8000-000000000001"
PLAIN = {
    "client_id": CLIENT_ID,
    "task": TASK,
    "started_at": "2026-11-27T09:00:00Z",
    "ended_at": "2026-11-27T09:30:00+02:00",
    "note": "Pairing",
}
VARIANTS = [
    {},
    {"client_id": CLIENT_ID.upper()},
    {"client_id": "{" + CLIENT_ID + "}"},
    {"client_id": "urn:uuid:" + CLIENT_ID},
    {"client_id": CLIENT_ID.replace("-", "")},
    {"client_id": 12345},
    {"client_id": ""},
    {"client_id": None},
    {"client_id": "not-a-uuid"},
    {"client_id": [CLIENT_ID]},
    {"task": None},
    {"task": ""},
    {"task": 7},
    {"task": "nope"},
    {"task": TASK.upper()},
    {"task": {"id": TASK}},
    {"note": "  spaced  "},
    {"note": "   "},
    {"note": ""},
    {"note": None},
    {"note": 42},
    {"note": 4.5},
    {"note": True},
    {"note": "x" * 1000},
    {"note": "x" * 1000 + "   "},
    {"note": "x" * 1001},
    {"note": "a\x00b"},
    {"note": "lone \ud800 surrogate"},
    {"note": "emoji 🕒 and RTL \u202eabc"},
    {"started_at": "2026-11-27 09:00:00+00:00"},
    {"started_at": "2026-11-27T09:00:00.123456-05:00"},
    {"started_at": "2026-11-27T09:00+0530"},
    {"started_at": " 2026-11-27T09:00:00Z"},
    {"started_at": "2026-11-27T09:00:00Z "},
    {"started_at": "2026-11-27T09:00:00"},
    {"started_at": "2026-11-27"},
    {"started_at": "2026-02-30T09:00:00Z"},
    {"started_at": "1999-12-31T23:59:59Z"},
    {"started_at": "2100-01-01T00:00:00Z"},
    {"started_at": "2099-12-31T23:00:00-05:00"},
    {"started_at": "0001-01-01T00:00:00Z"},
    {"started_at": 1764234000},
    {"started_at": None},
    {"started_at": ""},
    {"extra": "ignored"},
]
MISSING = ["client_id", "task", "started_at", "ended_at", "note"]


def serializer_answer(raw):
    """What one UploadItemSerializer per entry made of an entry."""
    serializer = UploadItemSerializer(data=raw)
    if not serializer.is_valid():
        return serializer.errors
    data = serializer.validated_data
    return UploadItem(
        data["client_id"],
        data["started_at"],
        data["ended_at"],
        str(data["task"]) if data["task"] else None,
        data["note"],
    )


def entries():
    made = [{**PLAIN, **change} for change in VARIANTS]
    made += [{key: value for key, value in PLAIN.items() if key != missing} for missing in MISSING]
    return made


def comparable(answer):
    if isinstance(answer, UploadItem):
        return (
            "item",
            answer.client_id,
            answer.started_at.isoformat(),
            answer.ended_at.isoformat(),
            answer.task_code,
            answer.note,
        )
    return ("errors", {field: [(str(error), error.code) for error in errors] for field, errors in answer.items()})


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_each_entry_is_read_exactly_as_its_serializer_reads_it(zone):
    batch = entries()

    with timezone.override(zone):
        items, refused = upload_items(batch)
        expected = [serializer_answer(raw) for raw in batch]

    answers = dict(items) | refused
    assert sorted(answers) == list(range(len(batch)))
    for index, raw in enumerate(batch):
        assert comparable(answers[index]) == comparable(expected[index]), raw


@pytest.mark.parametrize(
    "body",
    [
        {"entries": [PLAIN]},
        {"entries": [PLAIN] * MAX_BATCH},
    ],
)
def test_an_ordinary_body_is_taken_as_it_is(body):
    assert batch_entries(body) == body["entries"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        {"entries": []},
        {"entries": "nope"},
        {"entries": [PLAIN] * (MAX_BATCH + 1)},
        {"entries": [PLAIN, 5]},
        {"entries": [PLAIN, None]},
        {"entries": {"0": PLAIN}},
    ],
)
def test_any_other_body_is_left_to_the_serializer_that_refuses_it(body):
    assert batch_entries(body) is None
