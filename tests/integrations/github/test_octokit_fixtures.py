"""GitHub's own recorded answers (npm `@octokit/fixtures`), replayed to GitHubClient through
`responses`: what GitHub really sends must parse. The same recordings also prove the OpenAPI
helper, since GitHub's answers must satisfy GitHub's description.

The recordings are from 2017–2022; the description is newer. Fields GitHub has since added and
marked required are missing from them, so those (and only those) are named in `missing_ok`."""

from datetime import UTC, datetime

import pytest
import responses

from integrations.providers.base import NotFound, ProviderError
from integrations.providers.github.client import GitHubClient, ValidationFailed, repo_issues_request
from tests.support.github_openapi import assert_all_calls_valid, validate_request, validate_response

from . import recordings

API = recordings.RECORDED_ORIGIN
TOKEN = "ghp_0000000000000000000000000000000000000001"
ADDED_SINCE_RECORDED = {
    "get-repository": {"has_discussions"},  # repository "has_discussions", added in 2022
    "rename-repository": {"has_discussions"},
    "get-organization": {"archived_at"},  # organization "archived_at", added in 2023
    "search-issues": {"search_type"},  # search results "search_type", added in 2025
}


@pytest.fixture
def github():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock
        assert_all_calls_valid(mock.calls)


def client_for(base_url=API, **kwargs):
    return GitHubClient(TOKEN, base_url=base_url, sleep=lambda seconds: None, **kwargs)


# --- The paginated issue list, across its Link headers --------------------------------------------
@pytest.mark.parametrize("base_url", [API, "https://ghe.example.com/api/v3"])
def test_it_reads_every_page_and_every_issue_of_the_recorded_list_in_order(github, base_url):
    recorded = recordings.load("paginate-issues")
    recordings.replay(github, recorded, base_url=base_url)

    pages = list(
        client_for(base_url).paginate(*repo_issues_request("octokit-fixture-org", "paginate-issues", per_page=3))
    )

    assert len(pages) == len(recorded) == 5
    assert [[issue["number"] for issue in page.data] for page in pages] == [
        [issue["number"] for issue in interaction["response"]] for interaction in recorded
    ]
    assert [issue["number"] for page in pages for issue in page.data] == list(range(13, 0, -1))
    assert [page.next_url for page in pages] == [
        f"{base_url}/repositories/1000/issues?per_page=3&page={number}" for number in (2, 3, 4, 5)
    ] + [None]
    assert [call.request.url for call in github.calls] == [
        f"{base_url}/repos/octokit-fixture-org/paginate-issues/issues?per_page=3",
        *(f"{base_url}/repositories/1000/issues?per_page=3&page={number}" for number in (2, 3, 4, 5)),
    ]
    assert all(page.etag == '"00000000000000000000000000000000"' for page in pages)


def test_it_reads_the_rate_limit_headers_github_really_sent_with_the_list(github):
    """The raw recording keeps the real values (the normalised one rewrites them)."""
    recorded = recordings.load("paginate-issues", raw=True)
    recordings.replay(github, recorded)
    client = client_for()

    pages = client.paginate(*repo_issues_request("octokit-fixture-org", recorded[0]["path"].split("/")[3], per_page=3))
    remaining = [client.rate_limit_remaining for _page in pages]

    assert remaining == [4922, 4921, 4920, 4919, 4918]
    assert client.rate_limit_limit == 5000 and client.rate_limit_resource == "core"
    assert client.rate_limit_reset_at == datetime.fromtimestamp(1658208999, tz=UTC)
    assert client.requests_made == 5


def test_it_reads_the_search_rate_limit_github_really_sent(github):
    recorded = recordings.load("search-issues", raw=True)
    recordings.replay(github, recorded)
    client = client_for()

    query = recorded[0]["path"].split("q=", 1)[1]
    result = client.get(f"/search/issues?q={query}")

    assert result.data["total_count"] == 2
    assert (client.rate_limit_remaining, client.rate_limit_limit, client.rate_limit_resource) == (29, 30, "search")
    assert client.rate_limit_reset_at == datetime(2022, 7, 19, 4, 42, 7, tzinfo=UTC)


