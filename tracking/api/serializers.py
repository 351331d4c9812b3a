from __future__ import annotations

import uuid
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from ..models import Task, TimeEntry
from ..services.time_entries import MAX_BATCH, UploadItem

EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant with its offset (`Z` or `+02:00`), between the years 2000 and 2099. A time
    without an offset is refused rather than guessed as UTC; so is a year such as 0001."""

    default_error_messages = {
        "naive_datetime": "Give the offset from UTC: end the time with Z or with an offset such as +02:00.",
        "date_out_of_range": f"The date must be between {EARLIEST_YEAR} and {LATEST_YEAR}.",
    }

    def to_internal_value(self, value: datetime | str) -> datetime:
        parsed = value if isinstance(value, datetime) else None
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
        if parsed is not None:
            if parsed.tzinfo is None or parsed.utcoffset() is None:
                self.fail("naive_datetime")
            if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
                self.fail("date_out_of_range")
        return super().to_internal_value(value)


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code", read_only=True)
    provider = serializers.CharField(read_only=True, help_text="The tracker the task comes from, e.g. `pivotal`.")
    external_id = serializers.CharField(read_only=True, help_text="The item's id at that tracker (a story id).")
    kind = serializers.CharField(
        read_only=True,
        help_text="The tracker's type of item: a Pivotal story type "
        "(feature, bug, chore, release), `issue` for GitHub.",
    )
    url = serializers.CharField(
        read_only=True,
        help_text="The item's page at the tracker: an http(s) URL, or "
        "empty when the tracker gave none that is safe to open.",
    )

    class Meta:
        model = Task
        fields = ["id", "provider", "external_id", "title", "url", "kind", "state", "estimate", "labels", "is_open"]


class ProjectTasksSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The project's id at its tracker")
    name = serializers.CharField()
    tasks = TaskSerializer(many=True)


class TaskListSerializer(serializers.Serializer):
    projects = ProjectTasksSerializer(many=True)


class TimeEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code", read_only=True)
    task = serializers.UUIDField(source="task.code", read_only=True, allow_null=True, default=None)
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = TimeEntry
        fields = ["id", "client_id", "task", "started_at", "ended_at", "source", "note", "duration_seconds"]

    def get_duration_seconds(self, entry: TimeEntry) -> int | None:
        return int((entry.ended_at - entry.started_at).total_seconds()) if entry.ended_at else None


class TimerSerializer(serializers.Serializer):
    running = TimeEntrySerializer(allow_null=True)


class TimerStartSerializer(serializers.Serializer):
    task = serializers.UUIDField(required=False, allow_null=True, help_text="A task id, or null for no task")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class UploadItemSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="Chosen by the client; uploading it again is harmless")
    task = serializers.UUIDField(required=False, allow_null=True, default=None)
    started_at = AwareDateTimeField()
    ended_at = AwareDateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class BatchSerializer(serializers.Serializer):
    entries = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=MAX_BATCH,
        help_text=f"1 to {MAX_BATCH} entries; each is an UploadItem",
    )


# --- The batch upload's validation, one pass over the list -----------------------------------------
# One UploadItemSerializer per entry costs more than everything else an upload does (field copies,
# validator chains). `upload_items` reads the ordinary entry directly, with exactly the result the
# serializers give; any entry it does not take as it is (a missing, wrong or unusual field) goes
# through UploadItemSerializer, so refusals keep the serializer's exact codes and messages.
# tests/tracking/test_upload_validation.py holds the two paths to the same answers.


def batch_entries(data: object) -> list[dict[str, Any]] | None:
    """BatchSerializer's `entries` for the ordinary body (a list of 1 to MAX_BATCH objects), or None
    for anything else, to be validated (and refused) by BatchSerializer itself."""
    entries = data.get("entries") if type(data) is dict else None
    if type(entries) is list and 1 <= len(entries) <= MAX_BATCH and all(type(entry) is dict for entry in entries):
        return entries
    return None


def upload_items(
    entries: list[dict[str, Any]],
) -> tuple[list[tuple[int, UploadItem]], dict[int, Any]]:
    """(index, UploadItem) of each valid entry, and {index: (client id, serializer errors)} of the rest."""
    zone = timezone.get_current_timezone()
    items: list[tuple[int, UploadItem]]
    refused: dict[int, Any]
    items, refused = [], {}
    for index, raw in enumerate(entries):
        item = _plain_item(raw, zone)
        if item is None:
            serializer = UploadItemSerializer(data=raw)
            if not serializer.is_valid():
                refused[index] = serializer.errors
                continue
            data = serializer.validated_data
            item = UploadItem(
                data["client_id"],
                data["started_at"],
                data["ended_at"],
                str(data["task"]) if data["task"] else None,
                data["note"],
            )
        items.append((index, item))
    return items, refused


def _plain_item(raw: dict[str, Any], zone: tzinfo) -> UploadItem | None:
    """The UploadItem UploadItemSerializer would make of an entry whose fields are plain strings
    (client id and task as UUID strings or a null task, instants with an offset in 2000–2099, a
    note of at most 1,000 characters); None for any other entry."""
    client_id, task, note = raw.get("client_id"), raw.get("task"), raw.get("note", "")
    if type(client_id) is not str or (task is not None and type(task) is not str) or type(note) is not str:
        return None
    try:
        client_id = uuid.UUID(hex=client_id)
        task = str(uuid.UUID(hex=task)) if task is not None else None
    except ValueError:
        return None
    started_at, ended_at = _plain_instant(raw.get("started_at"), zone), _plain_instant(raw.get("ended_at"), zone)
    note = note.strip()  # CharField trims; blank is allowed
    if started_at is None or ended_at is None or len(note) > 1000 or "\x00" in note or _has_surrogate(note):
        return None
    return UploadItem(client_id, started_at, ended_at, task, note)


def _plain_instant(value: object, zone: tzinfo) -> datetime | None:
    """What AwareDateTimeField gives for an ISO 8601 string with an offset in 2000–2099 and no
    surrounding spaces (DateTimeField converts to the current time zone); None for anything else."""
    if type(value) is not str or value != value.strip():
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    try:
        return parsed.astimezone(zone)
    except OverflowError:
        return None


def _has_surrogate(text: str) -> bool:
    """CharField refuses text with a lone surrogate (JSON can carry one as \\ud800)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    client_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["created", "exists", "conflict", "rejected"])
    id = serializers.UUIDField(required=False)
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)
    fields = serializers.DictField(required=False)


class BatchResultSerializer(serializers.Serializer):
    results = ItemResultSerializer(many=True)
    created = serializers.IntegerField()
    exists = serializers.IntegerField()
    conflicts = serializers.IntegerField()
    rejected = serializers.IntegerField()


class EntryChangeSerializer(serializers.Serializer):
    task = serializers.UUIDField(required=False, allow_null=True)
    started_at = AwareDateTimeField(required=False)
    ended_at = AwareDateTimeField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RangeSerializer(serializers.Serializer):
    start = AwareDateTimeField(help_text="Entries starting at or after this instant")
    end = AwareDateTimeField(help_text="Entries starting before this instant (at most 92 days later)")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["end"] <= data["start"]:
            raise serializers.ValidationError({"end": "The end of the range must be after its start."})
        if (data["end"] - data["start"]).days > 92:
            raise serializers.ValidationError({"end": "A range can span at most 92 days."})
        return data


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    role = serializers.CharField()
    company = serializers.DictField()
    allow_manual_time = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    error = serializers.DictField(help_text='{"code": "…", "message": "…", "fields": {…}}')
