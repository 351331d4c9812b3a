"""Values from the tracker are hostile until stored: whole lengths, any Unicode, only http(s) links,
and one bad story never stops a person's sync. Run on PostgreSQL in CI (SQLite accepts almost
anything, which is how these went unnoticed)."""

import json

import pytest
from django.urls import reverse

from companies import services as company_services
from companies.models import AuditEvent
from integrations import services
from integrations.models import UserIntegration
from integrations.providers.pivotal.emulator.demo_data import BILLING_API, WEB_APP
from sync.models import SyncRun
from tests.factories import MembershipFactory
from tracking.models import Project, Task

from .conftest import PERSON, expected, offered, owned_story, run_sync

pytestmark = pytest.mark.django_db

ANA = PERSON["ana"].pivotal_id
LONG_NAME = ("Ünïcode story ✓ " * 320)[:4997] + "end"  # 5,000 characters, Pivotal's limit for a name


def task_of(story):
    return Task.objects.get(external_id=str(story.id))


def test_a_story_name_of_five_thousand_characters_is_kept_whole(emulator, link):
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.update_story(story.id, name=LONG_NAME)

    run_sync(link("ana"))

    assert task_of(story).title == LONG_NAME and len(LONG_NAME) == 5000


def test_long_project_names_labels_states_and_types_are_kept_whole(emulator, link):
    project = emulator.state.project(WEB_APP)
    project.name = "Web App " + "x" * 400
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.update_story(story.id, labels=["l" * 300])
    emulator.state.story(story.id).current_state = "started"
    emulator.state.story(story.id).story_type = "feature-" + "t" * 80

    run_sync(link("ana"))

    task = task_of(story)
    assert Project.objects.get(external_id=str(WEB_APP)).name == project.name
    assert task.labels == ["l" * 300] and task.kind == "feature-" + "t" * 80


@pytest.mark.parametrize(
    "name, stored",
    [
        ("Fix\x00the\x00parser", "Fixtheparser"),
        ("Lone surrogate \ud800 here", "Lone surrogate \ufffd here"),
        ("עברית عربي \u202eRTL override\u202c", "עברית عربي \u202eRTL override\u202c"),  # kept exactly
    ],
)
def test_characters_no_database_stores_are_cleaned_and_the_rest_of_the_run_completes(emulator, link, name, stored):
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.story(story.id).name = name
    emulator.state.project(WEB_APP).name = "Web\x00App"

    assert run_sync(link("ana")) == "succeeded"

    assert task_of(story).title == stored
    assert Project.objects.get(external_id=str(WEB_APP)).name == "WebApp"
    assert offered(PERSON_MEMBERSHIP(story)) == expected(emulator, "ana")  # every project synced


def PERSON_MEMBERSHIP(story):  # noqa: N802 - reads as a phrase in the assertion above
    return UserIntegration.objects.get(external_id=str(ANA)).membership


def test_a_story_that_cannot_be_read_is_skipped_with_a_visible_warning(emulator, link, client_for):
    broken = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.story(broken.id).estimate = "lots"  # not a number: a story of an unexpected shape
    ana = link("ana")

    assert run_sync(ana) == "succeeded"

    assert not Task.objects.filter(external_id=str(broken.id)).exists()
    assert offered(ana.membership) == expected(emulator, "ana") - {str(broken.id)}
    run = SyncRun.objects.get(user_integration=ana)
    assert run.warnings == [
        {
            "project": "Web App",
            "external_id": str(broken.id),
            "title": "",
            "reason": "Pivotal Tracker sent a story of an unexpected shape (the estimate is not a number).",
        }
    ]
    page = client_for(ana.membership).get(reverse("integrations:mine")).content.decode()
    assert "1 item skipped" in page and str(broken.id) in page and "the estimate is not a number" in page


def test_a_page_that_lists_one_story_twice_still_syncs(emulator, link, monkeypatch):
    """PostgreSQL refuses an upsert that touches a row twice in one statement; the page is written anyway."""
    answer = emulator.app.answer

    def first_story_twice(request):
        response, person_id = answer(request)
        if request.path.endswith(f"/projects/{WEB_APP}/stories") and response.status == 200:
            stories = json.loads(response.body)
            response.body = json.dumps(stories[:1] + stories).encode()
        return response, person_id

    monkeypatch.setattr(emulator.app, "answer", first_story_twice)

    assert run_sync(link("ana")) == "succeeded"

    assert offered(PERSON_MEMBERSHIP(None)) == expected(emulator, "ana")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "https:///no-host",
        " javascript:x",
        "java\tscript:alert(1)",
    ],
)
def test_a_story_link_that_is_not_http_is_not_stored(emulator, link, url):
    story = owned_story(emulator, "ana", project_id=WEB_APP)
    emulator.state.story(story.id).url_override = url

    run_sync(link("ana"))

    assert task_of(story).url == ""


def test_an_http_story_link_is_kept_as_sent(emulator, link):
    story = owned_story(emulator, "ana", project_id=BILLING_API)
    emulator.state.story(story.id).url_override = "https://tracker.example/story/show/1?x=" + "y" * 900

    run_sync(link("ana"))

    assert task_of(story).url == "https://tracker.example/story/show/1?x=" + "y" * 900


def test_a_pivotal_account_with_a_very_long_name_and_email_can_be_linked(emulator, pivotal_on):
    person = emulator.state.add_person("N" * 260, "a" * 240 + "@long.example", "longname")
    membership = MembershipFactory(company=pivotal_on["ana"].company, user__email="a" * 240 + "@long.example")

    personal = services.save_user_token(membership, "pivotal", person.api_token)

    personal = UserIntegration.objects.get(pk=personal.pk)
    assert personal.external_name == "N" * 260 and personal.external_email == "a" * 240 + "@long.example"


def test_a_role_change_between_people_with_long_names_is_audited_whole(company):
    owner = MembershipFactory(company=company, role="owner", user__full_name="O" * 150)
    member = MembershipFactory(company=company, role="user", user__full_name="M" * 150)

    company_services.change_role(member, "manager", acting=owner)

    summary = AuditEvent.objects.get(action="member.role_changed").summary
    assert "O" * 150 in summary and "M" * 150 in summary
