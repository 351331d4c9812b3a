"""Pivotal's activity webhook queues an incremental sync of the people the activity concerns."""

import json

import pytest
from django.urls import reverse

from integrations.models import CompanyIntegration
from integrations.providers.pivotal.emulator.demo_data import WEB_APP

from .conftest import PERSON, claim, run_sync

pytestmark = pytest.mark.django_db


def activity(owner_ids, story_id=7001, performer=None):
    return {
        "kind": "story_update_activity",
        "guid": f"{WEB_APP}_413",
        "project_version": 413,
        "message": "Someone changed a story",
        "highlight": "changed",
        "changes": [
            {
                "kind": "story",
                "change_type": "update",
                "id": story_id,
                "name": "A story",
                "original_values": {"owner_ids": []},
                "new_values": {"owner_ids": owner_ids},
            }
        ],
        "primary_resources": [
            {
                "kind": "story",
                "id": story_id,
                "name": "A story",
                "story_type": "feature",
                "url": f"https://www.pivotaltracker.com/story/show/{story_id}",
            }
        ],
        "project": {"kind": "project", "id": WEB_APP, "name": "Web App"},
        "performed_by": {"kind": "person", "id": performer or 103, "name": "Maya Manager", "initials": "MM"},
        "occurred_at": 1714557600000,
    }


def post(client, secret, body):
    return client.post(
        reverse("sync:webhook", args=["pivotal", secret]), data=json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def idle(link):
    """Linked people whose first syncs are done (nothing queued any more)."""

    def make(*usernames):
        personals = [link(username) for username in usernames]
        for personal in personals:
            run_sync(personal)
        return personals

    return make


def test_the_webhook_queues_a_sync_of_the_people_the_activity_names(client, idle, django_capture_on_commit_callbacks):
    ana, ben = idle("ana", "ben")
    secret = CompanyIntegration.objects.get().webhook_secret

    with django_capture_on_commit_callbacks() as queued:
        response = post(client, secret, activity(owner_ids=[PERSON["ana"].pivotal_id]))

    assert response.status_code == 202 and response.json() == {"queued": 1}
    assert len(queued) == 1
    ana.refresh_from_db(), ben.refresh_from_db()
    assert (claim(ana).state, claim(ben).state) == ("queued", "idle")


def test_the_people_who_had_the_story_are_synced_too(client, idle, emulator, django_capture_on_commit_callbacks):
    (ana,) = idle("ana")
    story_id = next(int(task) for task in ana.membership.tasks.values_list("external_id", flat=True))
    secret = CompanyIntegration.objects.get().webhook_secret

    response = post(client, secret, activity(owner_ids=[PERSON["ben"].pivotal_id], story_id=story_id))

    assert response.json() == {"queued": 1}  # Ana had it; Ben is not linked


def test_a_wrong_secret_is_a_404_and_queues_nothing(client, idle, django_capture_on_commit_callbacks):
    (ana,) = idle("ana")

    with django_capture_on_commit_callbacks() as queued:
        response = post(client, "not-the-secret", activity(owner_ids=[PERSON["ana"].pivotal_id]))

    assert response.status_code == 404 and queued == []
    ana.refresh_from_db()
    assert claim(ana).state == "idle"


@pytest.mark.parametrize("body", ["not json", json.dumps({"kind": "person"}), json.dumps([1, 2])])
def test_a_body_that_is_not_an_activity_is_a_400(client, idle, body):
    idle("ana")
    secret = CompanyIntegration.objects.get().webhook_secret

    response = client.post(
        reverse("sync:webhook", args=["pivotal", secret]), data=body, content_type="application/json"
    )

    assert response.status_code == 400 and "error" in response.json()


def test_nothing_is_queued_while_the_company_integration_is_off(
    client, idle, pivotal_on, django_capture_on_commit_callbacks
):
    from integrations import services

    idle("ana")
    integration = CompanyIntegration.objects.get()
    services.disable_company_integration(integration, acting=pivotal_on["olivia"])

    with django_capture_on_commit_callbacks() as queued:
        response = post(client, integration.webhook_secret, activity(owner_ids=[PERSON["ana"].pivotal_id]))

    assert response.status_code == 202 and response.json()["queued"] == 0 and queued == []


def test_the_webhook_only_takes_a_post(client, idle):
    idle("ana")
    secret = CompanyIntegration.objects.get().webhook_secret

    assert client.get(reverse("sync:webhook", args=["pivotal", secret])).status_code == 405


def test_the_company_page_shows_the_webhook_url_and_how_to_add_it(client_for, idle, pivotal_on):
    idle("ana")
    integration = CompanyIntegration.objects.get()

    html = (
        client_for(pivotal_on["olivia"]).get(reverse("integrations:company-detail", args=["pivotal"])).content.decode()
    )

    assert f"/integrations/webhooks/pivotal/{integration.webhook_secret}/" in html
    assert "Project settings → Webhooks" in html


@pytest.mark.parametrize(
    "changes",
    [
        {"changes": [{"kind": "story", "id": 1, "new_values": {"owner_ids": 5}}]},
        {"changes": "not a list"},
        {"performed_by": {"id": {"nested": True}}},
    ],
)
def test_an_activity_with_fields_of_the_wrong_type_is_a_400(client, idle, changes):
    idle("ana")
    secret = CompanyIntegration.objects.get().webhook_secret

    response = post(client, secret, {**activity(owner_ids=[]), **changes})

    assert response.status_code == 400 and "error" in response.json()


def test_the_webhook_secret_stays_out_of_the_logs(client, idle, caplog):
    idle("ana")
    secret = CompanyIntegration.objects.get().webhook_secret

    post(client, secret, {"kind": "not an activity"})

    assert "/integrations/webhooks/pivotal/" in caplog.text and secret not in caplog.text


def test_an_admin_replaces_the_webhook_url_and_the_old_one_stops_working(client, client_for, idle, pivotal_on):
    idle("ana")
    old_secret = CompanyIntegration.objects.get().webhook_secret

    client_for(pivotal_on["olivia"]).post(reverse("integrations:company-webhook-rotate", args=["pivotal"]))

    new_secret = CompanyIntegration.objects.get().webhook_secret
    assert new_secret != old_secret
    assert post(client, old_secret, activity(owner_ids=[])).status_code == 404
    assert post(client, new_secret, activity(owner_ids=[])).status_code == 202
