"""A local emulator of GitHub's REST API (api.github.com, version 2022-11-28), standard library only.

It serves what the GitHub Issues integration reads: the token's user, their orgs and
repositories, and repository issues (pull requests included, as on GitHub), with GitHub's
authentication errors, pagination `Link` headers, ETags and conditional requests, primary
rate limits, 301/410 for transferred/deleted issues, and signed `issues` webhook deliveries.
Control endpoints under `/__emulator__/` change data and inject faults while it runs. The
server, clock, fault rules, request log and control plumbing come from
`integrations.providers.emulator_kit`, shared with the Pivotal Tracker emulator.

    python -m integrations.providers.github.emulator --port 8112 --demo --print-tokens

    with GitHubEmulatorServer(build_demo_state()) as github:
        github.base_url            # http://127.0.0.1:<port>  (stands in for https://api.github.com)
        github.enterprise_base_url # http://127.0.0.1:<port>/api/v3
        github.state.update_issue("acme-corp/web-app", 5, state="closed")
"""

from integrations.providers.emulator_kit.clock import Clock

from .api import API_VERSION, GitHubApp
from .demo_data import DEMO_COMPANY_USERS, DEMO_NOW, DEMO_USERS, build_demo_state, build_large_state, demo_token
from .faults import FaultInjector
from .pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from .server import GitHubEmulatorServer
from .state import GitHubState
from .webhooks import signature_256

__all__ = [
    "API_VERSION",
    "DEFAULT_PER_PAGE",
    "DEMO_COMPANY_USERS",
    "DEMO_NOW",
    "DEMO_USERS",
    "MAX_PER_PAGE",
    "Clock",
    "FaultInjector",
    "GitHubApp",
    "GitHubEmulatorServer",
    "GitHubState",
    "build_demo_state",
    "build_large_state",
    "demo_token",
    "signature_256",
]
