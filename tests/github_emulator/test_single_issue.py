"""`GET /repos/{owner}/{repo}/issues/{number}`: 200, 301 after a transfer, 410 after a deletion,
404 for what does not exist or may not be seen."""

import requests

from integrations.providers.github.emulator.demo_data import DELETED_ISSUE, TRANSFERRED_FROM, TRANSFERRED_TO

from .helpers import MOBILE, TOKENS, WEB
from .schemas import validated


def issue_path(repo, number):
    return f"/repos/{repo}/issues/{number}"


def test_it_answers_an_issue_by_number_with_every_field_github_requires(github, api):
    item = api.get(issue_path(WEB, 1), "ana").json()

    assert (item["number"], item["title"], item["state"]) == (
        1,
        "Sign-up form accepts invalid email addresses",
        "closed",
    )
    assert item["url"] == f"{github.base_url}/repos/{WEB}/issues/1"
    assert item["repository_url"] == f"{github.base_url}/repos/{WEB}"
    assert item["html_url"] == f"{github.root_url}/{WEB}/issues/1"
    assert item["user"]["login"] == "maya" and item["author_association"] == "MEMBER"
    assert (item["locked"], item["active_lock_reason"], item["milestone"]) == (False, None, None)
    assert item["comments"] == 3


def test_a_pull_request_is_an_issue_with_a_pull_request_key(github, api):
    pull = next(i for i in github.state.issues_in(WEB) if i.is_pull_request)

    item = api.get(issue_path(WEB, pull.number)).json()

    assert item["pull_request"]["html_url"] == f"{github.root_url}/{WEB}/pull/{pull.number}"
    assert item["draft"] is False


def test_a_transferred_issue_answers_301_to_its_new_url(github, api):
    response = api.get(issue_path(*TRANSFERRED_FROM))

    new_url = f"{github.base_url}{issue_path(*TRANSFERRED_TO)}"
    assert response.status_code == 301
    assert response.headers["Location"] == new_url
    assert response.json()["message"] == "Moved Permanently"
    assert response.json()["url"] == new_url
    moved = api.get(response.headers["Location"]).json()
    assert (moved["title"], moved["repository_url"]) == (
        "Push notifications arrive twice on Android",
        f"{github.base_url}/repos/{MOBILE}",
    )


def test_a_client_that_follows_redirects_lands_on_the_new_issue(github):
    response = validated(
        requests.get(
            f"{github.enterprise_base_url}{issue_path(*TRANSFERRED_FROM)}",
            headers={"Authorization": f"token {TOKENS['olivia']}"},
            timeout=5,
        )
    )

    assert [hop.status_code for hop in response.history] == [301]
    assert response.json()["number"] == TRANSFERRED_TO[1]
    assert response.url == f"{github.enterprise_base_url}{issue_path(*TRANSFERRED_TO)}"


def test_a_deleted_issue_answers_410(api):
    response = api.get(issue_path(*DELETED_ISSUE))

    assert response.status_code == 410
    assert response.json()["message"] == "This issue was deleted"
    assert response.json()["status"] == "410"


def test_an_unknown_number_answers_404(api):
    response = api.get(issue_path(WEB, 999))

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_an_issue_in_a_repository_the_user_may_not_see_answers_404(api):
    assert api.get(issue_path(WEB, 1), "chloe").status_code == 404
    assert api.get(issue_path(*TRANSFERRED_FROM), "chloe").status_code == 404
    assert api.get(issue_path(*DELETED_ISSUE), "ben").status_code == 404


def test_a_transfer_gives_a_new_id_and_number_and_keeps_what_the_target_has(github, api, control):
    before = api.get(issue_path(WEB, 6)).json()

    moved = control.post(f"/repos/{WEB}/issues/6/transfer", {"to": MOBILE, "sender": "maya"}).json()

    assert moved["id"] != before["id"] and moved["title"] == before["title"]
    assert moved["number"] == TRANSFERRED_TO[1] + 1  # after the demo's own transfer
    assert [label["name"] for label in moved["labels"]] == ["enhancement"]  # "onboarding" is not in mobile-app
    assert moved["assignees"] == []  # Ana cannot see mobile-app
    assert api.get(issue_path(WEB, 6)).headers["Location"].endswith(issue_path(MOBILE, moved["number"]))
