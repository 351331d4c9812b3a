"""Benchmark of the Pivotal sync as users get it: a warm Celery worker against the emulator.

    python benchmarks/sync.py [--projects 20] [--stories 1000] [--runs 3] [--quick] [--latency-ms 0]

The emulator runs in its own process (as Pivotal would: its work does not compete with ours), the
project's Celery worker in another (`_worker.py`: prefork, production settings, DEBUG off, a Redis
broker, CELERY_BROKER_URL or redis://127.0.0.1:6379/13), this process creates the people and asks
for syncs the way "Sync now" does (`sync.services.queue.request_sync`), so each run goes through the
broker, the claim, the run record, heartbeats and progress. Each of the N runs (after one untimed
warm-up run) is, for a new person who sees every project:
- bare HTTP: the same pages fetched and decoded with plain `requests` (the floor);
- full sync: the first sync of the person, every story becoming a task, from the request to the
  run's end, worker start-up excluded (the worker is warm);
- nothing changed: the next sync (target: 1 request, ≤ 0.2 s).
Then, once: `manage.py sync_tasks` with nothing changed against `manage.py sync_tasks --help`
(interpreter and Django start-up); and N times the database's own floor: the same tasks and
assignments stored with plain COPY (PostgreSQL) or executemany (SQLite), nothing else. CPU seconds
of the worker, its PostgreSQL backend and the emulator (from /proc) tell working from waiting on a
busy machine. Prints medians, spreads, the ratio full / bare (target ≤ 1.3)
and the SQL statements of each sync (per page, constant whatever the data size), and BENCH rows
(see _measure.py). Fresh SQLite file by default; DATABASE_URL=postgres://… for PostgreSQL (the
benchmark makes its own database `bench_sync_…` there).
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from _measure import database_label, emit, note, process_cpu_seconds, ratio, summarise  # noqa: E402
from _server import PROJECT_DIR, SERVER_ENV, fresh_database, stop  # noqa: E402

PAGE_SIZE = 500
FULL_TARGET, IDLE_TARGET_S = 1.3, 0.2


def build_state(person, projects, stories):
    from integrations.providers.pivotal.emulator import EmulatorState

    state = EmulatorState()
    state.add_person(
        person.name,
        person.email,
        person.username,
        initials=person.initials,
        api_token=person.api_token,
        time_zone=person.time_zone,
        id=person.pivotal_id,
    )
    states = ["started", "unstarted", "finished", "delivered", "accepted", "unscheduled"]
    for number in range(projects):
        project = state.add_project(f"Project {number + 1:02d}")
        state.add_membership(person.pivotal_id, project.id, "owner")
        for story in range(stories):
            state.add_story(
                project.id,
                f"Story {story + 1} of project {number + 1}",
                "feature",
                states[story % len(states)],
                owner_ids=[person.pivotal_id],
                labels=["bench"],
                estimate=story % 4,
                record_activity=False,
            )
    return state


def serve_emulator(person, projects, stories, connection_end):
    """The emulator in its own process, as Pivotal would be: its work does not compete with ours."""
    from integrations.providers.pivotal.emulator import EmulatorServer

    with EmulatorServer(build_state(person, projects, stories)) as emulator:
        connection_end.send((emulator.base_url, [project.id for project in emulator.state.projects()]))
        connection_end.recv()  # until told to stop


def bare_fetch(base_url, token, project_ids):
    """The same pages, fetched and decoded with plain requests: the floor for the sync's time.
    Returns the decoded pages."""
    import requests

    session = requests.Session()
    session.headers["X-TrackerToken"] = token
    session.get(f"{base_url}/projects", timeout=30).json()
    pages = []
    for project_id in project_ids:
        offset = 0
        while True:
            response = session.get(
                f"{base_url}/projects/{project_id}/stories", params={"limit": PAGE_SIZE, "offset": offset}, timeout=30
            )
            pages.append(response.json())
            offset += PAGE_SIZE
            if offset >= int(response.headers["X-Tracker-Pagination-Total"]):
                break
    return pages


def bare_insert(pages, personal):
    """The database's own floor: the same tasks and assignments stored with plain COPY (PostgreSQL)
    or executemany (SQLite) in one transaction a page, ids reserved beforehand; no lookups, no
    upsert, values prepared untimed. Returns the seconds."""
    import json
    import uuid
    from datetime import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from tracking.models import Project

    company_id, membership_id = personal.membership.company_id, personal.membership_id
    external_ids = sorted({str(story["project_id"]) for page in pages for story in page})
    Project.objects.bulk_create(
        [
            Project(company_id=company_id, provider="pivotal", external_id=external_id, name=external_id)
            for external_id in external_ids
        ]
    )
    projects = dict(Project.objects.filter(company_id=company_id).values_list("external_id", "pk"))
    now, postgresql = timezone.now(), connection.vendor == "postgresql"

    def when(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment if postgresql else str(moment.replace(tzinfo=None))

    rows = [
        [
            (
                uuid.uuid4() if postgresql else uuid.uuid4().hex,
                company_id,
                "pivotal",
                str(story["id"]),
                projects[str(story["project_id"])],
                story["name"],
                story["url"],
                story["story_type"],
                story["current_state"],
                story.get("estimate"),
                json.dumps([label["name"] for label in story["labels"]]),
                when(story["created_at"]),
                when(story["updated_at"]),
                story["current_state"] != "accepted",
                False,
                now if postgresql else str(now.replace(tzinfo=None)),
                now if postgresql else str(now.replace(tzinfo=None)),
            )
            for story in page
        ]
        for page in pages
    ]
    columns = (
        "id, code, company_id, provider, external_id, project_id, title, url, kind, state, estimate, labels, "
        "external_created_at, external_updated_at, is_open, is_deleted_upstream, created_at, updated_at"
    )
    assignment = now if postgresql else str(now.replace(tzinfo=None))
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM tracking_task")
        next_id = cursor.fetchone()[0] + 1_000_000
    started = time.perf_counter()
    for page in rows:
        ids = range(next_id, next_id + len(page))
        next_id += len(page)
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            if postgresql:
                with raw.copy(f"COPY tracking_task ({columns}) FROM STDIN") as copy:
                    for task_id, row in zip(ids, page, strict=True):
                        copy.write_row((task_id, *row))
                with raw.copy(
                    "COPY tracking_taskassignment (task_id, membership_id, is_active, changed_at) FROM STDIN"
                ) as copy:
                    for task_id in ids:
                        copy.write_row((task_id, membership_id, True, assignment))
            else:
                marks = ", ".join(["?"] * 18)
                raw.executemany(
                    f"INSERT INTO tracking_task ({columns}) VALUES ({marks})",
                    [(task_id, *row) for task_id, row in zip(ids, page, strict=True)],
                )
                raw.executemany(
                    "INSERT INTO tracking_taskassignment (task_id, membership_id, is_active, changed_at) "
                    "VALUES (?, ?, ?, ?)",
                    [(task_id, membership_id, True, assignment) for task_id in ids],
                )
    seconds = time.perf_counter() - started
    if postgresql:  # the identity column's sequence goes past the ids used here
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('tracking_task', 'id'), %s)", [next_id])
    return seconds


class Worker:
    """The Celery worker process and the log of the tasks it ran (one JSON line each)."""

    def __init__(self, env):
        self.log = Path(tempfile.mkstemp(prefix="sync-bench-tasks-", suffix=".jsonl")[1])
        self.output = tempfile.TemporaryFile(prefix="sync-bench-worker-")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH_DIR / "_worker.py")],
            cwd=PROJECT_DIR,
            env={**env, "BENCH_WORKER_LOG": str(self.log)},
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        self.seen = 0

    def output_tail(self):
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-3000:]

    def records(self):
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def wait_for_task(self, timeout=600):
        """The record of the next task the worker finishes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            records = self.records() if self.log.stat().st_size else []
            if len(records) > self.seen:
                self.seen += 1
                return records[self.seen - 1]
            if self.process.poll() is not None:
                raise SystemExit(f"the Celery worker stopped (exit {self.process.returncode}):\n" + self.output_tail())
            time.sleep(0.002)
        raise SystemExit("the Celery worker did not finish the sync in time:\n" + self.output_tail())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up (default 3)")
    parser.add_argument("--quick", action="store_true", help="4 projects × 600 stories")
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="Answer every request this much later, like a distant service (default: none)",
    )
    args = parser.parse_args()
    if args.quick:
        args.projects, args.stories = 4, 600

    os.environ.update(SERVER_ENV)
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="sync-bench-"))
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
    fresh_database("sync")
    sys.path.insert(0, str(PROJECT_DIR))
    from integrations.providers.pivotal.emulator import DEMO_PEOPLE

    person = next(person for person in DEMO_PEOPLE if person.username == "olivia")
    print(f"Building {args.projects} projects × {args.stories} stories in the emulator…", flush=True)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve_emulator, args=(person, args.projects, args.stories, theirs)
    )
    server.start()
    base_url, project_ids = ours.recv()
    os.environ["PIVOTAL_API_URL"] = base_url

    import django

    django.setup()
    from django.core.management import call_command

    from timedoctor.celery import app

    call_command("migrate", verbosity=0)
    app.control.purge()
    worker = Worker(dict(os.environ))
    try:
        figures = measure(args, person, base_url, project_ids, worker, server.pid)
    finally:
        stop(worker.process)
        worker.log.unlink(missing_ok=True)
        ours.send("stop")
        server.join(timeout=30)
    report(args, figures)


