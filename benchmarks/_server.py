"""What the HTTP benchmarks share: production-like settings (DEBUG off) in a scratch folder, a
scratch database, Django set up in this process (to create data), and a gunicorn server of the
project on a free loopback port."""

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "timedoctor.settings",
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "FIELD_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHkta2V5LTAwMDAwMDAwMDAwMDA=",
    "EMAIL_URL": "consolemail://",
    "SITE_URL": "http://127.0.0.1",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
    # The benchmarks measure throughput from one client: the per-token and per-IP limits would cap it.
    "API_REQUESTS_PER_MINUTE_PER_TOKEN": "0",
    "API_REQUESTS_PER_MINUTE_PER_IP": "0",
}


def fresh_database(name):
    """A scratch database for benchmark `name`: a fresh SQLite file in VAR_DIR (the default), or,
    when DATABASE_URL points to PostgreSQL, a new database `bench_<name>_<pid>` on that server,
    dropped when this process ends. Sets DATABASE_URL (inherited by servers and workers started
    afterwards) and returns it; call it before Django is set up."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        os.environ.pop("DATABASE_URL", None)
        return None
    import psycopg
    from psycopg import sql

    base, _, _ = url.rpartition("/")
    database = f"bench_{name}_{os.getpid()}"
    admin_url = base.replace("postgres://", "postgresql://", 1).replace("pgsql://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))

    atexit.register(drop)
    os.environ["DATABASE_URL"] = f"{base}/{database}"
    return os.environ["DATABASE_URL"]


def setup_django(prefix, database=None):
    """Django in this process with production-like settings (DEBUG off, API throttles off), on a
    scratch database (`fresh_database(database)`) when `database` names one, else on a fresh
    SQLite file unless DATABASE_URL says otherwise; migrated."""
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix=prefix))
    if database:
        fresh_database(database)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(workers, threads=1):
    """Starts gunicorn; returns (process, base URL) once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "timedoctor.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # workers boot slowly on a loaded 2-core machine
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"{base_url}/accounts/login/", timeout=5)
            return process, base_url
        except requests.RequestException:  # refused, reset or slow while the workers boot
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
