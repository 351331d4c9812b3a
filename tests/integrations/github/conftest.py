"""The GitHub emulator for the provider's tests: real HTTP on a free port, with the demo data.

`server` points `settings.GITHUB_API_URL` at it and, after the test, checks every request the
provider made against GitHub's OpenAPI description (from the emulator's request log).
"""

from urllib.parse import urlencode

import pytest

from integrations.providers.github.emulator import GitHubEmulatorServer, build_demo_state
from tests.support.github_openapi import validate_request


@pytest.fixture
def server(settings):
    settings.GITHUB_RETRY_BASE_SECONDS = 0.01
    with GitHubEmulatorServer(build_demo_state()) as github:
        settings.GITHUB_API_URL = github.base_url
        yield github
        for entry in github.request_log.entries():
            query = f"?{urlencode(entry['query'])}" if entry["query"] else ""
            validate_request(entry["method"], f"{github.root_url}{entry['path']}{query}")
