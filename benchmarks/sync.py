"""Benchmark of the Pivotal sync against the emulator.

    python benchmarks/sync.py [--projects 20] [--stories 1000]

Prints: the full sync time of one person who sees every project (every story becomes a task), the
time to fetch the same pages with bare HTTP and their ratio (target ≤ 1.5), the HTTP requests of an
incremental sync with nothing changed (target: at most one per project) and SQL statements per page.
Uses a fresh SQLite file by default; set DATABASE_URL to measure on PostgreSQL.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timedoctor.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="sync-bench-"))
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from _measure import StatementCounter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from companies.services import create_company  # noqa: E402
from integrations import services  # noqa: E402
from integrations.models import TaskScope  # noqa: E402
from integrations.providers.pivotal.emulator import DEMO_PEOPLE, EmulatorServer, EmulatorState  # noqa: E402
from sync.services.engine import sync_user_tasks  # noqa: E402
from tracking.models import Task  # noqa: E402

OLIVIA = next(person for person in DEMO_PEOPLE if person.username == "olivia")
PAGE_SIZE = 500


def build_state(projects, stories):
    state = EmulatorState()
    state.add_person(OLIVIA.name, OLIVIA.email, OLIVIA.username, initials=OLIVIA.initials,
                     api_token=OLIVIA.api_token, time_zone=OLIVIA.time_zone, id=OLIVIA.pivotal_id)
    states = ["started", "unstarted", "finished", "delivered", "accepted", "unscheduled"]
    for number in range(projects):
        project = state.add_project(f"Project {number + 1:02d}")
        state.add_membership(OLIVIA.pivotal_id, project.id, "owner")
        for story in range(stories):
            state.add_story(project.id, f"Story {story + 1} of project {number + 1}", "feature",
                            states[story % len(states)], owner_ids=[OLIVIA.pivotal_id], labels=["bench"],
                            estimate=story % 4, record_activity=False)
    return state


def serve_emulator(projects, stories, connection_end):
    """The emulator in its own process, as Pivotal would be: its work does not compete with ours."""
    with EmulatorServer(build_state(projects, stories)) as emulator:
        connection_end.send((emulator.base_url, [project.id for project in emulator.state.projects()]))
        connection_end.recv()  # until told to stop


def bare_fetch(base_url, project_ids):
    """The same pages, fetched and decoded with plain requests: the floor for the sync's time."""
    session = requests.Session()
    session.headers["X-TrackerToken"] = OLIVIA.api_token
    session.get(f"{base_url}/projects", timeout=30).json()
    for project_id in project_ids:
        offset = 0
        while True:
            response = session.get(f"{base_url}/projects/{project_id}/stories",
                                   params={"limit": PAGE_SIZE, "offset": offset}, timeout=30)
            response.json()
            offset += PAGE_SIZE
            if offset >= int(response.headers["X-Tracker-Pagination-Total"]):
                break


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=0,
                        help="Answer every request this much later, like a distant service (default: none)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"Building {args.projects} projects × {args.stories} stories in the emulator…", flush=True)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve_emulator,
                                                         args=(args.projects, args.stories, theirs))
    server.start()
    base_url, project_ids = ours.recv()
    control = base_url.replace("/services/v5", "/__emulator__")
    if args.latency_ms:
        requests.post(f"{control}/faults", json={"kind": "delay", "seconds": args.latency_ms / 1000,
                                                  "count": 1_000_000}, timeout=10)
    try:
        settings.PIVOTAL_API_URL = base_url
        owner = create_company(name="Bench Corp", slug=f"bench-{int(time.time())}", time_zone="UTC",
                               owner_name=OLIVIA.name, owner_email=f"{time.time()}@bench.example",
                               owner_password="x" * 12)
        outcome = services.enable_company_integration(owner.company, "pivotal", OLIVIA.api_token, acting=owner,
                                                      allow_mismatch=True)  # the script vouches for it
        services.change_task_scope(outcome.integration, TaskScope.PROJECTS_ALL, acting=owner)
        personal = type(outcome.personal).objects.select_related(
            "company_integration", "membership__company").get(pk=outcome.personal.pk)

        started = time.perf_counter()
        bare_fetch(base_url, project_ids)
        bare_seconds = time.perf_counter() - started

        requests.delete(f"{control}/requests", timeout=10)
        statements = StatementCounter()
        with connection.execute_wrapper(statements):
            started = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile

                profile = cProfile.Profile()
                counts = profile.runcall(sync_user_tasks, personal)
                profile.dump_stats(os.environ["BENCH_PROFILE"])
            else:
                counts = sync_user_tasks(personal)
            full_seconds = time.perf_counter() - started
        log = requests.get(f"{control}/requests", timeout=10).json()["requests"]
        pages = sum(1 for entry in log if entry["path"].endswith("/stories"))
        statements_per_page = statements.count / pages

        requests.delete(f"{control}/requests", timeout=10)
        with CaptureQueriesContext(connection) as idle_queries:
            sync_user_tasks(personal)
        idle_requests = len(requests.get(f"{control}/requests", timeout=10).json()["requests"])
        idle_writes = sum(1 for query in idle_queries.captured_queries
                          if query["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE"))
    finally:
        ours.send("stop")
        server.join(timeout=30)

    tasks = Task.objects.filter(company=owner.company).count()
    ratio = full_seconds / bare_seconds
    print(f"database                      {connection.vendor}; added latency {args.latency_ms} ms a request")
    print(f"stories → tasks               {args.projects * args.stories} → {tasks} (created {counts.created})")
    print(f"full sync                     {full_seconds:.2f} s  ({pages} pages, {counts.requests} requests)")
    print(f"bare HTTP, same pages         {bare_seconds:.2f} s")
    print(f"ratio sync / bare HTTP        {ratio:.2f}  (target ≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"SQL statements per page       {statements_per_page:.1f}  (constant whatever the page size)")
    print(f"time in SQL during full sync  {statements.seconds:.2f} s")
    print(f"incremental, nothing changed  {idle_requests} HTTP request(s) for {args.projects} projects "
          f"(target ≤ {args.projects}), {idle_writes} task writes")


if __name__ == "__main__":
    main()
