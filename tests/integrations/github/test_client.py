"""GitHubClient against faked HTTP (`responses`). Every request it makes must be one GitHub's
OpenAPI description accepts: the `github` fixture checks all of them after each test."""

import logging
from datetime import UTC, datetime

import pytest
import requests
import responses
from django.test import override_settings
from django.views.debug import SafeExceptionReporterFilter

from integrations.providers.base import AccessLost, NotFound, ProviderError, ProviderUnavailable, TokenRejected
from integrations.providers.github.client import (
    GitHubClient,
    Gone,
    RateLimited,
    ValidationFailed,
    issue_request,
    repo_issues_request,
)
from tests.support.github_openapi import assert_all_calls_valid

API = "https://api.github.com"
TOKEN = "ghp_S3cretT0kenThatMustNeverLeak0123456789"
NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
ISSUES = f"{API}/repos/octo/hello/issues"


@pytest.fixture
def github():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock
        for call in mock.calls:
            assert TOKEN not in call.request.url
        assert_all_calls_valid(mock.calls)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return GitHubClient(TOKEN, sleep=sleeps.append, clock=lambda: NOW)


def limits(remaining, reset=NOW + 3600, limit=5000, resource="core"):
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(reset)),
        "X-RateLimit-Resource": resource,
    }


# --- Requests -----------------------------------------------------------------------------------
def test_it_sends_the_token_as_a_bearer_header_with_githubs_media_type_and_version(github, client):
    github.get(f"{API}/user", json={"login": "ana", "id": 7})

    assert client.me() == {"login": "ana", "id": 7}

    headers = github.calls[0].request.headers
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert headers["User-Agent"].startswith("timedoctor-dashboard/")
    assert "If-None-Match" not in headers


def test_it_reads_its_defaults_from_settings():
    with override_settings(
        GITHUB_API_URL="https://ghe.example.com/api/v3/", GITHUB_TIMEOUT_SECONDS=4.5, GITHUB_MAX_ATTEMPTS=2
    ):
        client = GitHubClient(TOKEN)

    assert (client.base_url, client.timeout, client.max_attempts) == ("https://ghe.example.com/api/v3", 4.5, 2)


def test_it_talks_to_an_enterprise_server_under_its_api_prefix(github, sleeps):
    client = GitHubClient(TOKEN, base_url="https://GHE.example.com/api/v3/", sleep=sleeps.append)
    github.get("https://ghe.example.com/api/v3/repos/octo/hello", json={"id": 1, "full_name": "octo/hello"})

    assert client.repository("octo", "hello").data["full_name"] == "octo/hello"
    assert client.base_url == "https://ghe.example.com/api/v3"
    assert github.calls[0].request.url == "https://ghe.example.com/api/v3/repos/octo/hello"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://github.example.com",
        "api.github.com",
        "file:///etc/passwd",
        "https://user:pw@github.example.com/api/v3",
        "https://api.github.com?x=1",
    ],
)
def test_it_refuses_a_base_url_that_is_not_plain_http(url):
    with pytest.raises(ValueError, match="GitHub API URL"):
        GitHubClient(TOKEN, base_url=url)


def test_it_builds_the_issue_list_request_with_only_the_filters_given(github, client):
    github.get(ISSUES, json=[])

    client.repo_issues(
        "octo",
        "hello",
        assignee="ana",
        state="all",
        since=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        sort="updated",
        direction="asc",
        page=2,
    )

    assert github.calls[0].request.params == {
        "assignee": "ana",
        "state": "all",
        "since": "2024-05-01T10:00:00Z",
        "sort": "updated",
        "direction": "asc",
        "per_page": "100",
        "page": "2",
    }


def test_it_builds_the_other_requests_the_provider_needs(github, client):
    github.get(f"{API}/user/repos", json=[])
    github.get(f"{API}/orgs/acme/repos", json=[])
    github.get(f"{API}/repos/octo/hello", json={"id": 1})
    github.get(f"{API}/repos/octo/hello/issues/12", json={"number": 12})

    assert [page.data for page in client.user_repos(affiliation="owner,collaborator")] == [[]]
    assert [page.data for page in client.org_repos("acme", type="all")] == [[]]
    assert client.repository("octo", "hello").status == 200
    assert client.issue("octo", "hello", 12).data == {"number": 12}
    assert github.calls[0].request.params == {"affiliation": "owner,collaborator", "per_page": "100"}
    assert github.calls[1].request.params == {"type": "all", "per_page": "100"}


