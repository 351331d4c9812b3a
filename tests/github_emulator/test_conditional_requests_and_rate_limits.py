"""ETags and `If-None-Match` (304s are free, as on GitHub), and the primary rate limit driven
by the emulator clock."""

import hashlib
from datetime import timedelta

import pytest

from integrations.providers.github.emulator import DEMO_NOW

from .helpers import IDS, WEB

ISSUES = f"/repos/{WEB}/issues"


@pytest.fixture
def frozen(github):
    github.state.clock.set(DEMO_NOW)
    return github.state.clock


def remaining(response) -> int:
    return int(response.headers["X-RateLimit-Remaining"])


def test_every_answer_carries_the_rate_limit_a_request_id_an_etag_and_json(api):
    for response in (api.get("/user"), api.get(ISSUES), api.get(f"{ISSUES}/999"), api.get("/user", None)):
        headers = response.headers
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset"} <= set(headers)
        assert headers["X-RateLimit-Resource"] == "core"
        assert headers["X-GitHub-Request-Id"].count(":") == 4
        assert headers["ETag"] == f'W/"{hashlib.sha256(response.content).hexdigest()}"'


def test_each_request_spends_one_from_the_hourly_budget(api, frozen):
    first, second = api.get("/user"), api.get(ISSUES)

    assert first.headers["X-RateLimit-Limit"] == "5000"
    assert (remaining(first), remaining(second)) == (4999, 4998)
    assert second.headers["X-RateLimit-Used"] == "2"
    assert second.headers["X-RateLimit-Reset"] == str(int((DEMO_NOW + timedelta(hours=1)).timestamp()))


def test_it_answers_304_without_spending_rate_limit(api):
    first = api.get(ISSUES)

    again = api.get(ISSUES, headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert remaining(again) == remaining(first)
    assert remaining(api.get(ISSUES)) == remaining(first) - 1


def test_a_changed_resource_no_longer_matches_its_old_etag(github, api):
    first = api.get(f"{ISSUES}/1")
    github.state.update_issue(WEB, 1, title="Sign-up form validates email addresses")

    again = api.get(f"{ISSUES}/1", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert again.json()["title"] == "Sign-up form validates email addresses"
    assert again.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize("header", ['"{tag}"', 'W/"{tag}"', '"other", W/"{tag}"', "*"])
def test_etags_compare_weakly_and_may_come_in_a_list(api, header):
    tag = api.get("/user").headers["ETag"].removeprefix("W/").strip('"')

    assert api.get("/user", headers={"If-None-Match": header.format(tag=tag)}).status_code == 304


def test_an_exhausted_budget_answers_403_until_the_reset(api, control, frozen):
    control.post("/rate_limit", {"login": "ana", "remaining": 1})
    last = api.get("/user", "ana")

    limited = api.get("/user", "ana")

    assert (last.status_code, remaining(last)) == (200, 0)
    assert limited.status_code == 403
    assert limited.json() == {
        "message": f"API rate limit exceeded for user ID {IDS['ana']}.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        "status": "403",
    }
    assert remaining(limited) == 0
    assert api.get("/repos/acme-corp/web-app", "ana").status_code == 403
    assert api.get("/user", "ben").status_code == 200  # budgets are per user

    frozen.set(DEMO_NOW + timedelta(hours=1))
    after_reset = api.get("/user", "ana")
    assert (after_reset.status_code, remaining(after_reset)) == (200, 4999)


def test_a_lower_limit_runs_out_after_that_many_requests(api, control):
    control.post("/rate_limit", {"limit": 3})

    statuses = [api.get("/user", "maya").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 403]


def test_the_reset_follows_the_emulator_clock(github, api, control, frozen):
    control.post("/rate_limit", {"login": "ben", "remaining": 0, "reset_in": 90})

    limited = api.get("/user", "ben")
    frozen.advance(89)
    still = api.get("/user", "ben")
    frozen.advance(1)

    assert limited.headers["X-RateLimit-Reset"] == str(int((DEMO_NOW + timedelta(seconds=90)).timestamp()))
    assert still.status_code == 403
    assert api.get("/user", "ben").status_code == 200


def test_rate_limit_reports_the_budget_without_spending_it(api, frozen):
    api.get("/user", "chloe")

    body = api.get("/rate_limit", "chloe").json()
    again = api.get("/rate_limit", "chloe")

    assert body["rate"] == body["resources"]["core"]
    assert (body["rate"]["limit"], body["rate"]["used"], body["rate"]["remaining"]) == (5000, 1, 4999)
    assert remaining(again) == 4999


def test_rate_limit_still_answers_when_the_budget_is_spent(api, control):
    control.post("/rate_limit", {"login": "ana", "remaining": 0})

    assert api.get("/rate_limit", "ana").json()["rate"]["remaining"] == 0


def test_requests_without_a_valid_token_show_the_anonymous_budget_and_spend_nothing(api):
    response = api.get("/user", None)

    assert response.status_code == 401
    assert response.headers["X-RateLimit-Limit"] == "60"
    assert api.get("/user", None).headers["X-RateLimit-Remaining"] == "60"
