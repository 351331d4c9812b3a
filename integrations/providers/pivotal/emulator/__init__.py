"""A local emulator of the Pivotal Tracker REST API v5 (standard library only).

Tracker's public service is retired, so the product's demo and end-to-end tests talk to this
instead. It follows shared/pivotal-tracker-api-v5.md: same paths under `/services/v5`, same auth,
error bodies, pagination and activity feed; plus `/__emulator__/` control endpoints to change
data and inject faults while it runs. The server, clock, fault rules, request log and control
plumbing come from `integrations.providers.emulator_kit`, shared with the GitHub emulator.

    python -m integrations.providers.pivotal.emulator --demo --print-tokens
"""

from integrations.providers.emulator_kit.clock import Clock

from .api import DEFAULT_LIMIT, MAX_BULK_IDS, MAX_LIMIT, EmulatorApp
from .demo_data import DEMO_COMPANY_PEOPLE, DEMO_PEOPLE, build_demo_state, build_large_state, demo_token
from .faults import FaultInjector
from .server import EmulatorServer
from .state import EmulatorState

__all__ = [
    "DEFAULT_LIMIT",
    "DEMO_COMPANY_PEOPLE",
    "DEMO_PEOPLE",
    "MAX_BULK_IDS",
    "MAX_LIMIT",
    "Clock",
    "EmulatorApp",
    "EmulatorServer",
    "EmulatorState",
    "FaultInjector",
    "build_demo_state",
    "build_large_state",
    "demo_token",
]
