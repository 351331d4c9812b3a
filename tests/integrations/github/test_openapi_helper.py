"""The OpenAPI helper itself: it must reject what GitHub would not send or accept, and accept what
GitHub really sent (recorded by @octokit/fixtures)."""

import copy
import json

import pytest
import requests
import responses

from tests.support import github_openapi
from tests.support.github_openapi import (
    Description,
    assert_all_calls_valid,
    operation_for,
    validate_request,
    validate_response,
)

from . import recordings

API = "https://api.github.com"
ISSUES_URL = f"{API}/repos/octokit-fixture-org/paginate-issues/issues?per_page=3"


@pytest.fixture(scope="module")
def first_issue_page():
    return recordings.load("paginate-issues")[0]


def test_it_finds_the_operation_of_a_concrete_url():
    operation = operation_for("GET", f"{API}/repos/octo/hello/issues/42")

    assert operation.template == "/repos/{owner}/{repo}/issues/{issue_number}"
    assert operation.operation_id == "issues/get"


def test_it_prefers_a_literal_segment_to_a_parameter():
    assert (
        operation_for("GET", f"{API}/repos/octo/hello/issues/comments").template
        == "/repos/{owner}/{repo}/issues/comments"
    )


def test_it_strips_the_enterprise_prefix_and_a_given_base():
    assert operation_for("GET", "https://ghe.example.com/api/v3/user").template == "/user"
    assert operation_for("GET", "http://testserver/github/user", base="http://testserver/github").template == "/user"


def test_it_reads_repository_id_urls_as_the_repos_operation():
    operation = operation_for("GET", f"{API}/repositories/1000/issues?per_page=3&page=2")

    assert operation.operation_id == "issues/list-for-repo"


def test_it_accepts_a_request_with_declared_valid_parameters():
    validate_request(
        "GET",
        f"{API}/repos/o/r/issues?state=all&sort=updated&direction=asc"
        "&since=2024-05-01T10:00:00Z&per_page=100&page=2&assignee=ana",
    )


def test_it_rejects_an_undeclared_query_parameter():
    with pytest.raises(AssertionError) as failure:
        validate_request("GET", f"{API}/repos/o/r/issues?per_page=100&assigned_to=ana")

    assert "GET /repos/{owner}/{repo}/issues (issues/list-for-repo)" in str(failure.value)
    assert "$.query.assigned_to: undeclared query parameter 'assigned_to'" in str(failure.value)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("per_page=101", "$.query.per_page: 101 is greater than the maximum of 100"),
        ("per_page=many", "$.query.per_page: 'many' is not of type 'integer'"),
        ("state=done", "$.query.state: 'done' is not one of ['open', 'closed', 'all']"),
        ("since=yesterday", "$.query.since: 'yesterday' is not a 'date-time'"),
        ("page=1&page=2", "$.query.page: given 2 times"),
    ],
)
def test_it_rejects_an_invalid_query_value(query, problem):
    with pytest.raises(AssertionError, match="issues/list-for-repo") as failure:
        validate_request("GET", f"{API}/repos/o/r/issues?{query}")

    assert problem in str(failure.value)


def test_it_rejects_a_request_without_a_required_parameter():
    with pytest.raises(AssertionError, match=r"\$\.query\.q: required query parameter 'q' is missing"):
        validate_request("GET", f"{API}/search/issues?per_page=10")


def test_it_rejects_a_path_parameter_of_the_wrong_type():
    with pytest.raises(AssertionError, match=r"\$\.path\.issue_number: 'first' is not of type 'integer'"):
        validate_request("GET", f"{API}/repos/o/r/issues/first")


def test_it_lets_a_trailing_file_path_or_ref_hold_slashes():
    assert operation_for("GET", f"{API}/repos/o/r/contents/docs/a%20b.md").operation_id == "repos/get-content"
    assert operation_for("PATCH", f"{API}/repos/o/r/git/refs/heads/main").operation_id == "git/update-ref"


def test_it_rejects_an_unknown_path_or_method():
    with pytest.raises(AssertionError, match="no path of GitHub's REST API"):
        validate_request("GET", f"{API}/repos/o/r/stories")
    with pytest.raises(AssertionError, match="GitHub has no DELETE here, only GET, PATCH"):
        validate_request("DELETE", f"{API}/user")


def test_it_accepts_a_recorded_real_response(first_issue_page):
    operation = validate_response("GET", ISSUES_URL, 200, first_issue_page["headers"], first_issue_page["response"])

    assert operation.operation_id == "issues/list-for-repo"


def test_it_accepts_a_real_list_without_a_link_header():
    """Link is declared for lists, but GitHub leaves it out when everything fits on one page."""
    labels = recordings.load("labels")[0]
    assert "link" not in labels["headers"]

    validate_response("GET", f"{API}{labels['path']}", 200, labels["headers"], labels["response"])


