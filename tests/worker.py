"""A real Celery worker process for the tests that must prove the production path: a message goes
through the real broker (the filesystem transport on SQLite runs, Redis in CI) to a separate worker
process that uses the test database."""

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from timedoctor.celery import app as celery_app

PROJECT_DIR = Path(__file__).resolve().parent.parent


def database_url_for_tests():
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user, password = settings.get("USER") or "", settings.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


def wait_until(condition, timeout=30.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def database_sessions(application_name):
    """The PostgreSQL backends on the test database of that application (none on SQLite)."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [application_name],
        )
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def running_worker(extra_env=None):
    """Starts `celery worker` against the test database, sends tasks to it for real, stops it.
    `worker.database_sessions()` are the worker's own PostgreSQL backends (named by libpq's
    PGAPPNAME); they are gone when this returns (the worker keeps its connection between tasks)."""
    application_name = f"test-celery-worker-{os.getpid()}"
    env = {
        **os.environ,
        "PGAPPNAME": application_name,
        "DJANGO_SETTINGS_MODULE": "timedoctor.test_settings",
        "DATABASE_URL": database_url_for_tests(),
        **(extra_env or {}),
    }
    celery_app.control.purge() if not celery_app.conf.broker_url.startswith("filesystem") else _purge_folder()
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "timedoctor",
            "worker",
            "--pool=solo",
            "--loglevel=DEBUG",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.read_log = lambda: Path(log.name).read_text(errors="replace")
    process.database_sessions = lambda: database_sessions(application_name)
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = was_eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        wait_until(lambda: not process.database_sessions(), timeout=10, message="the worker's connections to close")


def _purge_folder():
    folder = Path(celery_app.conf.broker_transport_options["data_folder_in"])
    for message in folder.glob("*"):
        message.unlink(missing_ok=True)
