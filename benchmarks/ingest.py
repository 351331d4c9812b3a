"""Benchmark of offline-time uploads through the desktop API, against a peer and the bare database.

    python benchmarks/ingest.py [--entries 100000] [--batch 500] [--clients 4] [--runs 3] [--quick]
                                [--workers 2] [--profile]

What a user gets: gunicorn with DEBUG off, several desktop apps (one person each) uploading at
once, entries on tasks assigned to them (so the task checks run), a share of entries overlapping
the one before (rejected `overlap`) and a share re-sent from the previous batch (a retry after a
lost answer: `exists`). Every answer is checked against the verdicts the workload implies.

In the same run, with the same entries, batches and concurrency:
- the peer: TimeTagger (PyPI `timetagger`, installed into var/bench/timetagger-venv on first use),
  its own server on a free port, the entries PUT to /api/v2/records with a webtoken from its
  username/password login;
- the bare database: the same rows into the same table by `INSERT … ON CONFLICT DO NOTHING` from
  Python without Django (executemany and one multi-row VALUES; on PostgreSQL also unnest and
  COPY into a staging table), one transaction a batch.

Prints the median and spread (min–max) of entries per second over --runs runs, the ratios
ours / peer and ours / bare, then (in-process) the SQL statements one batch costs at several batch
sizes (they must not grow with the batch size) and `BENCH {json}` rows for `make bench`.
--profile instead runs the upload view in-process under cProfile and prints where the time goes.
A fresh SQLite file by default; with DATABASE_URL a scratch PostgreSQL database bench_ingest_….
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import StatementCounter, database_label, emit, note, ratio, summarise  # noqa: E402
from _server import PROJECT_DIR, free_port, setup_django, start_gunicorn, stop  # noqa: E402

PEER_VENV = PROJECT_DIR / "var" / "bench" / "timetagger-venv"
PEER_REQUIREMENT = "timetagger>=26.1,<27"
# Entries end before this instant, 10 minutes each in 12-minute slots, in time order per person.
ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)
SLOT, LENGTH = timedelta(minutes=12), timedelta(minutes=10)
OVERLAP_EVERY = 20  # every 20th new entry starts 7 minutes early, inside the one before: 5 %
TASKS_PER_PERSON = 20
NO_TASK_EVERY = 10  # every 10th entry is on no task


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000, help="entries sent in all, replays included")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4, help="desktop apps uploading at once, one person each")
    parser.add_argument("--replays", type=float, default=0.1, help="share of each batch re-sent from the last")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 4,000 entries in batches of 200")
    parser.add_argument("--no-peer", action="store_true", help="skip TimeTagger")
    parser.add_argument("--profile", action="store_true", help="cProfile the view in-process, nothing else")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.batch = 4_000, 200
    return args


ARGS = parse_args()
setup_django("ingest-bench-", database="ingest")

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from companies.services import add_member, create_company  # noqa: E402
from tracking.models import Project, Task, TaskAssignment, TimeEntry  # noqa: E402
from tracking.services.app_tokens import create_app_token  # noqa: E402

# --- The workload ------------------------------------------------------------------------------


class Person:
    """One desktop app's person: their membership, token, tasks and the batches they send."""

    def __init__(self, company, number, quota, batch, replay_share):
        self.membership = add_member(
            company, email=f"person-{number}@ingest.example", role="user", full_name=f"Person {number}", password=None
        )
        self.token = create_app_token(self.membership, "bench")[1]
        project = Project.objects.create(
            company=company, provider="pivotal", external_id=f"p{number}", name=f"Project {number}"
        )
        self.tasks = [
            Task.objects.create(
                company=company,
                provider="pivotal",
                external_id=f"{number}-{n}",
                project=project,
                title=f"Story {n}",
                state="started",
                is_open=True,
            )
            for n in range(TASKS_PER_PERSON)
        ]
        TaskAssignment.objects.bulk_create(
            TaskAssignment(task=task, membership=self.membership, is_active=True) for task in self.tasks
        )
        self.batches, self.expected = _batches(quota, batch, replay_share, [str(t.code) for t in self.tasks])