def _or_dash(value):
    return "–" if value is None else f"{value:.2f}"


def measure(args, person, base_url, project_ids, worker, emulator_pid):
    import requests

    from sync.models import SyncRun
    from sync.services import queue
    from tracking.models import Task

    control = base_url.replace("/services/v5", "/__emulator__")
    if args.latency_ms:
        requests.post(
            f"{control}/faults",
            json={"kind": "delay", "seconds": args.latency_ms / 1000, "count": 1_000_000},
            timeout=10,
        )

    def requests_logged():
        return requests.get(f"{control}/requests", timeout=10).json()["requests"]

    def timed_sync(personal):
        requests.delete(f"{control}/requests", timeout=10)
        emulator_cpu = process_cpu_seconds(emulator_pid)
        started = time.perf_counter()
        assert queue.request_sync(personal, SyncRun.Trigger.MANUAL) == "queued"
        record = worker.wait_for_task()
        seconds = time.perf_counter() - started
        record["emulator_cpu_seconds"] = process_cpu_seconds(emulator_pid) - emulator_cpu
        run = personal.sync_runs.order_by("-started_at", "-id").first()
        assert record["result"] == "succeeded" and run.status == SyncRun.Status.SUCCEEDED, (record, run.error)
        return seconds, record, run, requests_logged()

    figures = {
        "bare": [],
        "full": [],
        "full_in_worker": [],
        "idle": [],
        "full_statements": [],
        "idle_statements": [],
        "pages": [],
        "idle_requests": [],
        "full_sql": [],
        "bare_cpu": [],
        "bare_emulator_cpu": [],
        "full_cpu": [],
        "full_database_cpu": [],
        "full_emulator_cpu": [],
    }
    expected = args.projects * args.stories
    for number in range(args.runs + 1):
        personal = new_person(person, base_url, number)
        emulator_cpu, cpu, started = process_cpu_seconds(emulator_pid), time.process_time(), time.perf_counter()
        fetched = bare_fetch(base_url, person.api_token, project_ids)
        bare = time.perf_counter() - started
        bare_cpu, bare_emulator_cpu = time.process_time() - cpu, process_cpu_seconds(emulator_pid) - emulator_cpu
        full, full_record, run, log = timed_sync(personal)
        tasks = Task.objects.filter(company_id=personal.membership.company_id).count()
        assert tasks == expected and run.created_count == expected, (tasks, run.created_count, expected)
        pages = sum(1 for entry in log if entry["path"].endswith("/stories"))
        idle, idle_record, _, idle_log = timed_sync(personal)
        label = "warm-up" if number == 0 else f"run {number}"
        print(
            f"{label:8}  bare {bare:.2f} s  full sync {full:.2f} s ({full_record['seconds']:.2f} s in the worker, "
            f"{full_record['statements']} statements, {full_record['sql_seconds']:.2f} s SQL, {pages} pages)  "
            f"nothing changed {idle:.3f} s ({len(idle_log)} request(s), {idle_record['statements']} statements)\n"
            f"          CPU s: bare {bare_cpu:.2f} + emulator {bare_emulator_cpu:.2f}; full sync "
            f"{full_record['cpu_seconds']:.2f} + database {_or_dash(full_record['database_cpu_seconds'])} "
            f"+ emulator {full_record['emulator_cpu_seconds']:.2f}; garbage collector "
            f"{full_record['garbage_collector_seconds']:.2f} s of the worker's",
            flush=True,
        )
        if number == 0:
            continue
        for key, value in [
            ("bare", bare),
            ("full", full),
            ("full_in_worker", full_record["seconds"]),
            ("idle", idle),
            ("full_statements", full_record["statements"]),
            ("idle_statements", idle_record["statements"]),
            ("pages", pages),
            ("idle_requests", len(idle_log)),
            ("full_sql", full_record["sql_seconds"]),
            ("bare_cpu", bare_cpu),
            ("bare_emulator_cpu", bare_emulator_cpu),
            ("full_cpu", full_record["cpu_seconds"]),
            ("full_database_cpu", full_record["database_cpu_seconds"] or 0.0),
            ("full_emulator_cpu", full_record["emulator_cpu_seconds"]),
        ]:
            figures[key].append(value)
    figures["database"] = database_label()
    if args.latency_ms:  # start-up and the database floor do not depend on the network
        return figures
    figures["command"], figures["startup"] = command_times(personal)
    figures["insert"] = [
        bare_insert(fetched, new_person(person, base_url, args.runs + 1 + number)) for number in range(args.runs)
    ]
    print("bare insert    " + "  ".join(f"{seconds:.2f} s" for seconds in figures["insert"]), flush=True)
    return figures


