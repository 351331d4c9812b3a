"""`server.on_request(callback)`: tests change data between two page reads, the way a sync
meets a tracker that moves under it."""

from .helpers import WEB, links, numbers

ISSUES = f"/repos/{WEB}/issues"


def test_the_callback_runs_after_each_api_request_with_its_log_entry(github, api, control):
    seen = []
    github.on_request(seen.append)

    api.get(ISSUES, "ana", state="all")
    control.get("/state")

    assert [(entry["method"], entry["path"], entry["query"], entry["status"], entry["login"]) for entry in seen] == [
        ("GET", ISSUES, {"state": "all"}, 200, "ana"),
    ]


def test_a_change_made_by_the_callback_is_in_place_before_the_next_page(github, api):
    def rename_the_newest_after_page_one(entry):
        if entry["query"].get("page", "1") == "1":
            github.state.update_issue(WEB, newest, title="Changed while you paged")

    newest = max(issue.number for issue in github.state.issues_in(WEB))
    github.on_request(rename_the_newest_after_page_one)

    first = api.get(ISSUES, state="all", per_page=5, sort="updated", direction="asc")
    second = api.get(links(first)["next"])

    assert newest not in numbers(first)
    assert github.state.issue(WEB, newest).title == "Changed while you paged"
    assert newest not in numbers(second)  # it moved to the end of an ascending `updated` sort
    last = api.get(links(first)["last"])
    assert numbers(last)[-1] == newest


def test_a_failing_callback_does_not_break_the_answer(github, api):
    def explode(entry):
        raise RuntimeError("boom")

    github.on_request(explode)

    assert api.get("/user").status_code == 200
