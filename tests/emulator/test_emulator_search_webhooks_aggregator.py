"""Search, webhooks (stored only) and the aggregator."""

from .helpers import IDS, PROJECTS

WEB = PROJECTS["web"]


def test_search_returns_tracker_shaped_results_with_totals(tracker):
    body = tracker.get(f"/projects/{WEB}/search", query="owner:ana").json()

    assert set(body) == {"stories", "epics", "query"}
    assert body["query"] == "owner:ana"
    assert body["epics"] == {"epics": [], "total_hits": 0}
    results = body["stories"]
    assert results["total_hits"] == 6
    assert results["total_hits_with_done"] == 9
    assert results["total_points"] == sum(s.get("estimate", 0) for s in results["stories"]) == 16
    assert results["total_points_completed"] == 0
    assert {s["kind"] for s in results["stories"]} == {"story"}


def test_search_with_includedone_counts_completed_points(tracker):
    results = tracker.get(f"/projects/{WEB}/search", query="owner:ana state:accepted includedone:true").json()

    assert results["stories"]["total_hits"] == 3
    assert results["stories"]["total_points_completed"] == 2


def test_search_matches_free_text_in_names_and_descriptions(tracker):
    results = tracker.get(f"/projects/{WEB}/search", query="sidebar").json()["stories"]
    by_description = tracker.get(f"/projects/{WEB}/search", query='"Profile the project list"').json()["stories"]

    assert [s["name"] for s in results["stories"]] == ["Tooltip overlaps the sidebar on narrow screens"]
    assert by_description["total_hits_with_done"] == 1


def test_search_without_a_query_is_an_invalid_parameter(tracker):
    response = tracker.get(f"/projects/{WEB}/search")

    assert response.status_code == 400
    assert response.json()["validation_errors"] == [{"field": "query", "problem": "is required"}]


def test_an_owner_can_create_list_update_and_delete_webhooks(tracker):
    created = tracker.send("POST", f"/projects/{WEB}/webhooks", json={"webhook_url": "https://hooks.example/p?key=1"})

    webhook = created.json()
    assert created.status_code == 200
    assert (webhook["kind"], webhook["project_id"], webhook["webhook_version"]) == ("webhook", WEB, "v5")
    assert tracker.get(f"/projects/{WEB}/webhooks", as_="olivia").json() == [webhook]

    updated = tracker.send(
        "PUT", f"/projects/{WEB}/webhooks/{webhook['id']}", json={"webhook_url": "https://new.example/"}
    )
    assert updated.json()["webhook_url"] == "https://new.example/"

    deleted = tracker.send("DELETE", f"/projects/{WEB}/webhooks/{webhook['id']}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert tracker.get(f"/projects/{WEB}/webhooks/{webhook['id']}", as_="olivia").json()["code"] == "unfound_resource"


def test_members_who_are_not_owners_cannot_manage_webhooks(tracker):
    response = tracker.send("POST", f"/projects/{WEB}/webhooks", as_="ana", json={"webhook_url": "https://x.example"})

    assert response.status_code == 403
    assert response.json()["code"] == "unauthorized_operation"
    assert tracker.get(f"/projects/{WEB}/webhooks", as_="olivia").json() == []


def test_a_webhook_needs_an_http_url_and_version_v5(tracker):
    for body in ({}, {"webhook_url": "ftp://x.example"}, {"webhook_url": "https://x.example", "webhook_version": "v3"}):
        response = tracker.send("POST", f"/projects/{WEB}/webhooks", json=body)
        assert (body, response.status_code, response.json()["code"]) == (body, 400, "invalid_parameter")


def test_the_aggregator_answers_several_paths_in_one_call(tracker):
    story_id = tracker.get(f"/projects/{WEB}/stories", limit=1).json()[0]["id"]
    paths = [
        "/services/v5/me",
        f"/services/v5/stories/{story_id}",
        "/services/v5/stories/42",
        f"/services/v5/projects/{PROJECTS['mobile']}",
    ]

    body = tracker.send("POST", "/aggregator", as_="ana", json=paths).json()

    assert list(body) == paths
    assert body[paths[0]]["id"] == IDS["ana"]
    assert body[paths[1]]["id"] == story_id
    assert body[paths[2]]["code"] == "unfound_resource"
    assert body[paths[3]]["code"] == "unauthorized_operation"


def test_the_aggregator_needs_a_list_of_paths(tracker):
    assert tracker.send("POST", "/aggregator", json={"paths": []}).status_code == 400


def test_stale_commands_report_the_version_and_what_changed(tracker, control):
    version = int(tracker.get(f"/projects/{WEB}").headers["X-Tracker-Project-Version"])
    story_id = tracker.get(f"/projects/{WEB}/stories", limit=1).json()[0]["id"]
    control.delete(f"/stories/{story_id}")

    body = tracker.get(f"/project_stale_commands/{WEB}/{version}").json()

    assert body == {
        "project_version": version + 1,
        "stale_commands": [{"kind": "story_delete_activity", "project_version": version + 1, "story_ids": [story_id]}],
    }