def new_person(person, base_url, number):
    """A company whose owner is `person`, Pivotal on with every project's stories as tasks; no
    sync is queued while it is set up (the benchmark asks for each one itself)."""
    from django.conf import settings

    from companies.services import create_company
    from integrations import services
    from integrations.models import TaskScope, UserIntegration
    from integrations.signals import sync_wanted
    from sync.receivers import queue_wanted_syncs

    settings.PIVOTAL_API_URL = base_url
    sync_wanted.disconnect(dispatch_uid="sync.queue_wanted_syncs")
    try:
        owner = create_company(
            name=f"Bench {number}",
            slug=f"bench-{number}-{os.getpid()}",
            time_zone="UTC",
            owner_name=person.name,
            owner_email=f"owner{number}@bench.example",
            owner_password="x" * 12,
        )
        outcome = services.enable_company_integration(
            owner.company, "pivotal", person.api_token, acting=owner, allow_mismatch=True
        )  # the script vouches for it
        services.change_task_scope(outcome.integration, TaskScope.PROJECTS_ALL, acting=owner)
    finally:
        sync_wanted.connect(queue_wanted_syncs, dispatch_uid="sync.queue_wanted_syncs")
    return UserIntegration.objects.select_related("company_integration", "membership__company").get(
        pk=outcome.personal.pk
    )


