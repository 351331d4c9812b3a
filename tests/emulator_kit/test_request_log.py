"""The request log: bounded, credentials left out, the caller named as the emulator says."""

from __future__ import annotations

from integrations.providers.emulator_kit.request_log import RequestLog


class ExampleLog(RequestLog):
    secret_parameters = frozenset({"token", "access_token"})


def test_an_entry_keeps_the_call_without_secret_parameters():
    log = ExampleLog()

    entry = log.record("GET", "/things", [("page", "2"), ("Access_Token", "s3cret"), ("token", "x")], 200, login="ana")

    assert entry == {
        "at": entry["at"],
        "method": "GET",
        "path": "/things",
        "query": {"page": "2"},
        "status": 200,
        "login": "ana",
    }
    assert entry["at"].endswith("Z")
    assert log.entries() == [entry]


def test_a_dict_query_works_too_and_unset_callers_and_faults_are_left_out():
    entry = ExampleLog().record("GET", "/me", {"token": "x", "fields": "id"}, None, person_id=None, fault="drop")

    assert (entry["query"], entry["status"], entry["fault"]) == ({"fields": "id"}, None, "drop")
    assert "person_id" not in entry


def test_the_log_keeps_only_the_newest_entries_and_can_be_cleared():
    log = RequestLog(max_entries=2)
    for page in "123":
        log.record("GET", "/things", {"page": page}, 200)

    assert [entry["query"]["page"] for entry in log.entries()] == ["2", "3"]
    log.clear()
    assert log.entries() == []
