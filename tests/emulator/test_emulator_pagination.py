"""Paging GET /projects/{id}/stories: headers, envelope, limits (default 100, max 500)."""

from .helpers import PROJECTS

STORIES = f"/projects/{PROJECTS['web']}/stories"


def pagination_headers(response) -> tuple[int, int, int, int]:
    return tuple(
        int(response.headers[f"X-Tracker-Pagination-{name}"]) for name in ("Total", "Limit", "Offset", "Returned")
    )


def test_it_pages_by_100_by_default(large_tracker):
    response = large_tracker.get(STORIES, as_="olivia")

    assert pagination_headers(response) == (2000, 100, 0, 100)
    assert len(response.json()) == 100


def test_it_walks_all_pages_with_limit_500_without_gaps_or_repeats(large_tracker):
    ids, offset, pages = [], 0, []
    while True:
        response = large_tracker.get(STORIES, as_="olivia", limit=500, offset=offset)
        total, limit, got_offset, returned = pagination_headers(response)
        pages.append((got_offset, returned))
        ids += [story["id"] for story in response.json()]
        if offset + limit >= total:
            break
        offset += limit

    assert pages == [(0, 500), (500, 500), (1000, 500), (1500, 500)]
    assert len(ids) == len(set(ids)) == 2000


def test_it_keeps_a_stable_order_between_calls(large_tracker):
    first = [s["id"] for s in large_tracker.get(STORIES, as_="olivia", limit=500).json()]
    again = [s["id"] for s in large_tracker.get(STORIES, as_="olivia", limit=500).json()]

    assert first == again


def test_it_rejects_a_limit_over_500(large_tracker):
    response = large_tracker.get(STORIES, as_="olivia", limit=501)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert body["kind"] == "error"
    assert body["validation_errors"][0]["field"] == "limit"


def test_it_rejects_limits_and_offsets_that_are_not_numbers(tracker):
    for params in ({"limit": "ten"}, {"offset": "-1"}, {"limit": "-5"}):
        response = tracker.get(STORIES, **params)
        assert (params, response.status_code, response.json()["code"]) == (params, 400, "invalid_parameter")


def test_limit_zero_only_reports_the_total(tracker):
    response = tracker.get(STORIES, limit=0)

    assert response.json() == []
    assert pagination_headers(response) == (24, 0, 0, 0)


def test_an_offset_past_the_end_returns_an_empty_page(tracker):
    response = tracker.get(STORIES, offset=1000)

    assert response.json() == []
    assert pagination_headers(response) == (24, 100, 1000, 0)


def test_envelope_wraps_the_page_with_its_pagination(large_tracker):
    response = large_tracker.get(STORIES, as_="olivia", envelope="true", limit=500, offset=1900)
    body = response.json()

    assert set(body) == {"data", "pagination"}
    assert body["pagination"] == {"total": 2000, "limit": 500, "offset": 1900, "returned": 100}
    assert len(body["data"]) == 100


def test_activity_is_paginated_too(tracker):
    response = tracker.get(f"/projects/{PROJECTS['web']}/activity", limit=5, offset=5)

    assert pagination_headers(response) == (24, 5, 5, 5)
    assert tracker.get(f"/projects/{PROJECTS['web']}/activity", limit=501).status_code == 400
