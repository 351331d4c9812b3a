"""The demo data the product's demo and the Django seed rely on."""

import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from integrations.providers.pivotal.emulator import (
    DEMO_COMPANY_PEOPLE,
    DEMO_PEOPLE,
    build_demo_state,
    build_large_state,
    demo_token,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_demo_people_match_the_acme_company_by_email_and_role():
    assert [(p.name, p.email, p.role) for p in DEMO_PEOPLE] == [
        ("Olivia Owner", "owner@acme.example", "owner"),
        ("Adam Admin", "admin@acme.example", "admin"),
        ("Maya Manager", "manager@acme.example", "manager"),
        ("Ana Ruiz", "ana@acme.example", "user"),
        ("Ben Okafor", "ben@acme.example", "user"),
        ("Chloe Martin", "chloe@acme.example", "user"),
        ("Sam Stranger", "sam@elsewhere.example", None),
    ]
    assert "sam@elsewhere.example" not in [p.email for p in DEMO_COMPANY_PEOPLE]


def test_demo_tokens_are_derived_32_hex_and_distinct():
    tokens = [p.api_token for p in DEMO_PEOPLE]

    assert all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens)
    assert len(set(tokens)) == len(tokens)
    assert demo_token("ana") == DEMO_PEOPLE[3].api_token
    assert [p.pivotal_id for p in DEMO_PEOPLE] == list(range(101, 108))


def test_demo_state_is_the_same_every_time():
    first, second = build_demo_state(), build_demo_state()

    def snapshot(state):
        return [
            (s.id, s.project_id, s.name, s.current_state, s.updated_at)
            for p in state.projects()
            for s in state.stories_in(p.id)
        ]

    assert snapshot(first) == snapshot(second)


def test_demo_state_has_a_realistic_mix_of_stories():
    state = build_demo_state()
    stories = [s for p in state.projects() for s in state.stories_in(p.id)]

    assert len(stories) == 60
    assert {s.story_type for s in stories} == {"feature", "bug", "chore", "release"}
    assert sum(s.current_state == "accepted" for s in stories) >= 8
    assert any(len(s.owner_ids) > 1 for s in stories)
    assert any(not s.owner_ids for s in stories)
    assert all(s.updated_at < state.now() for s in stories)
    for story in stories:
        for owner_id in story.owner_ids:
            membership = state.membership(owner_id, story.project_id)
            assert membership is not None and membership.role != "viewer", (story.name, owner_id)


def test_every_company_user_misses_at_least_one_project():
    state = build_demo_state()
    for person in DEMO_PEOPLE:
        visible = {m.project_id for m in state.memberships_of_person(person.pivotal_id)}
        if person.role == "user":
            assert len(visible) < 3, person.name
        if person.role == "owner":
            assert len(visible) == 3


def test_large_state_has_the_requested_number_of_stories():
    state = build_large_state(stories_per_project=250)

    assert [len(state.stories_in(p.id)) for p in state.projects()] == [250, 250, 250]


def test_the_cli_serves_the_demo_and_prints_tokens_then_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "integrations.providers.pivotal.emulator", "--port", "0", "--demo", "--print-tokens"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        base_url = re.search(r"(http://\S+/services/v5)", banner).group(1)
        lines = [process.stdout.readline() for _ in range(2 + len(DEMO_PEOPLE))]
        me = requests.get(f"{base_url}/me", headers={"X-TrackerToken": DEMO_PEOPLE[0].api_token}, timeout=5)

        assert me.json()["email"] == "owner@acme.example"
        assert any("ana@acme.example" in line and DEMO_PEOPLE[3].api_token in line for line in lines)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        process.stdout.close()
