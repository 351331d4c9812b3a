"""A story link from the tracker is only ever an http(s) URL: on every page and in the API, a
`javascript:` or `data:` link is no link at all, and the title is shown without one."""

import pytest
from django.apps import apps
from django.urls import reverse

from integrations.providers.pivotal.emulator.demo_data import WEB_APP
from tests.sync.conftest import owned_story, run_sync
from tracking.models import Task

from .api_helpers import api_client

pytestmark = pytest.mark.django_db

HOSTILE = "javascript:alert(document.domain)"


@pytest.fixture
def hostile_task(emulator, link):
    """Ana's task whose story link, as Pivotal sent it, is a script."""
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.story(story.id).url_override = HOSTILE
    emulator.state.update_story(story.id, name="Hostile link story")
    run_sync(link("ana"))
    return Task.objects.get(external_id=str(story.id))


def pages_of(client, task):
    client.post(reverse("timer-start"), {"task": str(task.code)})
    yield "dashboard and running timer", client.get(reverse("dashboard")).content.decode()
    yield "task picker", client.get(reverse("timer-tasks"), {"q": "Hostile"}).content.decode()
    client.post(reverse("timer-stop"))
    yield "entries report", client.get(reverse("reports:entries"), {"range": "this_week"}).content.decode()
    yield "projects report", client.get(reverse("reports:projects"), {"range": "this_week"}).content.decode()


def test_no_page_links_to_a_story_url_that_is_not_http(hostile_task, client_for):
    client = client_for(hostile_task.assignments.get().membership)

    for surface, html in pages_of(client, hostile_task):
        assert "Hostile link story" in html, surface
        assert "javascript:" not in html, surface


def test_the_api_returns_no_url_for_such_a_story_and_names_its_provider_and_id(hostile_task):
    body = api_client(hostile_task.assignments.get().membership).get("/api/v1/tasks/").json()

    task = next(
        task for project in body["projects"] for task in project["tasks"] if task["title"] == "Hostile link story"
    )
    assert task["url"] == "" and task["provider"] == "pivotal" and task["external_id"] == hostile_task.external_id


def test_links_stored_before_the_rule_are_dropped_by_the_migration(hostile_task):
    Task.objects.filter(pk=hostile_task.pk).update(url=HOSTILE)
    kept = Task.objects.exclude(pk=hostile_task.pk).exclude(url="").first()
    migration = __import__("tracking.migrations.0004_whole_values", fromlist=["drop_unsafe_links"])

    migration.drop_unsafe_links(apps, None)

    assert Task.objects.get(pk=hostile_task.pk).url == ""
    assert Task.objects.get(pk=kept.pk).url.startswith("https://")
