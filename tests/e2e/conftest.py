# The demo company linked to the emulator, as in the sync tests.
from tests.tracking.conftest import demo_members, link, pivotal_on  # noqa: F401