def _batches(quota, batch, replay_share, task_codes):
    """The batches, in order: new entries in time order; every batch after the first starts by
    re-sending the last entries of the one before. Returns (batches, expected totals)."""
    replays = round(batch * replay_share)
    verdicts, batches, sent, number = {}, [], 0, 0
    first_start = ORIGIN - SLOT * (quota + 1)  # at most `quota` new entries
    previous = []
    while sent < quota:
        size = min(batch, quota - sent)
        items = previous[-replays:] if previous and replays else []
        items = items[:size]
        while len(items) < size:
            items.append(_entry(number, first_start, task_codes))
            verdicts[items[-1]["client_id"]] = "rejected" if number % OVERLAP_EVERY == OVERLAP_EVERY - 1 else "created"
            number += 1
        batches.append(items)
        previous, sent = items, sent + size
    expected = {"created": 0, "exists": 0, "rejected": 0}
    seen = set()
    for items in batches:
        for entry in items:
            verdict = verdicts[entry["client_id"]]
            if entry["client_id"] in seen and verdict == "created":
                verdict = "exists"
            seen.add(entry["client_id"])
            expected[verdict] += 1
    return batches, expected


def _entry(number, first_start, task_codes):
    started = first_start + SLOT * number
    if number % OVERLAP_EVERY == OVERLAP_EVERY - 1:
        started -= timedelta(minutes=7)  # the one before ends 2 minutes into its slot's gap
    task = None if number % NO_TASK_EVERY == 3 or not task_codes else task_codes[number % len(task_codes)]
    return {
        "client_id": str(uuid.UUID(int=number + 1)),
        "task": task,
        "started_at": started.isoformat(),
        "ended_at": (started + LENGTH).isoformat(),
        "note": f"Review #{number}" if number % 4 == 0 else "",
    }