def test_request_builders_escape_names_and_refuse_what_is_not_an_issue_number():
    assert repo_issues_request("octo/evil", "../x").path == "/repos/octo%2Fevil/..%2Fx/issues"
    with pytest.raises(ValueError):
        issue_request("octo", "hello", "12/comments")
    with pytest.raises(ValueError):
        repo_issues_request("octo", "hello", since=datetime(2024, 5, 1))  # no time zone


# --- The token stays secret -----------------------------------------------------------------------
def test_the_token_never_appears_in_a_repr_an_error_or_a_log(github, client, caplog):
    github.get(f"{API}/user", status=502, json={"message": "Server Error"})
    github.get(f"{API}/user", status=401, json={"message": "Bad credentials"})

    with caplog.at_level(logging.DEBUG), pytest.raises(TokenRejected) as failure:
        client.me()

    assert TOKEN not in repr(client)
    assert TOKEN not in str(failure.value) and TOKEN not in repr(failure.value)
    assert TOKEN not in caplog.text and "retrying" in caplog.text
    assert failure.value.__cause__ is None


def test_error_reports_hide_the_headers_that_carry_the_token():
    class BrokenSession:
        def get(self, url, **kwargs):
            raise RuntimeError("a bug below the client")

    with pytest.raises(RuntimeError) as failure:
        GitHubClient(TOKEN, session=BrokenSession(), max_attempts=1).me()

    frames = {tb.tb_frame.f_code.co_name: tb.tb_frame for tb in _tracebacks(failure.value.__traceback__)}
    shown = dict(SafeExceptionReporterFilter().get_traceback_frame_variables(None, frames["_get_once"]))
    assert TOKEN not in repr(shown) and shown["headers"] == SafeExceptionReporterFilter.cleansed_substitute


