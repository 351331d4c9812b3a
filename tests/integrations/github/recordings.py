"""GitHub's own recorded interactions (npm `@octokit/fixtures`), replayed through `responses`.

Each scenario folder holds `normalized-fixture.json` (ids, dates, tokens and rate-limit values
replaced by stable ones; `x-ratelimit-reset` becomes "1507651200000", a millisecond time) and
`raw-fixture.json` (what GitHub really sent, headers as a flat `rawHeaders` list). Interactions
marked `x-octokit-fixture-ignore` only set the scenario up (creating a temporary repository…).
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from responses import matchers

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "node_modules" / "@octokit" / "fixtures" / "scenarios" / "api.github.com"
RECORDED_ORIGIN = "https://api.github.com"
# Set by the HTTP layer, not by GitHub's answer: a replayed body is re-serialised.
TRANSPORT_HEADERS = {"content-length", "connection", "transfer-encoding", "content-encoding"}


def load(scenario, *, raw=False):
    """The scenario's interactions, without the set-up ones, headers as a dict of strings."""
    path = SCENARIOS / scenario / ("raw-fixture.json" if raw else "normalized-fixture.json")
    interactions = []
    for recorded in json.loads(path.read_text()):
        if recorded["reqheaders"].get("x-octokit-fixture-ignore"):
            continue
        if "rawHeaders" in recorded:
            pairs = zip(recorded["rawHeaders"][::2], recorded["rawHeaders"][1::2], strict=True)
        else:
            pairs = recorded["headers"].items()
        headers = {}
        for name, value in pairs:
            headers[name.lower()] = str(value)
        interactions.append({**recorded, "method": recorded["method"].upper(), "headers": headers})
    return interactions


def body_text(recorded):
    response = recorded["response"]
    return response if isinstance(response, str) else json.dumps(response)


def rebased(text, base_url):
    return text.replace(RECORDED_ORIGIN, base_url)


def replay(mock, interactions, *, base_url=RECORDED_ORIGIN, method=None):
    """Register each interaction on a RequestsMock: same method (or `method`), path, exact query,
    status, headers (Link and Location pointing at `base_url`) and body."""
    for recorded in interactions:
        parts = urlsplit(recorded["path"])
        headers = {
            name: rebased(value, base_url)
            for name, value in recorded["headers"].items()
            if name not in TRANSPORT_HEADERS
        }
        content_type = headers.pop("content-type", "application/json; charset=utf-8")
        mock.add(
            method or recorded["method"],
            f"{base_url}{parts.path}",
            body=rebased(body_text(recorded), base_url) if recorded["response"] != "" else "",
            status=recorded["status"],
            headers=headers,
            content_type=content_type,
            match=[matchers.query_string_matcher(parts.query)],
        )
