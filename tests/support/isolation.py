"""What keeps each test process of a parallel run (pytest-xdist) apart from the others.

The pytest process that starts the workers decides, before any of them starts, what each one gets
in its environment, so that its settings read them like any other run's:
- its own run folder, inside the run's: `var/test/run-<pid>/gw0/` holds that worker's SQLite test
  database, filesystem-broker folders, uploads and static files;
- on Redis, its own database number (CI's `/15` gives `/15`, `/14`, …), so that a worker test
  purging its queue never takes the messages of another worker's test.
The PostgreSQL test database is `test_<name>_gw0`, … (pytest-django adds the worker's name), and
servers (live server, emulators, gunicorn) listen on a port the system picks at run time. The
Celery worker and gunicorn processes a test starts inherit the test process's environment, and
so its folder, database and broker.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def worker_environment(worker_id: str, run_folder: Path, broker_url: str) -> dict[str, str]:
    """The environment variables that give the xdist worker `worker_id` ("gw0", "gw1"…) its own
    folder and broker."""
    environment = {"VAR_DIR": str(run_folder / worker_id)}
    if urlsplit(broker_url).scheme in ("redis", "rediss"):
        environment["CELERY_BROKER_URL"] = redis_url_for_worker(broker_url, worker_number(worker_id))
    return environment


def worker_number(worker_id: str) -> int:
    return int(worker_id.removeprefix("gw"))


def redis_url_for_worker(url: str, number: int) -> str:
    """The run's Redis database for worker 0, the ones below it (wrapping round) for the others:
    CI's /15 gives /15, /14, … so that database 0, the usual default, comes last."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database - number) % REDIS_DATABASES}"))