def _tracebacks(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


@pytest.mark.parametrize("token", ["", "   ", "ghp_abc def", "ghp_abc\nX-Evil: 1", None])
def test_it_refuses_a_token_no_header_could_carry_without_echoing_it(token):
    with pytest.raises(TokenRejected) as failure:
        GitHubClient(token)

    assert "does not look like a GitHub token" in failure.value.message
    assert "abc" not in failure.value.message


def test_it_never_sends_the_token_to_another_host_a_link_points_at(github, client):
    github.get(ISSUES, json=[{"id": 1}], headers={"Link": '<https://evil.example/issues?page=2>; rel="next"'})

    pages = client.paginate(*repo_issues_request("octo", "hello"))
    assert next(pages).data == [{"id": 1}]
    with pytest.raises(ProviderError, match="the token is only sent to the configured GitHub"):
        next(pages)

    assert len(github.calls) == 1


def test_it_never_follows_a_redirect_to_another_host(github, client):
    github.get(
        f"{API}/repos/octo/hello",
        status=301,
        json={"message": "Moved Permanently"},
        headers={"Location": "https://elsewhere.example/repos/octo/hello"},
    )

    with pytest.raises(ProviderError, match="redirected to https://elsewhere.example"):
        client.repository("octo", "hello")


# --- Conditional requests ----------------------------------------------------------------------------
def test_it_returns_the_etag_and_then_not_modified_for_it(github, client):
    github.get(ISSUES, json=[{"id": 1}], headers={"ETag": 'W/"abc"'})
    github.get(ISSUES, status=304, headers={"ETag": 'W/"abc"', **limits(4999)})

    first = client.repo_issues("octo", "hello")
    second = client.repo_issues("octo", "hello", etag=first.etag)

    assert (first.etag, first.not_modified, first.data) == ('W/"abc"', False, [{"id": 1}])
    assert (second.etag, second.not_modified, second.data, second.status) == ('W/"abc"', True, None, 304)
    assert github.calls[1].request.headers["If-None-Match"] == 'W/"abc"'
    assert_all_calls_valid(github.calls, check_responses=False)


def test_a_304_to_a_request_that_was_not_conditional_is_unexpected(github, client):
    github.get(f"{API}/user", status=304)

    with pytest.raises(ProviderUnavailable, match="not conditional"):
        GitHubClient(TOKEN, max_attempts=1).me()


# --- Pagination and redirects ------------------------------------------------------------------------
def test_it_follows_link_rel_next_until_there_is_none(github, client):
    page2 = f"{API}/repositories/42/issues?per_page=100&page=2"
    page3 = f"{API}/repositories/42/issues?per_page=100&page=3"
    github.get(ISSUES, json=[{"id": 1}], headers={"Link": f'<{page2}>; rel="next", <{page3}>; rel="last"'})
    github.get(
        page2,
        json=[{"id": 2}],
        headers={"Link": f'<{ISSUES}?per_page=100&page=1>; rel="prev", <{page3}>; rel="next", <{page3}>; rel="last"'},
    )
    github.get(page3, json=[{"id": 3}], headers={"Link": f'<{page2}>; rel="prev"'})

    pages = list(client.paginate(*repo_issues_request("octo", "hello")))

    assert [page.data for page in pages] == [[{"id": 1}], [{"id": 2}], [{"id": 3}]]
    assert [page.next_url for page in pages] == [page2, page3, None]
    assert [call.request.url for call in github.calls] == [f"{ISSUES}?per_page=100", page2, page3]


def test_it_stops_a_pagination_that_loops(github, client):
    github.get(ISSUES, json=[], headers={"Link": f'<{ISSUES}?per_page=100>; rel="next"'})

    with pytest.raises(ProviderUnavailable, match="leads back"):
        list(client.paginate(*repo_issues_request("octo", "hello")))


def test_it_follows_a_transferred_issue_and_exposes_the_final_url(github, client):
    moved = f"{API}/repositories/99/issues/3"
    github.get(
        f"{ISSUES}/12",
        status=301,
        headers={"Location": moved},
        json={"message": "Moved Permanently", "url": moved, "documentation_url": "https://docs.github.com"},
    )
    github.get(moved, json={"number": 3, "repository_url": f"{API}/repos/octo/elsewhere"})

    result = client.issue("octo", "hello", 12)

    assert (result.url, result.redirected, result.data["number"]) == (moved, True, 3)
    assert github.calls[1].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert client.requests_made == 2


# --- Error mapping -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "text"),
    [
        (401, {"message": "Bad credentials"}, {}, TokenRejected, "GitHub rejected this token"),
        (
            403,
            {"message": "Resource not accessible by personal access token"},
            {},
            AccessLost,
            "Resource not accessible by personal access token",
        ),
        (
            403,
            {"message": "Resource protected by organization SAML enforcement."},
            {"X-GitHub-SSO": "required; url=https://github.com/orgs/acme/sso?authorization_request=x"},
            AccessLost,
            "single sign-on",
        ),
        (404, {"message": "Not Found"}, {}, NotFound, "no such resource"),
        (410, {"message": "Issues are disabled for this repo"}, {}, Gone, "Issues are disabled for this repo"),
        (
            422,
            {"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "since", "code": "invalid"}]},
            {},
            ValidationFailed,
            "Validation Failed (Issue.since: invalid)",
        ),
        (400, {"message": "Problems parsing JSON"}, {}, ProviderError, "HTTP 400"),
    ],
)
def test_it_maps_github_errors_to_provider_errors(github, client, status, body, headers, error, text):
    github.get(ISSUES, status=status, json=body, headers=headers)

    with pytest.raises(ProviderError) as failure:
        client.repo_issues("octo", "hello")

    assert type(failure.value) is error
    assert text in failure.value.message
    assert failure.value.status == status


def test_a_deleted_issue_is_gone_which_is_a_kind_of_not_found(github, client):
    github.get(f"{ISSUES}/5", status=410, json={"message": "This issue was deleted"})

    with pytest.raises(NotFound) as failure:
        client.issue("octo", "hello", 5)

    assert isinstance(failure.value, Gone) and failure.value.permanent


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "json": {"message": "Server Error"}},
        {"status": 503, "body": "<html>unicorn</html>"},
        {"status": 200, "body": "{not json"},
        {"body": requests.ConnectTimeout("connect timed out")},
        {"body": requests.ConnectionError("Name or service not known")},
    ],
)
def test_transient_failures_are_retried_then_raised_as_unavailable(github, client, sleeps, answer):
    for _ in range(3):
        github.get(f"{API}/user", **answer)

    with pytest.raises(ProviderUnavailable) as failure:
        client.me()

    assert type(failure.value) is ProviderUnavailable
    assert len(github.calls) == 3 and client.requests_made == 3
    assert len(sleeps) == 2 and all(0 <= delay <= 2.0 for delay in sleeps)


def test_a_transient_failure_then_success_returns_the_answer(github, client, sleeps):
    github.get(f"{API}/user", status=502, json={"message": "Bad Gateway"})
    github.get(f"{API}/user", json={"login": "ana"})

    assert client.me() == {"login": "ana"}
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 1.0


def test_one_attempt_means_no_retry(github, sleeps):
    github.get(f"{API}/user", status=500, json={"message": "Server Error"})

    with pytest.raises(ProviderUnavailable):
        GitHubClient(TOKEN, max_attempts=1, sleep=sleeps.append).me()

    assert sleeps == []


