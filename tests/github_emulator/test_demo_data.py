"""The demo data: the Acme Corp people, their access, 40 issues, and the CLI that serves them."""

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from integrations.providers.github.emulator import (
    DEMO_USERS,
    GitHubEmulatorServer,
    build_demo_state,
    build_large_state,
    demo_token,
)
from integrations.providers.pivotal.emulator import DEMO_PEOPLE as PIVOTAL_DEMO_PEOPLE

from .helpers import BILLING, MOBILE, WEB, GitHubClient

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_users_are_the_pivotal_demo_people_with_a_login_each():
    # Same names, emails and roles, so the Django demo company matches both (its literal list is
    # pinned in tests/emulator/test_emulator_demo_data.py).
    pivotal_people = [(person.name, person.email, person.role) for person in PIVOTAL_DEMO_PEOPLE]
    assert [(user.name, user.email, user.role) for user in DEMO_USERS] == pivotal_people
    assert [user.login for user in DEMO_USERS] == ["olivia", "adam", "maya", "ana", "ben", "chloe", "sam"]
    assert len({user.id for user in DEMO_USERS}) == 7


def test_tokens_are_derived_and_shaped_like_classic_personal_access_tokens():
    for user in DEMO_USERS:
        assert user.token == demo_token(user.login)
        assert user.token == "ghp_" + hashlib.sha256(f"github-demo:{user.login}".encode()).hexdigest()[:36]
        assert re.fullmatch(r"ghp_[0-9a-f]{36}", user.token)


def test_access_follows_the_pivotal_memberships():
    state = build_demo_state()

    visible = {user.login: sorted(r.full_name for r in state.repos_visible_to(user.login)) for user in DEMO_USERS}

    assert visible == {
        "olivia": sorted([WEB, MOBILE, BILLING]),
        "adam": sorted([WEB, BILLING]),
        "maya": sorted([WEB, MOBILE]),
        "ana": sorted([WEB, BILLING]),
        "ben": sorted([WEB, MOBILE]),
        "chloe": sorted([MOBILE, BILLING]),
        "sam": [MOBILE],
    }
    assert [org.login for org in state.orgs_of("sam")] == []


def test_forty_issues_a_few_pull_requests_one_transferred_and_one_deleted():
    state = build_demo_state()
    items = [issue for repo in state.repos() for issue in state.issues_in(repo.full_name)]
    issues = [issue for issue in items if not issue.is_pull_request]
    pulls = [issue for issue in items if issue.is_pull_request]

    assert len(issues) + 1 == 40  # the deleted one is gone
    assert 0 < sum(issue.state == "closed" for issue in issues) < len(issues) / 2
    assert all(issue.labels for issue in issues)
    assert sum(bool(issue.assignee_ids) for issue in issues) >= 30
    assert len(pulls) == 4 and all(pull.assignee_ids for pull in pulls)
    assert state.summary()["transferred_count"] == state.summary()["deleted_count"] == 1


def test_the_demo_is_the_same_on_every_build(github):
    other = GitHubEmulatorServer(build_demo_state())
    with other:
        for path in (f"/repos/{WEB}/issues?state=all", f"/repos/{MOBILE}/issues/15", "/user/repos"):
            mine, theirs = (
                re.sub(r"127\.0\.0\.1:\d+", "HOST", GitHubClient(server).get(path).text) for server in (github, other)
            )
            assert mine == theirs


def test_the_large_state_builds_many_issues_quickly():
    started = time.monotonic()
    state = build_large_state(repos=5, issues_per_repo=2000)

    assert time.monotonic() - started < 10
    assert [len(state.issues_in(repo.full_name)) for repo in state.repos()] == [2000] * 5
    assert state.repos()[4].full_name == "acme-corp/repo-05"


def test_the_cli_serves_the_demo_and_prints_the_tokens():
    process = subprocess.Popen(
        [sys.executable, "-m", "integrations.providers.github.emulator", "--port", "0", "--demo", "--print-tokens"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = [process.stdout.readline() for _ in range(10)]
        base_url = re.search(r"(http://127\.0\.0\.1:\d+) ", lines[0]).group(1)
        ana = next(line for line in lines if line.startswith("ana "))

        assert demo_token("ana") in ana and "ana@acme.example" in ana
        response = requests.get(f"{base_url}/user", headers={"Authorization": f"Bearer {demo_token('ana')}"}, timeout=5)
        assert response.json()["login"] == "ana"
        assert json.loads(requests.get(f"{base_url}/__emulator__/state", timeout=5).text)["users"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        process.stdout.close()
