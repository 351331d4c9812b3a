# The demo company linked to the emulator, as in the sync tests.
from tests.sync.conftest import demo_members, github, github_on, link, link_github, pivotal_on  # noqa: F401
