"""A live timer starts only on a task offered now (as the dashboard and the API's task list show
it). A task that left the person's tasks (accepted and synced, say) refuses a new timer with
`task_not_offered`, while offline uploads still record the time tracked on it, as documented."""

import pytest
from django.urls import reverse

from tracking.models import TaskAssignment, TimeEntry

from .api_helpers import api_client, item, make_task

pytestmark = pytest.mark.django_db
START = reverse("api:timer-start")


def close(task):
    """What a sync does when the story is accepted: the task closes, the assignment too."""
    task.is_open, task.state = False, "accepted"
    task.save()
    TaskAssignment.objects.filter(task=task).update(is_active=False)


def test_the_api_refuses_a_timer_on_a_task_no_longer_offered(member):
    task = make_task(member)
    close(task)

    response = api_client(member).post(START, {"task": str(task.code)}, format="json")

    assert response.status_code == 400 and response.json()["error"]["code"] == "task_not_offered"
    assert not TimeEntry.objects.exists()


def test_the_api_refuses_a_timer_on_a_task_deleted_upstream(member):
    task = make_task(member)
    task.is_deleted_upstream = True
    task.save()

    response = api_client(member).post(START, {"task": str(task.code)}, format="json")

    assert response.status_code == 400 and response.json()["error"]["code"] == "task_not_offered"


def test_offline_time_on_a_task_that_closed_meanwhile_is_still_recorded(member):
    task = make_task(member)
    close(task)

    response = api_client(member).post(reverse("api:upload"), {"entries": [item(task=task)]}, format="json")

    assert response.json()["created"] == 1 and TimeEntry.objects.get().task == task


def test_the_web_timer_refuses_a_task_no_longer_offered(client_for, member):
    task = make_task(member)
    close(task)

    page = client_for(member).post(reverse("timer-start"), {"task": str(task.code)}, follow=True)

    assert "no longer offered" in page.content.decode()
    assert not TimeEntry.objects.exists()


def test_the_web_timer_starts_on_an_offered_task_for_each_role(client_for, admin, member):
    for person in (admin, member):
        task = make_task(person, f"Task of {person.role}")

        client_for(person).post(reverse("timer-start"), {"task": str(task.code)})

        assert TimeEntry.objects.get(membership=person, ended_at__isnull=True).task == task


def test_an_outsiders_task_is_unknown_to_the_timer(client_for, member, outsider):
    foreign = make_task(outsider)

    page = client_for(member).post(reverse("timer-start"), {"task": str(foreign.code)}, follow=True)

    assert "There is no such task" in page.content.decode() and not TimeEntry.objects.exists()


def test_a_task_never_assigned_keeps_its_own_code(member, manager):
    others = make_task(manager)

    response = api_client(member).post(START, {"task": str(others.code)}, format="json")

    assert response.json()["error"]["code"] == "task_not_assigned"