def test_it_rejects_a_field_of_the_wrong_type(first_issue_page):
    issues = copy.deepcopy(first_issue_page["response"])
    issues[1]["number"] = str(issues[1]["number"])

    with pytest.raises(AssertionError) as failure:
        validate_response("GET", ISSUES_URL, 200, first_issue_page["headers"], issues)

    message = str(failure.value)
    assert "GET /repos/{owner}/{repo}/issues (issues/list-for-repo) response 200" in message
    assert f"$[1].number: '{issues[1]['number']}' is not of type 'integer'" in message


def test_it_rejects_a_missing_required_field(first_issue_page):
    issues = copy.deepcopy(first_issue_page["response"])
    del issues[0]["title"]

    with pytest.raises(AssertionError, match=r"\$\[0\]: 'title' is a required property"):
        validate_response("GET", ISSUES_URL, 200, first_issue_page["headers"], issues)


def test_it_names_the_deep_json_path_of_a_problem(first_issue_page):
    issues = copy.deepcopy(first_issue_page["response"])
    issues[2]["labels"] = [{"name": 7}]

    with pytest.raises(AssertionError, match=r"\$\[2\]\.labels\[0\]"):
        validate_response("GET", ISSUES_URL, 200, first_issue_page["headers"], issues)


def test_it_accepts_null_for_a_nullable_enum(first_issue_page):
    """`state_reason` is `nullable` with an enum that lacks null; GitHub sends null for open issues."""
    assert first_issue_page["response"][0]["state_reason"] is None

    validate_response("GET", ISSUES_URL, 200, {}, first_issue_page["response"])


def test_it_rejects_an_undeclared_status():
    with pytest.raises(AssertionError, match=r"HTTP 418 is not a declared response \(declared: 200, 301, 404, 422\)"):
        validate_response("GET", ISSUES_URL, 418, {}, {"message": "I'm a teapot"})


def test_it_accepts_an_empty_304_and_rejects_one_with_a_body():
    validate_response("GET", f"{API}/user", 304, {"ETag": '"abc"'}, b"")

    with pytest.raises(AssertionError, match="a 304 must have no body"):
        validate_response("GET", f"{API}/user", 304, {}, {"login": "octocat"})


def test_it_rejects_a_redirect_without_location():
    with pytest.raises(AssertionError, match="a redirect without a Location header"):
        validate_response("GET", f"{API}/repos/o/r", 301, {}, {"message": "Moved Permanently", "url": "x"})


def test_it_checks_a_declared_header_when_present():
    with pytest.raises(AssertionError, match=r"\$\.header\.X-RateLimit-Remaining: 'lots' is not of type 'integer'"):
        validate_response("GET", f"{API}/rate_limit", 200, {"X-RateLimit-Remaining": "lots"}, {})


def test_it_eases_required_fields_only_where_asked():
    repository = recordings.load("get-repository")[0]
    url = f"{API}{repository['path']}"
    with pytest.raises(AssertionError, match="'has_discussions' is a required property"):
        validate_response("GET", url, 200, repository["headers"], repository["response"])

    validate_response("GET", url, 200, repository["headers"], repository["response"], missing_ok={"has_discussions"})


def test_a_later_session_reads_only_the_small_cache(tmp_path):
    built = github_openapi.description().cache_path
    github_openapi.description().operation_for("GET", f"{API}/user")  # built by now, whatever ran first
    assert built.stat().st_size < 5_000_000
    (tmp_path / built.name).write_bytes(built.read_bytes())

    later = Description(cache_dir=tmp_path)
    later.source = tmp_path / "absent.json"  # it would fail if it opened the 73 MB file
    later.validate_request("GET", f"{API}/repos/o/r/issues?per_page=100")

    assert later.cache_path.name == f"github-openapi-api.github.com-{later.package_version}.json"


def test_an_operation_missing_from_the_cache_is_added_to_it(tmp_path):
    spec = Description(cache_dir=tmp_path)
    spec.operation_for("GET", f"{API}/user")
    assert "GET /repos/{owner}/{repo}/pulls" not in json.loads(spec.cache_path.read_text())["operations"]

    spec.operation_for("GET", f"{API}/repos/o/r/pulls")

    assert "GET /repos/{owner}/{repo}/pulls" in json.loads(spec.cache_path.read_text())["operations"]


def test_it_checks_every_call_recorded_by_responses():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get(f"{API}/repos/o/r/issues", json=[])
        requests.get(f"{API}/repos/o/r/issues", params={"per_page": 100})
        assert_all_calls_valid(mock.calls)

        requests.get(f"{API}/repos/o/r/issues", params={"per_page": 500})
        with pytest.raises(AssertionError, match=r"(?s)call 2: .*per_page: 500 is greater than the maximum of 100"):
            assert_all_calls_valid(mock.calls)


def test_the_module_loads_the_description_once_per_session():
    assert github_openapi.description() is github_openapi.description()
