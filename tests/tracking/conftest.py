import pytest

# Time tracked on synced tasks needs the sync's fixtures (demo people, Pivotal turned on, linking).
from tests.sync.conftest import demo_members, link, pivotal_on  # noqa: F401

from .api_helpers import forget_now


@pytest.fixture(autouse=True)
def one_now_per_test():
    forget_now()
    yield
    forget_now()
