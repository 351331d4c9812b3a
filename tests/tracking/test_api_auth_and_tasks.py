import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tracking.models import AppToken, TaskAssignment
from tracking.services.app_tokens import revoke_app_token

from .api_helpers import api_client, make_task

pytestmark = pytest.mark.django_db
TASKS = reverse("api:tasks")


def test_without_a_token_the_api_answers_401_with_a_machine_readable_body():
    response = APIClient().get(reverse("api:me"))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused(member):
    client = api_client(member)
    revoke_app_token(AppToken.objects.get())

    response = client.get(reverse("api:me"))

    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_an_unknown_token_and_a_deactivated_members_token_are_refused(member):
    client = api_client(member)
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer tdk_not-a-real-token")
    member.is_active = False
    member.save()

    assert stranger.get(reverse("api:me")).status_code == 401
    assert client.get(reverse("api:me")).status_code == 401


def test_who_am_i_names_the_token_holder_and_their_company(member):
    body = api_client(member).get(reverse("api:me")).json()

    assert body["email"] == "ana@acme.example" and body["role"] == "user"
    assert body["company"] == {"name": "Acme Corp", "slug": "acme", "time_zone": "UTC"}


def test_tasks_come_grouped_by_project_and_only_those_assigned_to_me(member, manager):
    mine = make_task(member, "Export CSV")
    make_task(member, "Fix login", project_name="Mobile")
    make_task(member, "Old story", active=False)
    make_task(manager, "Manager's story")

    body = api_client(member).get(TASKS).json()

    assert [(project["name"], [task["title"] for task in project["tasks"]]) for project in body["projects"]] == [
        ("Mobile", ["Fix login"]),
        ("Web App", ["Export CSV"]),
    ]
    assert body["projects"][1]["tasks"][0]["id"] == str(mine.code)


def test_an_unchanged_task_list_answers_304_and_a_change_gives_a_new_etag(member):
    task = make_task(member)
    client = api_client(member)
    first = client.get(TASKS)

    again = client.get(TASKS, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    TaskAssignment.objects.filter(task=task).update(is_active=False)
    changed = client.get(TASKS, HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert again.status_code == 304 and not again.content
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.json() == {"projects": []}


def test_an_idle_poll_costs_one_query(member, django_assert_max_num_queries):
    make_task(member)
    client = api_client(member)
    etag = client.get(TASKS).headers["ETag"]

    with django_assert_max_num_queries(2):  # the token lookup, then the ETag aggregate
        assert client.get(TASKS, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_task_list_does_not_grow_in_queries_with_tasks(member, django_assert_max_num_queries):
    for number in range(30):
        make_task(member, f"Story {number}", project_name=f"Project {number % 5}")
    client = api_client(member)

    with django_assert_max_num_queries(4):
        assert len(client.get(TASKS).json()["projects"]) == 5


def test_unknown_api_paths_answer_json_404(member):
    response = api_client(member).get("/api/v1/nothing-here/")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