def make_people(count, entries, batch, replay_share):
    stamp = int(time.time())
    owner = create_company(
        name="Ingest Corp",
        slug=f"ingest-{stamp}",
        time_zone="UTC",
        owner_name="Owner",
        owner_email=f"owner-{stamp}@ingest.example",
        owner_password="x" * 12,
    )
    quotas = [entries // count + (1 if n < entries % count else 0) for n in range(count)]
    return [Person(owner.company, n, quota, batch, replay_share) for n, quota in enumerate(quotas)]


def forget_entries(people):
    """Empties the table between runs, so that every run writes into the same table."""
    TimeEntry.objects.filter(membership__in=[person.membership for person in people]).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tracking_timeentry")


def concurrently(people, send):
    """Runs `send(person)` for every person at once; the seconds until the last one is done."""
    errors = []

    def run(person):
        try:
            send(person)
        except BaseException as error:  # re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


# --- Ours ---------------------------------------------------------------------------------------


def upload_ours(base_url, people, bodies):
    url = f"{base_url}/api/v1/time-entries/batch/"

    def send(person):
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {person.token}", "Content-Type": "application/json"})
        totals = {"created": 0, "exists": 0, "rejected": 0}
        for body in bodies[person.membership.pk]:
            response = session.post(url, data=body, timeout=120)
            response.raise_for_status()
            answer = response.json()
            for key in totals:
                totals[key] += answer[key]
        assert totals == person.expected, (totals, person.expected)

    return concurrently(people, send)


def warm_up(base_url, company, workers):
    """Every gunicorn worker serves an upload once before the clock starts."""
    member = add_member(company, email="warm-up@ingest.example", role="user", full_name="Warm", password=None)
    token = create_app_token(member, "warm-up")[1]
    for number in range(workers * 3):
        entry = _entry(number, ORIGIN - timedelta(days=3000), [])
        requests.post(
            f"{base_url}/api/v1/time-entries/batch/",
            json={"entries": [entry]},
            timeout=60,
            headers={"Authorization": f"Bearer {token}"},
        ).raise_for_status()


# --- The peer: TimeTagger -----------------------------------------------------------------------


def peer_python():
    """TimeTagger's interpreter, its virtual environment made and filled on first use."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    if subprocess.run([python, "-c", "import timetagger"], capture_output=True).returncode:
        subprocess.run([python, "-m", "pip", "install", "--quiet", PEER_REQUIREMENT], check=True)
    return python


class Peer:
    """A TimeTagger server (its default: one uvicorn process, a SQLite file per user) with a
    username/password login for each benchmark user."""

    PASSWORD = "benchmark-password"

    def __init__(self, usernames):
        python = peer_python()
        script = f"import bcrypt; print(bcrypt.hashpw({self.PASSWORD!r}.encode(), bcrypt.gensalt(4)).decode())"
        hashed = subprocess.run([python, "-c", script], check=True, capture_output=True, text=True).stdout.strip()
        self.version = (
            subprocess.run([python, "-m", "timetagger", "--version"], capture_output=True, text=True)
            .stdout.split("\n")[0]
            .strip()
        )
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}/timetagger/api/v2"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "TIMETAGGER_BIND": f"127.0.0.1:{port}",
            "TIMETAGGER_DATADIR": tempfile.mkdtemp(prefix="ingest-bench-timetagger-"),
            "TIMETAGGER_LOG_LEVEL": "warning",
            "TIMETAGGER_CREDENTIALS": ",".join(f"{name}:{hashed}" for name in usernames),
        }
        self.process = subprocess.Popen(
            [python, "-m", "timetagger"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.base_url.replace("api/v2", "status"), timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit("TimeTagger did not start: " + self.process.stderr.read().decode()[-2000:])

    def webtoken(self, username):
        login = {"method": "usernamepassword", "username": username, "password": self.PASSWORD}
        response = requests.post(
            f"{self.base_url}/bootstrap_authentication", data=base64.b64encode(json.dumps(login).encode()), timeout=30
        )
        response.raise_for_status()
        return response.json()["token"]

    def upload(self, people, bodies, run):
        tokens = {person.membership.pk: self.webtoken(f"run{run}-person{index}") for index, person in enumerate(people)}

        def send(person):
            session = requests.Session()
            session.headers.update({"authtoken": tokens[person.membership.pk], "Content-Type": "application/json"})
            for body, count in bodies[person.membership.pk]:
                response = session.put(f"{self.base_url}/records", data=body, timeout=120)
                response.raise_for_status()
                answer = response.json()
                assert len(answer["accepted"]) == count and not answer["failed"], answer["errors"][:3]

        return concurrently(people, send)

    def close(self):
        stop(self.process)


def peer_bodies(people):
    """The same entries as TimeTagger records: key, modified time, start and end, description."""
    modified = int(time.time())

    def record(entry):
        description = " ".join(part for part in (entry["note"], f"#{entry['task']}" if entry["task"] else "") if part)
        return {
            "key": entry["client_id"],
            "mt": modified,
            "ds": description,
            "t1": int(datetime.fromisoformat(entry["started_at"]).timestamp()),
            "t2": int(datetime.fromisoformat(entry["ended_at"]).timestamp()),
        }

    return {
        person.membership.pk: [
            (json.dumps([record(entry) for entry in batch]).encode(), len(batch)) for batch in person.batches
        ]
        for person in people
    }


# --- The bare database --------------------------------------------------------------------------

COLUMNS = (
    "code",
    "company_id",
    "membership_id",
    "task_id",
    "started_at",
    "ended_at",
    "source",
    "client_id",
    "note",
    "created_at",
    "updated_at",
    "deleted_at",
    "deleted_by_id",
)


def bare_rows(person):
    """The batches as table rows, built before the clock starts (the database's own speed)."""
    task_ids = {str(task.code): task.pk for task in person.tasks}
    membership = person.membership
    now = datetime.now(UTC)
    sqlite = connection.vendor == "sqlite"

    def instant(text):
        value = datetime.fromisoformat(text).astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(" ") if sqlite else value

    def row(entry):
        code, client_id = uuid.uuid4(), uuid.UUID(entry["client_id"])
        stamp = instant(now.isoformat())
        return (
            code.hex if sqlite else code,
            membership.company_id,
            membership.pk,
            task_ids.get(entry["task"]) if entry["task"] else None,
            instant(entry["started_at"]),
            instant(entry["ended_at"]),
            "desktop",
            client_id.hex if sqlite else client_id,
            entry["note"],
            stamp,
            stamp,
            None,
            None,
        )

    return [[row(entry) for entry in batch] for batch in person.batches]


INSERT = f"INSERT INTO tracking_timeentry ({', '.join(COLUMNS)}) VALUES "
PLACEHOLDERS = "(" + ", ".join(["?"] * len(COLUMNS)) + ")"
PG_PLACEHOLDERS = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
PG_TYPES = (
    "uuid",
    "bigint",
    "bigint",
    "bigint",
    "timestamptz",
    "timestamptz",
    "text",
    "uuid",
    "text",
    "timestamptz",
    "timestamptz",
    "timestamptz",
    "bigint",
)


def sqlite_variants():
    import sqlite3

    def connect():
        options = settings.DATABASES["default"].get("OPTIONS", {})
        database = sqlite3.connect(
            settings.DATABASES["default"]["NAME"],
            timeout=options.get("timeout", 5),
            isolation_level=None,
            check_same_thread=False,
        )
        database.executescript(options.get("init_command", ""))  # the app's pragmas (journal mode, …)
        return database

    def executemany(database, rows):
        database.execute("BEGIN IMMEDIATE")
        database.executemany(INSERT + PLACEHOLDERS + " ON CONFLICT DO NOTHING", rows)
        database.execute("COMMIT")

    def values(database, rows):
        database.execute("BEGIN IMMEDIATE")
        database.execute(
            INSERT + ", ".join([PLACEHOLDERS] * len(rows)) + " ON CONFLICT DO NOTHING",
            [value for row in rows for value in row],
        )
        database.execute("COMMIT")

    return connect, {"executemany": executemany, "VALUES": values}


def postgresql_variants():
    import psycopg

    def connect():
        database = psycopg.connect(os.environ["DATABASE_URL"])
        database.execute(
            f"CREATE TEMP TABLE staging ON COMMIT DELETE ROWS AS SELECT {', '.join(COLUMNS)} "
            "FROM tracking_timeentry WITH NO DATA"
        )
        database.commit()
        return database

    def executemany(database, rows):
        with database.transaction(), database.cursor() as cursor:
            cursor.executemany(INSERT + PG_PLACEHOLDERS + " ON CONFLICT DO NOTHING", rows)

    def values(database, rows):
        with database.transaction():
            database.execute(
                INSERT + ", ".join([PG_PLACEHOLDERS] * len(rows)) + " ON CONFLICT DO NOTHING",
                [value for row in rows for value in row],
            )

    def unnest(database, rows):
        arrays = ", ".join(f"%s::{kind}[]" for kind in PG_TYPES)
        with database.transaction():
            database.execute(
                f"INSERT INTO tracking_timeentry ({', '.join(COLUMNS)}) SELECT * FROM unnest({arrays}) "
                "ON CONFLICT DO NOTHING",
                [list(column) for column in zip(*rows, strict=True)],
            )

    def copy(database, rows):
        with database.transaction(), database.cursor() as cursor:
            with cursor.copy(f"COPY staging ({', '.join(COLUMNS)}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(row)
            cursor.execute(
                f"INSERT INTO tracking_timeentry ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
                "FROM staging ON CONFLICT DO NOTHING"
            )

    return connect, {"executemany": executemany, "VALUES": values, "unnest": unnest, "COPY": copy}


def insert_bare(people, rows, connect, write):
    connections = {person.membership.pk: connect() for person in people}
    try:
        return concurrently(
            people,
            lambda person: [write(connections[person.membership.pk], batch) for batch in rows[person.membership.pk]],
        )
    finally:
        for database in connections.values():
            database.close()


# --- SQL statements a batch, and the profile (in-process) ---------------------------------------


def statements_per_batch(company, sizes):
    person = Person(company, "statements", sum(sizes), max(sizes), 0)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {person.token}")
    client.get("/api/v1/me/")  # the token's first use records its last-used time once
    entries = [entry for batch in person.batches for entry in batch]
    figures, offset = {}, 0
    for size in sizes:
        counter = StatementCounter()
        with connection.execute_wrapper(counter):
            response = client.post(
                "/api/v1/time-entries/batch/",
                {"entries": entries[offset : offset + size]},
                content_type="application/json",
            )
        assert response.status_code == 200 and response.json()["results"], response.content[:300]
        figures[size], offset = counter.count, offset + size
    return figures


class StatementsByKind:
    """Seconds spent in each kind of statement (its first 110 characters)."""

    def __init__(self):
        self.seconds = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = sql[:110]
            self.seconds[kind] = self.seconds.get(kind, 0) + time.perf_counter() - started


def profile(people):
    import cProfile
    import pstats

    person = people[0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {person.token}")
    bodies = [json.dumps({"entries": batch}) for batch in person.batches]
    client.post("/api/v1/time-entries/batch/", bodies[0], content_type="application/json")
    started = time.perf_counter()
    statements = StatementsByKind()
    with connection.execute_wrapper(statements):
        for body in bodies[1 : len(bodies) // 2]:
            client.post("/api/v1/time-entries/batch/", body, content_type="application/json")
    seconds = time.perf_counter() - started
    count = sum(len(batch) for batch in person.batches[1 : len(bodies) // 2])
    print(f"in-process, one person, {count:,} entries: {count / seconds:,.0f} entries/s; SQL by statement:")
    for sql, spent in sorted(statements.seconds.items(), key=lambda pair: -pair[1]):
        print(f"  {spent:7.3f} s  {sql}")
    profiler = cProfile.Profile()
    profiler.enable()
    for body in bodies[len(bodies) // 2 :]:
        client.post("/api/v1/time-entries/batch/", body, content_type="application/json")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


# --- Main ---------------------------------------------------------------------------------------


def main():
    args = ARGS
    people = make_people(args.clients, args.entries, args.batch, args.replays)
    company = people[0].membership.company
    total = sum(len(batch) for person in people for batch in person.batches)
    expected = {key: sum(person.expected[key] for person in people) for key in ("created", "exists", "rejected")}
    if args.profile:
        return profile(people)
    bodies = {
        person.membership.pk: [json.dumps({"entries": batch}).encode() for batch in person.batches] for person in people
    }
    connect, variants = postgresql_variants() if connection.vendor == "postgresql" else sqlite_variants()
    rows = {person.membership.pk: bare_rows(person) for person in people}
    peer = (
        None if args.no_peer else Peer([f"run{run}-person{n}" for run in range(args.runs) for n in range(len(people))])
    )
    connection.close()
    server, base_url = start_gunicorn(args.workers)
    rates = {"ours": [], "peer": [], **{name: [] for name in variants}}
    try:
        warm_up(base_url, company, args.workers)
        for run in range(args.runs):
            forget_entries(people)
            rates["ours"].append(total / upload_ours(base_url, people, bodies))
            if peer is not None:
                rates["peer"].append(total / peer.upload(people, peer_bodies(people), run))
            for name, write in variants.items():
                forget_entries(people)
                rates[name].append(total / insert_bare(people, rows, connect, write))
            print(
                f"run {run + 1}: "
                + ", ".join(f"{name} {values[-1]:,.0f}/s" for name, values in rates.items() if values),
                flush=True,
            )
        replay = replay_last_batch(base_url, people[0])
    finally:
        stop(server)
        if peer is not None:
            peer.close()
    statements = statements_per_batch(company, [10, 100, 500, 1000])
    report(args, total, expected, rates, replay, statements, peer)


def replay_last_batch(base_url, person):
    started = time.perf_counter()
    response = requests.post(
        f"{base_url}/api/v1/time-entries/batch/",
        data=json.dumps({"entries": person.batches[-1]}),
        headers={"Authorization": f"Bearer {person.token}", "Content-Type": "application/json"},
        timeout=120,
    )
    response.raise_for_status()
    return response.json(), time.perf_counter() - started


def report(args, total, expected, rates, replay, statements, peer):
    label = database_label()
    summaries = {name: summarise(values) for name, values in rates.items() if values}
    ours = summaries["ours"]
    postgresql = connection.vendor == "postgresql"
    print(f"\ndatabase                {label}; gunicorn with {args.workers} workers, {args.clients} clients at once")
    print(
        f"workload                {total:,} entries in batches of {args.batch}: {expected['created']:,} new, "
        f"{expected['exists']:,} re-sent (exists), {expected['rejected']:,} overlapping (rejected)"
    )
    print("entries per second      median (min–max of the runs)")
    for name, summary in summaries.items():
        title = {"ours": "ours", "peer": peer.version if peer else "peer"}.get(name, f"bare {name}")
        print(f"  {title:<22}{summary}")
    answer, seconds = replay
    print(
        f"replaying a batch       {answer['exists']} of {len(replay[0]['results'])} exist, "
        f"{answer['created']} created, in {seconds * 1000:.0f} ms"
    )
    print("SQL statements a batch  " + ", ".join(f"{size} entries: {count}" for size, count in statements.items()))
    rows = []
    if "peer" in summaries:
        target = 2 if postgresql else 1.5
        value = ratio(ours.median, summaries["peer"].median)
        rows.append(("TimeTagger (peer)", summaries["peer"], value, f"≥ {target}", value >= target))
    bare = [name for name in summaries if name not in ("ours", "peer")]
    # The target is against the fastest INSERT … ON CONFLICT of the same run (COPY is shown, not targeted).
    fastest = max((name for name in bare if name != "COPY"), key=lambda name: summaries[name].median)
    for name in bare:
        value = ratio(ours.median, summaries[name].median)
        targeted = postgresql and name == fastest
        rows.append(
            (
                f"bare {'COPY' if name == 'COPY' else 'INSERT'} ({name})",
                summaries[name],
                value,
                "≥ 0.5" if targeted else None,
                value >= 0.5 if targeted else None,
            )
        )
    print("ratios (entries/s)      " + ", ".join(f"ours / {name}: {value:.2f}" for name, _, value, _, _ in rows))
    for name, summary, value, target, met in rows:
        emit(
            "ingest",
            {
                "measure": f"ours / {name}",
                "database": label,
                "ours_per_s": ours.median,
                "baseline_per_s": summary.median,
                "ratio": value,
                "target": target,
                "met": met,
                "spread": ours.spread,
                "runs": ours.runs,
            },
        )
    note(
        "ingest",
        f"{label}: {total:,} entries in batches of {args.batch} from {args.clients} clients at once "
        f"({expected['exists']:,} re-sent, {expected['rejected']:,} overlapping), gunicorn with "
        f"{args.workers} workers; SQL statements a batch of 10 / 100 / 500 / 1,000 entries: "
        + " / ".join(str(count) for count in statements.values()),
    )


if __name__ == "__main__":
    main()
