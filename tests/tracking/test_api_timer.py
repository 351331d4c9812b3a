import pytest
from django.urls import reverse

from tracking.models import TimeEntry

from .api_helpers import api_client, make_task

pytestmark = pytest.mark.django_db
START, STOP, TIMER = reverse("api:timer-start"), reverse("api:timer-stop"), reverse("api:timer")


def test_starting_on_a_task_runs_one_timer_and_stopping_ends_it(member):
    task = make_task(member)
    client = api_client(member)

    started = client.post(START, {"task": str(task.code)}, format="json")
    running = client.get(TIMER).json()["running"]
    stopped = client.post(STOP)

    assert started.status_code == 201 and started.json()["task"] == str(task.code)
    assert running["id"] == started.json()["id"] and running["ended_at"] is None
    assert stopped.status_code == 200 and stopped.json()["ended_at"] is not None
    assert client.get(TIMER).json() == {"running": None}
    assert TimeEntry.objects.get().source == "desktop"


def test_starting_while_a_timer_runs_stops_it_at_the_same_instant(member):
    first, second = make_task(member, "First"), make_task(member, "Second")
    client = api_client(member)
    client.post(START, {"task": str(first.code)}, format="json")

    client.post(START, {"task": str(second.code)}, format="json")

    earlier, later = TimeEntry.objects.order_by("started_at")
    assert earlier.task == first and earlier.ended_at == later.started_at
    assert later.task == second and later.ended_at is None


def test_time_can_be_tracked_without_a_task(member):
    response = api_client(member).post(START, {}, format="json")

    assert response.status_code == 201 and response.json()["task"] is None


def test_stopping_with_no_timer_is_a_conflict(member):
    response = api_client(member).post(STOP)

    assert response.status_code == 409 and response.json()["error"]["code"] == "no_running_timer"


def test_another_companys_task_is_refused_without_saying_it_exists(member, outsider):
    foreign = make_task(outsider)

    response = api_client(member).post(START, {"task": str(foreign.code)}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "unknown_task", "message": "There is no such task."}
    assert not TimeEntry.objects.filter(membership=member).exists()


def test_a_task_never_assigned_to_me_is_refused(member, manager):
    theirs = make_task(manager)

    response = api_client(member).post(START, {"task": str(theirs.code)}, format="json")

    assert response.status_code == 400 and response.json()["error"]["code"] == "task_not_assigned"


def test_the_web_page_and_the_desktop_app_share_one_timer(member, client_for):
    task = make_task(member)
    api = api_client(member)
    api.post(START, {"task": str(task.code)}, format="json")

    page = client_for(member).get(reverse("dashboard")).content.decode()
    client_for(member).post(reverse("timer-stop"))

    assert "Tracking" in page and "Export CSV" in page
    assert api.get(TIMER).json() == {"running": None}
