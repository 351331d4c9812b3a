import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tracking.models import TimeEntry

from .api_helpers import api_client, item, make_task

pytestmark = pytest.mark.django_db
BATCH = reverse("api:upload")


def upload(client, *items):
    return client.post(BATCH, {"entries": list(items)}, format="json")


def statuses(response):
    return [(result["status"], result.get("code", "")) for result in response.json()["results"]]


def test_a_batch_creates_each_entry_and_replaying_it_three_times_creates_nothing_more(member):
    task = make_task(member)
    client = api_client(member)
    batch = [item(start_minutes_ago=300, task=task), item(start_minutes_ago=200), item(start_minutes_ago=100)]

    first = upload(client, *batch)
    replays = [upload(client, *batch) for _ in range(3)]

    assert statuses(first) == [("created", "")] * 3 and first.json()["created"] == 3
    for replay in replays:
        assert replay.status_code == 200 and statuses(replay) == [("exists", "")] * 3
    assert TimeEntry.objects.filter(membership=member).count() == 3
    assert TimeEntry.objects.get(task=task).source == "desktop"


def test_the_same_client_id_with_different_content_is_a_conflict(member):
    client = api_client(member)
    original = item(start_minutes_ago=300, note="first")
    upload(client, original)

    response = upload(client, {**original, "note": "changed offline"})

    assert statuses(response) == [("conflict", "client_id_conflict")]
    assert TimeEntry.objects.get().note == "first"


def test_an_overlapping_entry_is_rejected_and_nothing_is_written_for_it(member):
    client = api_client(member)
    upload(client, item(start_minutes_ago=300, minutes=60))

    response = upload(client, item(start_minutes_ago=280, minutes=60), item(start_minutes_ago=100, minutes=10))

    assert statuses(response) == [("rejected", "overlap"), ("created", "")]
    assert TimeEntry.objects.count() == 2


def test_entries_overlapping_each_other_in_one_batch_keep_the_first(member):
    response = upload(
        api_client(member), item(start_minutes_ago=300, minutes=60), item(start_minutes_ago=290, minutes=5)
    )

    assert statuses(response) == [("created", ""), ("rejected", "overlap")]


def test_a_running_timer_counts_as_busy_until_now(member):
    client = api_client(member)
    client.post(reverse("api:timer-start"), {}, format="json")

    response = upload(
        client, item(start_minutes_ago=1, minutes=0) | {"ended_at": (timezone.now() + timedelta(minutes=1)).isoformat()}
    )

    assert statuses(response) == [("rejected", "overlap")]


def test_time_on_a_task_that_closed_while_offline_is_accepted(member):
    task = make_task(member, active=False, is_open=False, state="accepted")

    response = upload(api_client(member), item(task=task))

    assert statuses(response) == [("created", "")]


def test_another_companys_task_is_rejected_without_a_hint_that_it_exists(member, outsider):
    foreign = make_task(outsider)
    made_up = item()
    made_up["task"] = str(uuid.uuid4())

    response = upload(api_client(member), item(task=foreign), made_up)

    assert statuses(response) == [("rejected", "unknown_task")] * 2
    assert response.json()["results"][0]["message"] == response.json()["results"][1]["message"]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"minutes": -10}, "end_before_start"),
        ({"minutes": 0}, "end_before_start"),
        ({"minutes": 24 * 60 + 1, "start_minutes_ago": 25 * 60}, "too_long"),
        ({"start_minutes_ago": 5, "minutes": 11}, "in_future"),
    ],
)
def test_each_rule_has_its_own_code_and_message(member, changes, code):
    response = upload(api_client(member), item(**changes))

    result = response.json()["results"][0]
    assert (result["status"], result["code"]) == ("rejected", code) and result["message"]
    assert not TimeEntry.objects.exists()


def test_exactly_24_hours_and_ending_4_minutes_ahead_are_accepted(member):
    response = upload(
        api_client(member), item(start_minutes_ago=30 * 60, minutes=24 * 60), item(start_minutes_ago=5, minutes=9)
    )

    assert statuses(response) == [("created", "")] * 2


def test_an_item_with_bad_fields_is_rejected_alone(member):
    response = upload(api_client(member), {"client_id": "not-a-uuid", "started_at": "yesterday"}, item())

    first, second = response.json()["results"]
    assert (first["status"], first["code"]) == ("rejected", "invalid")
    assert set(first["fields"]) == {"client_id", "started_at", "ended_at"}
    assert second["status"] == "created"


def test_an_oversize_batch_is_a_400_and_creates_nothing(member):
    response = upload(api_client(member), *[item(start_minutes_ago=10_000 - n * 5, minutes=1) for n in range(1001)])

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and "entries" in response.json()["error"]["fields"]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("body", ["{not json", '{"entries": "nope"}', "[]", '{"entries": []}'])
def test_malformed_bodies_are_a_400_with_a_machine_readable_body(member, body):
    response = api_client(member).post(BATCH, body, content_type="application/json")

    assert response.status_code == 400 and response.json()["error"]["code"] in ("malformed_json", "invalid")


