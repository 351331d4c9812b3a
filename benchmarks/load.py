"""Constant-rate load on the busiest endpoints: the desktop app's task poll and its batch upload.

    python benchmarks/load.py [--rate 50] [--seconds 30] [--people 20] [--upload-share 0.2]

Starts gunicorn on loopback, then sends requests on a fixed schedule (open loop: a slow answer
does not slow the schedule, and latency counts from when a request was due), for a bounded time,
and prints throughput, p50/p95/p99 per endpoint and the errors. Exits 1 when any request failed.
"""

import argparse
import random
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import setup_django, start_gunicorn, stop  # noqa: E402

setup_django("load-bench-")

import requests  # noqa: E402

from companies.services import add_member, create_company  # noqa: E402
from tracking.models import Project, Task, TaskAssignment  # noqa: E402
from tracking.services.app_tokens import create_app_token  # noqa: E402

UPLOAD_SIZE = 50


def make_people(count):
    """People of one company, each with 20 tasks in 4 projects and an app token."""
    owner = create_company(
        name="Load Corp",
        slug=f"load-{int(time.time())}",
        time_zone="UTC",
        owner_name="Owner",
        owner_email=f"owner-{time.time()}@load.example",
        owner_password="x" * 12,
    )
    projects = [
        Project.objects.create(company=owner.company, provider="pivotal", external_id=str(n), name=f"P{n}")
        for n in range(4)
    ]
    people = []
    for number in range(count):
        member = add_member(
            owner.company,
            email=f"p{number}-{time.time()}@load.example",
            role="user",
            full_name=f"Person {number}",
            password="x" * 12,
        )
        for task_number in range(20):
            task = Task.objects.create(
                company=owner.company,
                provider="pivotal",
                external_id=f"{number}-{task_number}",
                project=projects[task_number % 4],
                title=f"Story {task_number}",
                url="https://www.pivotaltracker.com/story/show/1",
            )
            TaskAssignment.objects.create(task=task, membership=member)
        people.append(
            {"token": create_app_token(member, "load")[1], "etag": None, "next_start": None, "lock": threading.Lock()}
        )
    return people


def upload_body(person):
    """The next 50 ten-minute entries of this person, going back in time so they never overlap."""
    with person["lock"]:
        start = person["next_start"] or datetime(2026, 1, 1, tzinfo=UTC)
        person["next_start"] = start - timedelta(minutes=11 * UPLOAD_SIZE)
    entries = []
    for number in range(UPLOAD_SIZE):
        began = start - timedelta(minutes=11 * (number + 1))
        entries.append(
            {
                "client_id": str(uuid.uuid4()),
                "started_at": began.isoformat(),
                "ended_at": (began + timedelta(minutes=10)).isoformat(),
            }
        )
    return {"entries": entries}


def one_request(session, base_url, person, kind):
    headers = {"Authorization": f"Bearer {person['token']}"}
    if kind == "poll":
        if person["etag"]:
            headers["If-None-Match"] = person["etag"]
        response = session.get(f"{base_url}/api/v1/tasks/", headers=headers, timeout=30)
        if response.status_code == 200:
            person["etag"] = response.headers.get("ETag")
        return response.status_code in (200, 304), response.status_code
    response = session.post(
        f"{base_url}/api/v1/time-entries/batch/", json=upload_body(person), headers=headers, timeout=30
    )
    ok = response.status_code == 200 and response.json()["created"] == UPLOAD_SIZE
    return ok, response.status_code


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(base_url, people, rate, seconds, upload_share, seed=7):
    choose = random.Random(seed)
    plan = [
        (index / rate, choose.choice(people), "upload" if choose.random() < upload_share else "poll")
        for index in range(int(rate * seconds))
    ]
    results, errors = {"poll": [], "upload": []}, []
    local = threading.local()

    def session_of_this_thread():
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    def execute(due, person, kind):
        session = session_of_this_thread()
        try:
            ok, code = one_request(session, base_url, person, kind)
        except requests.RequestException as error:
            ok, code = False, type(error).__name__
        latency = time.perf_counter() - (started + due)
        results[kind].append(latency)
        if not ok:
            errors.append((kind, code))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for due, person, kind in plan:
            delay = started + due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(execute, due, person, kind)
    elapsed = time.perf_counter() - started
    return results, errors, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="requests per second (default 50)")
    parser.add_argument("--seconds", type=float, default=30, help="how long (default 30)")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--upload-share", type=float, default=0.2, help="share of uploads (default 0.2)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    people = make_people(args.people)
    server, base_url = start_gunicorn(args.workers, threads=4)
    try:
        results, errors, elapsed = run(base_url, people, args.rate, args.seconds, args.upload_share)
    finally:
        stop(server)
    total = sum(len(latencies) for latencies in results.values())
    print(
        f"target {args.rate:g} requests/s for {args.seconds:g} s; sent {total} in {elapsed:.1f} s "
        f"→ {total / elapsed:.1f} requests/s"
    )
    for kind, latencies in results.items():
        if latencies:
            print(
                f"{kind:<7} {len(latencies):>6} requests  p50 {percentile(latencies, 0.5) * 1000:7.1f} ms  "
                f"p95 {percentile(latencies, 0.95) * 1000:7.1f} ms  p99 {percentile(latencies, 0.99) * 1000:7.1f} ms  "
                f"mean {statistics.fmean(latencies) * 1000:7.1f} ms"
            )
    print(f"errors  {len(errors)}" + (f"  (first: {errors[:5]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
