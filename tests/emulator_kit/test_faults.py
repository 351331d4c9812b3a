"""The fault registry: kinds with aliases and defaults, option checks, matching and counting."""

from __future__ import annotations

import pytest

from integrations.providers.emulator_kit import faults as kit
from integrations.providers.emulator_kit.faults import FaultInjector, FaultKind


def _retry_after_only_with_429(options: dict) -> None:
    if options["status"] != 429 and options["retry_after"] is not None:
        raise ValueError("retry_after does not apply to status faults")


class ExampleFaults(FaultInjector):
    kinds = (
        FaultKind("status", {"status": 500, "retry_after": None}, ("error",), _retry_after_only_with_429),
        FaultKind("limited", {"retry_after": 30, "reset_in": 60}, ("429",)),
        kit.DELAY.with_aliases("slow"),
        kit.DROP,
    )
    api_prefix = "/api/v1"


def test_a_rule_fires_count_times_then_disappears():
    faults = ExampleFaults()
    faults.add("status", count=2)

    first = faults.take("GET", "/things")
    assert (first.fired, faults.rules()) == (1, [first])
    assert faults.take("GET", "/things") is first
    assert (first.fired, faults.rules()) == (2, [])
    assert faults.take("GET", "/things") is None


def test_the_first_matching_rule_fires():
    faults = ExampleFaults()
    faults.add("status", status=503, path="/things/*")
    faults.add("drop")

    assert faults.take("GET", "/other").kind == "drop"
    assert faults.take("GET", "/things/1").status == 503


def test_a_pattern_matches_the_path_with_or_without_the_api_prefix():
    faults = ExampleFaults()
    faults.add("status", path="/things", count=10)

    assert faults.take("GET", "/api/v1/things") is not None
    assert faults.take("GET", "/things") is not None
    assert faults.take("GET", "/api/v1x/things") is None
    assert faults.take("GET", "/api/v1/things/1") is None


def test_a_method_limits_the_rule():
    faults = ExampleFaults()
    faults.add("status", method="post")

    assert faults.take("GET", "/things") is None
    assert faults.take("POST", "/things").kind == "status"


def test_a_kind_answers_to_its_aliases_and_the_rule_keeps_its_name():
    faults = ExampleFaults()

    assert faults.add("429").kind == "limited"
    assert faults.add("slow").kind == "delay"
    assert faults.add("error").kind == "status"


def test_a_kind_fills_in_its_defaults_and_leaves_out_what_it_does_not_take():
    faults = ExampleFaults()

    limited = faults.add("limited", reset_in=5)

    assert (limited.retry_after, limited.reset_in, limited.status, limited.seconds) == (30, 5, None, None)
    assert limited.as_json() == {
        "id": 1,
        "kind": "limited",
        "path": "*",
        "count": 1,
        "retry_after": 30,
        "reset_in": 5,
        "fired": 0,
        "remaining": 1,
    }
    assert faults.add("delay").seconds == 1.0


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("teapot", {}, "kind must be one of status, limited, delay, drop"),
        ("status", {"count": 0}, "count must be a positive integer"),
        ("status", {"count": True}, "count must be a positive integer"),
        ("status", {"path": ""}, "path must be a non-empty pattern"),
        ("drop", {"seconds": 1}, "seconds does not apply to drop faults"),
        ("status", {"status": 200}, "status must be an HTTP error status (400-599)"),
        ("status", {"status": True}, "status must be an HTTP error status (400-599)"),
        ("limited", {"retry_after": -1}, "retry_after must be a whole number of seconds >= 0"),
        ("limited", {"reset_in": 1.5}, "reset_in must be a whole number of seconds >= 0"),
        ("delay", {"seconds": 121}, "seconds must be between 0 and 120"),
        ("status", {"retry_after": 5}, "retry_after does not apply to status faults"),
    ],
)
def test_a_rule_that_would_not_make_sense_is_refused(kind, options, message):
    faults = ExampleFaults()

    with pytest.raises(ValueError) as refused:
        faults.add(kind, **options)

    assert str(refused.value) == message
    assert faults.rules() == []


def test_a_kind_rule_runs_after_the_option_checks():
    assert ExampleFaults().add("status", status=429, retry_after=5).retry_after == 5


def test_the_option_names_are_those_of_every_kind_plus_matching_and_counting():
    assert ExampleFaults.option_names() == {"path", "method", "count", "status", "retry_after", "reset_in", "seconds"}
    assert FaultInjector.option_names() == {"path", "method", "count", "status", "seconds"}


def test_a_kind_may_only_take_the_known_options():
    with pytest.raises(TypeError):
        FaultKind("odd", {"colour": "red"})


def test_clear_removes_every_rule_and_says_how_many():
    faults = ExampleFaults()
    faults.add("drop")
    faults.add("delay")

    assert faults.clear() == 2
    assert faults.take("GET", "/") is None
