# Time tracked on synced tasks needs the sync's fixtures (demo people, Pivotal turned on, linking).
from tests.sync.conftest import demo_members, link, pivotal_on  # noqa: F401