def test_permanent_errors_are_not_retried(github, client, sleeps):
    github.get(f"{API}/user", status=401, json={"message": "Bad credentials"})

    with pytest.raises(TokenRejected):
        client.me()

    assert sleeps == [] and len(github.calls) == 1


# --- Rate limits ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_rate_limit_waits_the_retry_after_it_names(github, client, sleeps, status):
    github.get(
        f"{API}/user",
        status=status,
        json={"message": "You have exceeded a secondary rate limit."},
        headers={"Retry-After": "7", **limits(4000)},
    )
    github.get(f"{API}/user", json={"login": "ana"})

    assert client.me() == {"login": "ana"}
    assert sleeps == [7.0]


def test_a_retry_after_longer_than_the_cap_is_raised_at_once(github, client, sleeps):
    github.get(
        f"{API}/user",
        status=403,
        json={"message": "You have exceeded a secondary rate limit."},
        headers={"Retry-After": "120"},
    )

    with pytest.raises(ProviderUnavailable) as failure:
        client.me()

    assert (failure.value.retry_after, failure.value.code, sleeps) == (120.0, "secondary_rate_limit", [])
    assert not isinstance(failure.value, RateLimited)


def test_a_secondary_rate_limit_without_headers_waits_a_minute_so_is_raised(github, client, sleeps):
    github.get(f"{API}/user", status=403, json={"message": "You have exceeded a secondary rate limit. Please wait."})

    with pytest.raises(ProviderUnavailable) as failure:
        client.me()

    assert failure.value.retry_after == 60.0 and sleeps == []


@pytest.mark.parametrize("status", [403, 429])
def test_a_primary_rate_limit_resetting_later_than_the_cap_is_raised_without_sleeping(github, client, sleeps, status):
    github.get(
        ISSUES,
        status=status,
        json={"message": "API rate limit exceeded for user ID 7."},
        headers=limits(0, reset=NOW + 600),
    )

    with pytest.raises(RateLimited) as failure:
        client.repo_issues("octo", "hello")

    assert failure.value.retry_after == 600.0
    assert failure.value.reset_at == datetime.fromtimestamp(NOW + 600, tz=UTC)
    assert "22:23 UTC" in failure.value.message
    assert sleeps == [] and len(github.calls) == 1
    assert (client.rate_limit_remaining, client.rate_limit_reset_at) == (0, failure.value.reset_at)


def test_a_primary_rate_limit_resetting_within_the_cap_is_waited_out(github, client, sleeps):
    github.get(ISSUES, status=403, json={"message": "API rate limit exceeded"}, headers=limits(0, reset=NOW + 5))
    github.get(ISSUES, json=[], headers=limits(4999, reset=NOW + 3605))

    assert client.repo_issues("octo", "hello").data == []
    assert sleeps == [5.0]
    assert client.rate_limit_remaining == 4999


def test_a_rate_limit_reset_in_the_past_never_gives_a_negative_wait(github):
    github.get(ISSUES, status=403, json={"message": "API rate limit exceeded"}, headers=limits(0, reset=NOW - 30))

    with pytest.raises(RateLimited) as failure:
        GitHubClient(TOKEN, max_attempts=1, clock=lambda: NOW).repo_issues("octo", "hello")

    assert failure.value.retry_after == 0.0


def test_after_a_reset_in_the_past_it_tries_again_at_once(github, client, sleeps):
    github.get(ISSUES, status=403, json={"message": "API rate limit exceeded"}, headers=limits(0, reset=NOW - 30))
    github.get(ISSUES, json=[])

    assert client.repo_issues("octo", "hello").data == []
    assert sleeps == [0.0]


def test_it_keeps_the_latest_rate_limit_state(github, client):
    github.get(f"{API}/user", json={"login": "ana"}, headers=limits(4321, reset=NOW + 1800))
    github.get(
        f"{API}/search/issues",
        json={"total_count": 0, "incomplete_results": False, "items": []},
        headers=limits(29, reset=NOW + 60, limit=30, resource="search"),
    )

    client.me()
    assert (client.rate_limit_remaining, client.rate_limit_limit) == (4321, 5000)
    client.get("/search/issues", {"q": "repo:octo/hello is:issue"})

    assert client.rate_limit_remaining == 29
    assert client.rate_limit_limit == 30 and client.rate_limit_resource == "search"
    assert client.rate_limit_reset_at == datetime.fromtimestamp(NOW + 60, tz=UTC)
    assert client.requests_made == 2
