"""The desktop app's JSON API (/api/v1/). Every view sees only the token holder's membership, and
calls the same services as the web pages."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from ..models import TaskAssignment, TimeEntry
from ..services import time_entries
from ..services.tasks import offered_tasks
from ..services.time_entries import EntryRefused
from .errors import ApiError, datetime_code, error_body
from .serializers import (
    BatchResultSerializer,
    BatchSerializer,
    EntryChangeSerializer,
    ErrorSerializer,
    MeSerializer,
    RangeSerializer,
    TaskListSerializer,
    TaskSerializer,
    TimeEntrySerializer,
    TimerSerializer,
    TimerStartSerializer,
    batch_entries,
    upload_items,
)

# `request.membership`: set by AppTokenAuthentication on the Django request, reached through DRF's;
# the stubs do not know it (hence the attr-defined ignores).
if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request
    from rest_framework.serializers import BaseSerializer

    from companies.models import Membership

ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (400, 401, 403, 404, 409, 429)}


def _refused(refusal: EntryRefused, status_code: int = status.HTTP_400_BAD_REQUEST) -> ApiError:
    if refusal.rule == "manual_time_not_allowed":
        status_code = status.HTTP_403_FORBIDDEN
    if refusal.rule in ("overlap", "timer_running", "entry_deleted"):
        status_code = status.HTTP_409_CONFLICT
    return ApiError(refusal.rule, refusal.message, status_code)


@extend_schema(responses={200: MeSerializer, 401: ERRORS[401], 429: ERRORS[429]}, summary="Who am I")
@api_view(["GET"])
def me(request: Request) -> Response:
    membership = request.membership  # type: ignore[attr-defined]
    company = membership.company
    return Response(
        {
            "email": membership.user.email,
            "name": membership.user.full_name,
            "role": membership.role,
            "company": {"name": company.name, "slug": company.slug, "time_zone": company.time_zone},
            "allow_manual_time": company.allow_manual_time,
        }
    )


def _tasks_etag(membership: Membership) -> str:
    """Changes whenever a task offered to the person, or the set of them, changes: one query."""
    state = TaskAssignment.objects.filter(membership=membership).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        changed=Max("changed_at"),
        task_changed=Max("task__updated_at"),
        project_changed=Max("task__project__updated_at"),
    )
    representation = "tasks-v2"  # bumped when the task fields change, so cached lists are refreshed
    return '"' + hashlib.sha256(repr([representation, *sorted(state.items())]).encode()).hexdigest()[:32] + '"'


@extend_schema(
    summary="My tasks, grouped by project",
    description="Open tasks assigned to me. Send the ETag back in If-None-Match: an unchanged list "
    "answers 304 with no body, so an idle client costs one cheap query.",
    responses={
        200: TaskListSerializer,
        304: OpenApiResponse(description="Not modified"),
        401: ERRORS[401],
        429: ERRORS[429],
    },
)
@api_view(["GET"])
def tasks(request: Request) -> Response:
    etag = _tasks_etag(request.membership)  # type: ignore[attr-defined]
    if etag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    offered = offered_tasks(request.membership)  # type: ignore[attr-defined]
    projects: dict[int, dict[str, Any]] = {}
    for task in offered:
        group = projects.setdefault(
            task.project_id, {"id": task.project.external_id, "name": task.project.name, "tasks": []}
        )
        group["tasks"].append(TaskSerializer(task).data)
    return Response({"projects": list(projects.values())}, headers={"ETag": etag})


@extend_schema(summary="The running timer", responses={200: TimerSerializer, 401: ERRORS[401], 429: ERRORS[429]})
@api_view(["GET"])
def timer(request: Request) -> Response:
    running = time_entries.running_entry(request.membership)  # type: ignore[attr-defined]
    return Response({"running": TimeEntrySerializer(running).data if running else None})


@extend_schema(
    summary="Start the timer",
    description="Stops a running timer at the same instant.",
    request=TimerStartSerializer,
    responses={201: TimeEntrySerializer, **ERRORS},
)
@api_view(["POST"])
def timer_start(request: Request) -> Response:
    data = _valid(TimerStartSerializer, request.data)
    try:
        entry = time_entries.start_timer(
            request.membership,  # type: ignore[attr-defined]
            task_code=data.get("task"),
            note=data.get("note", ""),
            source=TimeEntry.Source.DESKTOP,
        )
    except EntryRefused as refusal:
        raise _refused(refusal) from None
    return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="Stop the timer", request=None, responses={200: TimeEntrySerializer, **ERRORS})
@api_view(["POST"])
def timer_stop(request: Request) -> Response:
    try:
        entry = time_entries.stop_timer(request.membership)  # type: ignore[attr-defined]
    except EntryRefused as refusal:
        raise _refused(refusal, status.HTTP_409_CONFLICT) from None
    return Response(TimeEntrySerializer(entry).data)


def _valid(serializer_class: type[BaseSerializer[Any]], data: Any, **kwargs: Any) -> Any:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(
    summary="Upload time entries",
    description="Up to 1,000 entries recorded offline. Each gets its own result: created, exists (same "
    "client id, same content: a replay), conflict (same client id, other content) or rejected "
    "(with a code: end_before_start, too_long, in_future, overlap, unknown_task, "
    "task_not_assigned, duplicate_in_batch, naive_datetime, date_out_of_range, invalid). "
    "Uploading the same batch again creates nothing.",
    request=BatchSerializer,
    responses={200: BatchResultSerializer, 400: ERRORS[400], 401: ERRORS[401], 429: ERRORS[429]},
)
@api_view(["POST"])
def upload(request: Request) -> Response:
    raw_items = batch_entries(request.data)
    if raw_items is None:
        raw_items = _valid(BatchSerializer, request.data)["entries"]
    items, refused = upload_items(raw_items)
    verdicts = time_entries.upload_entries(
        request.membership,  # type: ignore[attr-defined]
        [item for _, item in items],
        source=TimeEntry.Source.DESKTOP,
    )
    results: list[Any] = [None] * len(raw_items)  # every one set below
    for (index, _), verdict in zip(items, verdicts, strict=True):
        results[index] = {"index": index, **verdict.as_json()}
    for index, errors in refused.items():
        raw = raw_items[index]
        results[index] = {
            "index": index,
            "client_id": str(raw.get("client_id")) if raw.get("client_id") else None,
            "status": "rejected",
            "code": datetime_code(errors) or "invalid",
            "message": "Some fields are invalid.",
            "fields": errors,
        }
    counted = Counter(result["status"] for result in results)
    totals = {
        name: counted[value]
        for name, value in (
            ("created", "created"),
            ("exists", "exists"),
            ("conflicts", "conflict"),
            ("rejected", "rejected"),
        )
    }
    return Response({"results": results, **totals})


@extend_schema(
    summary="My entries in a range",
    parameters=[
        OpenApiParameter(
            "start", OpenApiTypes.DATETIME, required=True, description="Entries starting at or after this instant"
        ),
        OpenApiParameter(
            "end",
            OpenApiTypes.DATETIME,
            required=True,
            description="Entries starting before this instant, at most 92 days later",
        ),
    ],
    responses={200: TimeEntrySerializer(many=True), 400: ERRORS[400], 401: ERRORS[401], 429: ERRORS[429]},
)
@api_view(["GET"])
def entries(request: Request) -> Response:
    window = _valid(RangeSerializer, request.query_params)
    found = (
        TimeEntry.objects.of(request.membership)  # type: ignore[attr-defined]
        .live()
        .filter(started_at__gte=window["start"], started_at__lt=window["end"])
        .select_related("task")
        .order_by("started_at")
    )
    return Response(TimeEntrySerializer(found, many=True).data)


def _own_entry(request: Request, code: uuid.UUID, *, deleted_too: bool = False) -> TimeEntry:
    entries = TimeEntry.objects.of(request.membership)  # type: ignore[attr-defined]
    if not deleted_too:
        entries = entries.live()
    return get_object_or_404(entries.select_related("membership__company", "membership__user", "task"), code=code)


@extend_schema(
    methods=["PATCH"],
    summary="Change one of my entries",
    request=EntryChangeSerializer,
    description="Needs the company to allow editing time by hand (else 403 "
    "`manual_time_not_allowed`). The same rules as every entry apply (`end_before_start`, "
    "`too_long`, `in_future`, `overlap`, `unknown_task`, `task_not_assigned`); new times or "
    "a new task make it manual time; a running timer takes only a note (409 "
    "`timer_running`). Every change is written to the company's audit log.",
    responses={200: TimeEntrySerializer, **ERRORS},
)
@extend_schema(
    methods=["DELETE"],
    summary="Delete one of my entries",
    description="Moves the entry to my recently deleted ones: it no longer counts anywhere, and "
    "`POST time-entries/{id}/restore/` brings it back. A running timer is stopped first. "
    "Deleting it again answers 204 too. Written to the company's audit log.",
    request=None,
    responses={204: None, **ERRORS},
)
@api_view(["PATCH", "DELETE"])
def entry(request: Request, code: uuid.UUID) -> Response:
    try:
        if request.method == "DELETE":
            time_entries.delete_entry(_own_entry(request, code, deleted_too=True), acting=request.membership)  # type: ignore[attr-defined]
            return Response(status=status.HTTP_204_NO_CONTENT)
        found = _own_entry(request, code)
        data = _valid(EntryChangeSerializer, request.data)
        changes: dict[str, Any] = {key: data[key] for key in ("started_at", "ended_at", "note") if key in data}
        if "task" in data:
            changes["task_code"] = str(data["task"]) if data["task"] else None
        changed = time_entries.change_entry(found, acting=request.membership, **changes)  # type: ignore[attr-defined]
    except EntryRefused as refusal:
        raise _refused(refusal) from None
    return Response(TimeEntrySerializer(changed).data)


@extend_schema(
    summary="Restore one of my deleted entries",
    request=None,
    description="Brings a deleted entry back as it was. Refused with 409 `overlap` when its time "
    "is now taken by another of my entries (change or delete that one first), and with "
    "403 `manual_time_not_allowed` when the company does not allow editing time by hand. "
    "Restoring a live entry changes nothing. Written to the company's audit log.",
    responses={200: TimeEntrySerializer, **ERRORS},
)
@api_view(["POST"])
def restore(request: Request, code: uuid.UUID) -> Response:
    try:
        restored = time_entries.restore_entry(_own_entry(request, code, deleted_too=True), acting=request.membership)  # type: ignore[attr-defined]
    except EntryRefused as refusal:
        raise _refused(refusal) from None
    return Response(TimeEntrySerializer(restored).data)


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(error_body("not_found", "There is no such endpoint."), status=404)
