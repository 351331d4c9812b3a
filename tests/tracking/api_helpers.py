"""Helpers for the desktop API tests: real app tokens, real tasks and assignments in the database."""

import uuid
from datetime import datetime, timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from tracking.models import Project, Task, TaskAssignment
from tracking.services.app_tokens import create_app_token


def api_client(membership):
    client = APIClient()
    _, raw = create_app_token(membership, "Test laptop")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def make_task(
    membership,
    title="Export CSV",
    *,
    project_name="Web App",
    external_id=None,
    active=True,
    is_open=True,
    state="started",
):
    project, _ = Project.objects.get_or_create(
        company=membership.company, provider="pivotal", external_id=f"p-{project_name}", defaults={"name": project_name}
    )
    task = Task.objects.create(
        company=membership.company,
        provider="pivotal",
        external_id=external_id or str(uuid.uuid4().int)[:9],
        project=project,
        title=title,
        url="https://www.pivotaltracker.com/story/show/1",
        state=state,
        is_open=is_open,
    )
    TaskAssignment.objects.create(task=task, membership=membership, is_active=active)
    return task


_reference_now: datetime | None = None


def forget_now():
    """Called around each test: the next `item` takes "now" afresh (after any clock a test froze)."""
    global _reference_now
    _reference_now = None


def item(*, start_minutes_ago=120, minutes=30, task=None, client_id=None, note=""):
    # One "now" per test, so its entries keep the distances it wrote even when the clock crosses a
    # second between two calls (entries written to only touch would otherwise overlap by a second).
    global _reference_now
    if _reference_now is None:
        _reference_now = timezone.now().replace(microsecond=0)
    now = _reference_now
    started = now - timedelta(minutes=start_minutes_ago)
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "task": str(task.code) if task else None,
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=minutes)).isoformat(),
        "note": note,
    }
