"""A Celery worker of the project, as production runs it (prefork, one child, acks late), that also
reports each task it ran: one JSON line per task in the file named by BENCH_WORKER_LOG, with the
task's seconds inside the worker, its CPU seconds (this process's, and its PostgreSQL backend's when
the server is on this machine), its SQL statements and their seconds, and its return value.

    BENCH_WORKER_LOG=/tmp/tasks.jsonl python benchmarks/_worker.py

BENCH_PROFILE=<path> also writes a cProfile of each task to <path>.<n>.
The counting is a `connection.execute_wrapper` (two clock reads a statement); nothing else changes.
"""

import itertools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import GarbageCollections, StatementCounter, process_cpu_seconds  # noqa: E402
from celery.signals import task_postrun, task_prerun  # noqa: E402

from timedoctor.celery import app  # noqa: E402

_running = {}
_profiles = itertools.count()


def _database_cpu():
    """(backend pid, CPU seconds) of this worker's PostgreSQL backend, when the server runs on this
    machine; None otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    cpu = process_cpu_seconds(pid)
    return None if cpu is None else (pid, cpu)


def _database_cpu_since(started):
    """The backend's CPU seconds since `started`, if the task kept the same connection."""
    ended = _database_cpu()
    if started is None or ended is None or started[0] != ended[0]:
        return None
    return ended[1] - started[1]


class _CountingFromTheFirstStatement(StatementCounter):
    """Also notes the database backend's CPU at the task's first statement (on the connection the
    task uses, kept from the previous task or new: timedoctor/celery.py)."""

    database_cpu_started = None

    def __call__(self, execute, sql, params, many, context):
        if self.count == 0:
            self.database_cpu_started = _database_cpu()
        return super().__call__(execute, sql, params, many, context)


# Connected at import, before Celery's Django fix-up: runs before it closes the connection after a task.
@task_prerun.connect
def _start(task_id=None, **_):
    from django.db import connection

    counter = _CountingFromTheFirstStatement()
    connection.execute_wrappers.append(counter)
    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    collections = GarbageCollections().start()
    _running[task_id] = (counter, profile, collections, time.perf_counter(), time.process_time())


@task_postrun.connect
def _finish(task_id=None, task=None, args=None, retval=None, **_):
    from django.db import connection

    counter, profile, collections, started, cpu_started = _running.pop(task_id)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    collections.stop()
    database_cpu = _database_cpu_since(counter.database_cpu_started)
    if profile is not None:
        profile.disable()
        profile.dump_stats(f"{os.environ['BENCH_PROFILE']}.{next(_profiles)}")
    connection.execute_wrappers.remove(counter)
    record = {
        "task": task.name if task else "",
        "args": list(args or []),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "database_cpu_seconds": database_cpu,
        "statements": counter.count,
        "sql_seconds": counter.seconds,
        "garbage_collector_seconds": collections.seconds,
        "garbage_collector_passes": collections.passes,
        "result": str(retval),
    }
    with open(os.environ["BENCH_WORKER_LOG"], "a") as log:
        log.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ]
    )
