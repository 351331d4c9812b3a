import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client

from companies.models import Membership
from companies.tenancy import SESSION_KEY

from .factories import CompanyFactory, MembershipFactory
from .support.isolation import worker_environment

Role = Membership.Role


@pytest.fixture
def company(db):
    return CompanyFactory(name="Acme Corp", slug="acme")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Globex", slug="globex")


@pytest.fixture
def owner(company):
    return MembershipFactory(
        company=company, role=Role.OWNER, user__full_name="Olivia Owner", user__email="olivia@acme.example"
    )


@pytest.fixture
def admin(company):
    return MembershipFactory(
        company=company, role=Role.ADMIN, user__full_name="Adam Admin", user__email="adam@acme.example"
    )


@pytest.fixture
def manager(company):
    return MembershipFactory(
        company=company, role=Role.MANAGER, user__full_name="Maya Manager", user__email="maya@acme.example"
    )


@pytest.fixture
def member(company):
    """A member with the plain 'user' role."""
    return MembershipFactory(
        company=company, role=Role.USER, user__full_name="Ana Ruiz", user__email="ana@acme.example"
    )


@pytest.fixture
def outsider(other_company):
    """An owner of another company: sees everything of Globex, nothing of Acme."""
    return MembershipFactory(
        company=other_company, role=Role.OWNER, user__full_name="Otto Outsider", user__email="otto@globex.example"
    )


@pytest.fixture
def members(owner, admin, manager, member):
    return {"owner": owner, "admin": admin, "manager": manager, "user": member}


@pytest.fixture(autouse=True)
def one_now_per_test():
    """The desktop API tests' entries (`tracking.api_helpers.item`) count back from one "now" a test."""
    from .tracking.api_helpers import forget_now

    forget_now()
    yield
    forget_now()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache (a real LocMem one): every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """A browser signed in as the given membership, working in its company."""

    def make(membership, **kwargs):
        client = Client(**kwargs)
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = str(membership.code)
        session.save()
        return client

    return make


# --- One suite, two parts: in parallel, then alone ---------------------------------------------
# `make test` runs `pytest -n auto -m "not serial"` (pytest-xdist, one process per core), then
# `pytest -m serial`. Serial are the tests that start other processes or a browser (marked `worker`
# or `browser`, or using the `browser` fixture), and those marked `serial` by hand because they
# measure time or load the machine: on a busy machine they would be slow or flaky, never wrong.
SERIAL_MARKERS = ("worker", "browser", "serial")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if any(item.get_closest_marker(name) for name in SERIAL_MARKERS):
            item.add_marker(pytest.mark.serial)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Before the xdist workers start: each gets its own run folder and Redis database
    (tests/support/isolation.py); pytest-django gives each its own test database."""
    from django.conf import settings

    for spec in specs:
        spec.env.update(worker_environment(spec.id, Path(settings.VAR_DIR), settings.CELERY_BROKER_URL))


# --- A frozen clock ---------------------------------------------------------------------------
# TEST_FROZEN_NOW="2027-03-28T00:59:50+00:00" starts every test at that instant, and the clock
# then moves on (CI runs the time-sensitive tests at midnight in Madrid and across its DST
# changes). Only this process's clock is moved, so tests that start other processes or a browser,
# which keep the real one, run at the real time.
FROZEN_NOW = os.environ.get("TEST_FROZEN_NOW", "")


@pytest.fixture(autouse=True)
def frozen_clock(request):
    if not FROZEN_NOW or request.node.get_closest_marker("serial"):
        yield None
        return
    import time_machine

    instant = datetime.fromisoformat(FROZEN_NOW)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_FROZEN_NOW needs a UTC offset: {FROZEN_NOW!r}")
    with time_machine.travel(instant, tick=True):
        yield instant


def pytest_report_header(config):
    if FROZEN_NOW:
        return f"clock: every test starts at TEST_FROZEN_NOW={FROZEN_NOW} (serial tests excepted)"
    return None


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests skip on SQLite runs, but fail when PostgreSQL was expected."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        if "postgresql" in os.environ.get("EXPECT_SERVICES", ""):
            pytest.fail("PostgreSQL was expected (EXPECT_SERVICES) but the suite is not running on it.")
        pytest.skip("needs PostgreSQL (set DATABASE_URL to a PostgreSQL URL)")


@pytest.fixture
def emulator(settings):
    """The project's Pivotal Tracker emulator on a free port, with the demo data, and the client
    pointed at it."""
    from integrations.providers.pivotal.emulator import EmulatorServer, build_demo_state

    with EmulatorServer(build_demo_state()) as server:
        settings.PIVOTAL_API_URL = server.base_url
        yield server


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """Removes this run's own folder (test database file, broker messages, uploads), once the test
    databases are torn down."""
    import shutil

    from django.conf import settings

    if "run-" in str(settings.VAR_DIR):
        shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


# --- A real browser: Debian's Chromium driven by Playwright ----------------------------------
# Its absence fails the test (.ci/run installs it), never skips.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    """Playwright's sync API keeps an event loop on this thread, which Django would take for async
    code calling the database: it is not (the loop only drives the browser). While that loop runs,
    Django keeps this thread's database connections apart from the ones it has without it (asgiref's
    thread-critical local follows the running loop), so the test's own connection is closed here,
    while the loop still runs: left open, it kept the test database from being dropped at the end."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (.ci/run does it)"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
        connections.close_all()