def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(member):
    task = make_task(member)
    client = api_client(member)
    client.get(reverse("api:me"))  # the token's first use records its last-used time once

    def queries_for(count, offset):
        batch = [item(start_minutes_ago=offset + n * 3, minutes=2, task=task) for n in range(count)]
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert upload(client, *batch).json()["created"] == count
        return len(captured.captured_queries)

    assert queries_for(10, 10_000) == queries_for(500, 20_000)


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_twice_at_once_makes_exactly_one_row_per_client_id(member):
    batch = [item(start_minutes_ago=600 - n * 10, minutes=5) for n in range(50)]
    clients = [api_client(member), api_client(member)]
    responses = []

    def send(client):
        responses.append(upload(client, *batch))
        connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(response.status_code for response in responses) == [200, 200]
    assert TimeEntry.objects.filter(membership=member).count() == 50
    assert sorted(response.json()["created"] for response in responses) == [0, 50]


def test_my_entries_in_a_range(member, manager):
    client = api_client(member)
    upload(client, item(start_minutes_ago=300), item(start_minutes_ago=30, minutes=10))
    upload(api_client(manager), item(start_minutes_ago=300))
    now = timezone.now()

    response = client.get(
        reverse("api:entries"), {"start": (now - timedelta(hours=1)).isoformat(), "end": now.isoformat()}
    )

    assert response.status_code == 200 and len(response.json()) == 1
    assert response.json()[0]["duration_seconds"] == 600


def test_an_inverted_range_is_a_400(member):
    now = timezone.now()

    response = api_client(member).get(
        reverse("api:entries"), {"start": now.isoformat(), "end": (now - timedelta(hours=1)).isoformat()}
    )

    assert response.status_code == 400 and "end" in response.json()["error"]["fields"]


def test_editing_and_deleting_need_the_company_to_allow_it(member, company):
    client = api_client(member)
    entry_id = upload(client, item(start_minutes_ago=300)).json()["results"][0]["id"]
    url = reverse("api:entry", args=[entry_id])

    refused = client.patch(url, {"note": "fixed"}, format="json")
    company.allow_manual_time = True
    company.save()
    changed = client.patch(url, {"note": "fixed"}, format="json")
    deleted = client.delete(url)

    assert refused.status_code == 403 and refused.json()["error"]["code"] == "manual_time_not_allowed"
    assert changed.status_code == 200 and changed.json()["note"] == "fixed"
    assert deleted.status_code == 204 and not TimeEntry.objects.live().exists()  # a soft delete


def test_an_edit_is_checked_by_the_same_rules(member, company):
    company.allow_manual_time = True
    company.save()
    client = api_client(member)
    first, second = (
        result["id"]
        for result in upload(
            client, item(start_minutes_ago=300, minutes=30), item(start_minutes_ago=200, minutes=30)
        ).json()["results"]
    )

    response = client.patch(
        reverse("api:entry", args=[second]),
        {"started_at": (timezone.now() - timedelta(minutes=290)).isoformat()},
        format="json",
    )

    assert response.status_code == 409 and response.json()["error"]["code"] == "overlap"


def test_nobody_edits_someone_elses_entry(member, manager, company):
    company.allow_manual_time = True
    company.save()
    entry_id = upload(api_client(manager), item()).json()["results"][0]["id"]

    response = api_client(member).delete(reverse("api:entry", args=[entry_id]))

    assert response.status_code == 404 and TimeEntry.objects.count() == 1


def test_changing_the_times_of_an_entry_makes_it_manual_time(member, company):
    company.allow_manual_time = True
    company.save()
    client = api_client(member)
    entry_id = upload(client, item(start_minutes_ago=300, minutes=30)).json()["results"][0]["id"]

    noted = client.patch(reverse("api:entry", args=[entry_id]), {"note": "just a note"}, format="json")
    stretched = client.patch(
        reverse("api:entry", args=[entry_id]),
        {"ended_at": (timezone.now() - timedelta(minutes=200)).isoformat()},
        format="json",
    )

    assert noted.json()["source"] == "desktop"  # a note alone is not an edit of the time
    assert stretched.status_code == 200 and stretched.json()["source"] == "manual"


def test_a_running_timer_takes_a_note_but_not_new_times(member, company):
    company.allow_manual_time = True
    company.save()
    client = api_client(member)
    running = client.post(reverse("api:timer-start"), {}, format="json").json()["id"]
    url = reverse("api:entry", args=[running])

    noted = client.patch(url, {"note": "pairing with Ben"}, format="json")
    moved = client.patch(url, {"started_at": (timezone.now() - timedelta(hours=23)).isoformat()}, format="json")

    assert noted.status_code == 200 and noted.json()["ended_at"] is None and noted.json()["note"] == "pairing with Ben"
    assert moved.status_code == 409 and moved.json()["error"]["code"] == "timer_running"
    assert TimeEntry.objects.get().ended_at is None