def command_times(personal):
    """`manage.py sync_tasks` with nothing changed, and the same command's start-up alone."""
    command = [sys.executable, "manage.py", "sync_tasks", "--company", personal.membership.company.slug]

    def timed(arguments):
        started = time.perf_counter()
        subprocess.run(arguments, cwd=PROJECT_DIR, env=dict(os.environ), check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    return timed(command), timed([*command, "--help"])


def report(args, figures):
    bare, full, idle = summarise(figures["bare"]), summarise(figures["full"]), summarise(figures["idle"])
    in_worker = summarise(figures["full_in_worker"])
    pages = figures["pages"][0]
    statements = max(figures["full_statements"])
    idle_statements = max(figures["idle_statements"])
    per_page = (statements - idle_statements) / pages
    full_ratio = ratio(full.median, bare.median)
    idle_requests = max(figures["idle_requests"])
    database = figures["database"]
    print(f"\ndatabase                      {database}; added latency {args.latency_ms} ms a request")
    print(
        f"stories → tasks               {args.projects} projects × {args.stories} = "
        f"{args.projects * args.stories:,}, {pages} pages"
    )
    print(f"bare HTTP, same pages         {bare}")
    print(f"full sync (warm worker)       {full}; {in_worker.median:.2f} s of it in the task")
    print(
        f"ratio full / bare             {full_ratio:.2f}  (target ≤ {FULL_TARGET}: "
        f"{'met' if full_ratio <= FULL_TARGET else 'NOT met'})"
    )
    print(
        f"SQL statements, full sync     {statements} ({per_page:.1f} a page + {idle_statements}); "
        f"{summarise(figures['full_sql']).median:.2f} s in SQL"
    )
    print(
        f"CPU seconds (medians)         bare fetch {summarise(figures['bare_cpu']).median:.2f} + emulator "
        f"{summarise(figures['bare_emulator_cpu']).median:.2f}; full sync {summarise(figures['full_cpu']).median:.2f}"
        f" + database server {summarise(figures['full_database_cpu']).median:.2f} + emulator "
        f"{summarise(figures['full_emulator_cpu']).median:.2f}"
    )
    print(
        f"nothing changed               {idle}, {idle_requests} request(s), {idle_statements} statements "
        f"(target 1 request, ≤ {IDLE_TARGET_S} s)"
    )
    if not args.latency_ms:
        print(
            f"sync_tasks, nothing changed   {figures['command']:.2f} s, of which start-up "
            f"(sync_tasks --help) {figures['startup']:.2f} s"
        )
    latency = f", {args.latency_ms} ms added a request" if args.latency_ms else ""
    emit(
        "sync",
        {
            "measure": f"full sync, {args.projects} × {args.stories:,} stories ({pages} pages){latency}",
            "database": database,
            "ours_s": full.median,
            "baseline_s": bare.median,
            "ratio": full_ratio,
            "target": f"≤ {FULL_TARGET}",
            "met": full_ratio <= FULL_TARGET,
            "spread": full.spread,
            "baseline_spread": bare.spread,
            "runs": full.runs,
            "requests": pages + 1,
            "statements": f"{statements} ({per_page:.1f}/page + {idle_statements})",
        },
    )
    emit(
        "sync",
        {
            "measure": f"nothing changed{latency}",
            "database": database,
            "ours_s": idle.median,
            "target": f"≤ {IDLE_TARGET_S} s, 1 request",
            "met": idle.median <= IDLE_TARGET_S and idle_requests == 1,
            "spread": idle.spread,
            "runs": idle.runs,
            "requests": idle_requests,
            "statements": idle_statements,
        },
    )
    if args.latency_ms:
        return
    emit(
        "sync",
        {
            "measure": "`manage.py sync_tasks`, nothing changed (baseline: its start-up)",
            "database": database,
            "ours_s": figures["command"],
            "baseline_s": figures["startup"],
            "runs": 1,
            "requests": idle_requests,
        },
    )
    insert = summarise(figures["insert"])
    print(f"database floor (bare insert)  {insert}; floor / bare HTTP {ratio(insert.median, bare.median):.2f}")
    emit(
        "sync",
        {
            "measure": f"database alone: the same {args.projects * args.stories:,} tasks and assignments "
            "stored with plain COPY / executemany (baseline: bare HTTP)",
            "database": database,
            "ours_s": insert.median,
            "baseline_s": bare.median,
            "ratio": ratio(insert.median, bare.median),
            "spread": insert.spread,
            "runs": insert.runs,
        },
    )
    note(
        "sync",
        "Full sync and nothing changed: from the request (`request_sync`, as “Sync now” does) to the "
        "end of the run in a warm Celery worker (prefork, DEBUG off, Redis broker), run bookkeeping "
        "included. Baseline: the same pages fetched and decoded with bare `requests`, in the same "
        "run. Statements: per page plus the fixed part, the same whatever the data size.",
    )
    medians = {
        key: summarise(figures[key]).median
        for key in ("bare_cpu", "bare_emulator_cpu", "full_cpu", "full_database_cpu", "full_emulator_cpu")
    }
    backend = medians["full_database_cpu"]
    database_cpu = f" + its PostgreSQL backend {backend:.2f}" if backend else ""
    note(
        "sync",
        f"CPU seconds, {database} (medians, from /proc): bare fetch {medians['bare_cpu']:.2f} + emulator "
        f"{medians['bare_emulator_cpu']:.2f}; full sync: worker {medians['full_cpu']:.2f}{database_cpu} + "
        f"emulator {medians['full_emulator_cpu']:.2f}.",
    )


if __name__ == "__main__":
    main()
