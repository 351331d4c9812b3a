"""Benchmark of offline-time uploads through the desktop API on a running gunicorn server.

    python benchmarks/ingest.py [--entries 100000] [--batch 500] [--workers 2]

Uploads the entries in batches through HTTP (requests → gunicorn → Django) and prints entries per
second; then, in-process, the SQL statements one batch costs at several batch sizes (they must not
grow with the batch size). A fresh SQLite file by default; set DATABASE_URL for PostgreSQL.
"""

import argparse
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import StatementCounter  # noqa: E402
from _server import setup_django, start_gunicorn, stop  # noqa: E402

setup_django("ingest-bench-")

import requests  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from companies.services import add_member, create_company  # noqa: E402
from tracking.services.app_tokens import create_app_token  # noqa: E402

# Entries go back from here, 10 minutes each with a 2-minute gap: 100,000 of them span ~2.3 years.
ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)


def entries(count, offset=0):
    for number in range(offset, offset + count):
        started = ORIGIN - timedelta(minutes=12 * (number + 1))
        yield {"client_id": str(uuid.uuid4()), "task": None, "started_at": started.isoformat(),
               "ended_at": (started + timedelta(minutes=10)).isoformat(), "note": ""}


def statements_per_batch(raw_token, sizes, offset):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    figures = {}
    for size in sizes:
        counter = StatementCounter()
        batch = list(entries(size, offset))
        offset += size
        with connection.execute_wrapper(counter):
            response = client.post("/api/v1/time-entries/batch/", {"entries": batch}, content_type="application/json")
        assert response.status_code == 200 and response.json()["created"] == size, response.content[:300]
        figures[size] = counter.count
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    owner = create_company(name="Ingest Corp", slug=f"ingest-{int(time.time())}", time_zone="UTC",
                           owner_name="Owner", owner_email=f"owner-{time.time()}@ingest.example",
                           owner_password="x" * 12)
    member = add_member(owner.company, email=f"worker-{time.time()}@ingest.example", role="user", full_name="W",
                        password="x" * 12)
    _, raw = create_app_token(member, "bench")
    server, base_url = start_gunicorn(args.workers)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {raw}"
    url = f"{base_url}/api/v1/time-entries/batch/"
    try:
        created, started = 0, time.perf_counter()
        for offset in range(0, args.entries, args.batch):
            batch = list(entries(min(args.batch, args.entries - offset), offset))
            response = session.post(url, json={"entries": batch}, timeout=120)
            response.raise_for_status()
            created += response.json()["created"]
        seconds = time.perf_counter() - started
        replay_started = time.perf_counter()
        replay = session.post(url, json={"entries": batch}, timeout=120).json()
        replay_seconds = time.perf_counter() - replay_started
    finally:
        stop(server)
    statements = statements_per_batch(raw, [10, 100, 500, 1000], args.entries + 10)
    print(f"database                {connection.vendor}; gunicorn with {args.workers} workers")
    print(f"uploaded                {created:,} entries in batches of {args.batch} in {seconds:.1f} s")
    print(f"throughput              {created / seconds:,.0f} entries per second")
    print(f"replaying the last batch {replay['exists']} already had, 0 created, in {replay_seconds * 1000:.0f} ms")
    print("SQL statements a batch  " + ", ".join(f"{size} entries: {count}" for size, count in statements.items()))


if __name__ == "__main__":
    main()
