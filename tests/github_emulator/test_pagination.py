"""Page numbers and GitHub's `Link` header: rel prev/next/last/first, absolute URLs that keep
the query, 30 a page by default and at most 100."""

import pytest

from integrations.providers.github.emulator import GitHubEmulatorServer, build_large_state
from tests.support.github_openapi import validate_request

from .helpers import GitHubClient, links, numbers

ISSUES = "/repos/acme-corp/web-app/issues"
ISSUE_COUNT = 250  # per repository; every tenth is a pull request, all listed


@pytest.fixture(scope="module")
def large():
    """Read-only: 250 issues and pull requests in each demo repository."""
    with GitHubEmulatorServer(build_large_state(repos=3, issues_per_repo=ISSUE_COUNT)) as server:
        yield GitHubClient(server)


def test_thirty_a_page_by_default_with_next_and_last_links(large):
    response = large.get(ISSUES, state="all")

    assert len(response.json()) == 30
    assert list(links(response)) == ["next", "last"]
    assert links(response)["last"].endswith("page=9")


def test_per_page_is_capped_at_100(large):
    assert len(large.get(ISSUES, state="all", per_page=500).json()) == 100


def test_a_middle_page_links_prev_next_last_and_first_in_githubs_order(large):
    response = large.get(ISSUES, state="all", per_page=50, page=3)

    header = response.headers["Link"]
    base = f"{large.server.base_url}{ISSUES}?state=all&per_page=50"
    assert header == (
        f'<{base}&page=2>; rel="prev", <{base}&page=4>; rel="next", '
        f'<{base}&page=5>; rel="last", <{base}&page=1>; rel="first"'
    )


def test_the_last_page_links_only_prev_and_first(large):
    response = large.get(ISSUES, state="all", per_page=100, page=3)

    assert len(response.json()) == 50
    assert list(links(response)) == ["prev", "first"]


def test_links_are_absolute_keep_every_parameter_and_are_valid_github_requests(large):
    response = large.get(ISSUES, state="all", labels="login", sort="updated", direction="asc", per_page=5)

    for url in links(response).values():
        assert url.startswith(large.server.base_url + ISSUES + "?")
        assert "labels=login" in url and "sort=updated" in url and "direction=asc" in url and "per_page=5" in url
        validate_request("GET", url)


def test_following_next_links_visits_every_issue_exactly_once(large):
    seen, url = [], large.base_url + ISSUES + "?state=all&per_page=100&sort=updated&direction=asc"
    while url:
        response = large.get(url)
        seen += numbers(response)
        url = links(response).get("next")

    assert sorted(seen) == list(range(1, ISSUE_COUNT + 1))


def test_a_list_that_fits_one_page_has_no_link_header(api):
    response = api.get(ISSUES)

    assert "Link" not in response.headers


def test_a_page_past_the_end_is_empty_and_links_back(large):
    response = large.get(ISSUES, state="all", page=99)

    assert response.json() == []
    assert links(response)["first"].endswith("page=1")


def test_a_page_or_per_page_github_cannot_read_is_ignored(large):
    unreadable = large.get(ISSUES, state="all", page="zero", per_page="lots")
    assert numbers(unreadable) == numbers(large.get(ISSUES, state="all"))


def test_enterprise_links_stay_under_api_v3(large):
    enterprise = GitHubClient(large.server, large.server.enterprise_base_url)

    assert links(enterprise.get(ISSUES, state="all"))["next"].startswith(f"{large.server.enterprise_base_url}{ISSUES}?")


def test_repository_and_org_lists_paginate_too(large):
    response = large.get("/user/repos", per_page=2)

    assert len(response.json()) == 2
    assert links(response)["next"].endswith("per_page=2&page=2")
    assert len(large.get("/user/repos", per_page=2, page=2).json()) == 1
    assert list(links(large.get("/orgs/acme-corp/repos", per_page=1))) == ["next", "last"]