def test_a_reset_it_cannot_read_leaves_the_reset_unknown(github):
    """The normalised recordings write X-RateLimit-Reset in milliseconds, which is no epoch second."""
    recorded = recordings.load("get-repository")
    assert recorded[0]["headers"]["x-ratelimit-reset"] == "1507651200000"
    recordings.replay(github, recorded)
    client = client_for()

    repository = client.repository("octokit-fixture-org", "hello-world").data

    assert repository["full_name"] == "octokit-fixture-org/hello-world"
    assert (client.rate_limit_remaining, client.rate_limit_reset_at) == (4999, None)


# --- Redirects and errors -----------------------------------------------------------------------------
def test_it_follows_the_recorded_redirect_of_a_renamed_repository(github):
    recorded = [r for r in recordings.load("rename-repository") if r["method"] == "GET"]
    assert [r["status"] for r in recorded] == [301, 200]
    recordings.replay(github, recorded)

    result = client_for().repository("octokit-fixture-org", "rename-repository")

    assert result.redirected and result.url == f"{API}/repositories/1000"
    assert result.data["name"] == "rename-repository-newname"


def test_a_recorded_404_is_not_found(github):
    recorded = [r for r in recordings.load("branch-protection") if r["status"] == 404]
    recordings.replay(github, recorded)

    with pytest.raises(NotFound) as failure:
        client_for().get(recorded[0]["path"])

    assert failure.value.status == 404


def test_a_recorded_validation_error_keeps_githubs_message():
    """The recording is a POST (the client only GETs): the same answer is served to a GET."""
    recorded = recordings.load("errors")
    assert (recorded[0]["method"], recorded[0]["status"]) == ("POST", 422)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as github:
        recordings.replay(github, recorded, method="GET")

        with pytest.raises(ProviderError) as failure:
            client_for().get(recorded[0]["path"])

    assert isinstance(failure.value, ValidationFailed)
    assert failure.value.message == "GitHub refused the request: Validation Failed (Label.color: invalid)"


# --- The recordings satisfy GitHub's description ---------------------------------------------------------
RECORDED_GETS = [
    "paginate-issues",
    "get-repository",
    "get-organization",
    "get-root",
    "search-issues",
    "labels",
    "rename-repository",
    "branch-protection",
]


@pytest.mark.parametrize("scenario", RECORDED_GETS)
def test_githubs_recorded_answers_to_gets_validate_against_its_description(scenario):
    gets = [recorded for recorded in recordings.load(scenario) if recorded["method"] == "GET"]
    assert gets
    for recorded in gets:
        url = f"{API}{recorded['path']}"
        validate_request("GET", url)
        validate_response(
            "GET",
            url,
            recorded["status"],
            recorded["headers"],
            recorded["response"],
            missing_ok=ADDED_SINCE_RECORDED.get(scenario, ()),
        )


def test_githubs_recorded_validation_error_validates_against_its_description():
    recorded = recordings.load("errors")[0]
    url = f"{API}{recorded['path']}"

    operation = validate_response("POST", url, 422, recorded["headers"], recorded["response"])

    assert operation.operation_id == "issues/create-label"


def test_the_description_still_rejects_a_recording_with_a_broken_field():
    recorded = recordings.load("search-issues")[0]
    broken = {**recorded["response"], "items": [{**recorded["response"]["items"][0], "state": None}]}

    with pytest.raises(AssertionError, match=r"\$\.items\[0\]\.state: None is not of type 'string'"):
        validate_response(
            "GET",
            f"{API}{recorded['path']}",
            200,
            recorded["headers"],
            broken,
            missing_ok=ADDED_SINCE_RECORDED["search-issues"],
        )
