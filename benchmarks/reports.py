"""Benchmark of the Reports pages and CSV exports over HTTP, against the bare SQL of the same answer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/reports.py \\
        [--entries 1000000] [--people 200] [--projects 20] [--days 365] [--runs 5] [--quick]
        [--keep-database bench_reports_keep] [--only entries.csv] [--profile entries.csv:year]

What a user gets: gunicorn with DEBUG off (benchmarks/_server.py), one worker, the owner's session
cookie, every report page and CSV (timesheet, projects & tasks, entries page 1, timesheet.csv,
projects.csv, entries.csv) for a week, a month and a year, each response read to its last byte.

The data: a company in America/New_York with `--people` members (an owner, managers, users; 2 %
deactivated), `--projects` projects of 100 tasks (some closed, some deleted upstream) and `--entries`
finished entries over the last `--days` days (~1 % across midnight, 5 % without a task, 10 % manual,
1 % deleted: the reports must leave those out) plus a running timer per person. By default on a
scratch database (`_server.fresh_database`: a fresh SQLite file, or with DATABASE_URL a PostgreSQL
database bench_reports_<pid>, dropped at the end); `--keep-database NAME` builds into (or reuses)
database NAME on the DATABASE_URL server instead, to measure again without regenerating.

The baseline, measured in the same run, interleaved with the page's requests: the bare SQL that
gives the same answer (hand-written; on PostgreSQL it splits entries at local midnights with
generate_series and AT TIME ZONE; the entries export streams every row through a server-side
cursor). Both filter soft-deleted entries (`deleted_at IS NULL`) as the page does. Printed per
page and range: SQL statements of one request (counted in-process, the same view; they must not
grow with the range), median and spread (min–max) of `--runs` requests and of the bare SQL, the
ratio of medians (target ≤ 1.5), whether the report's aggregate equals the bare SQL's, the page's
time for a week with no entries (its fixed cost), the floor ratio ((that + bare SQL) / bare SQL:
the page's ratio if writing the range's lines cost nothing, the least it can reach while the fixed
cost stays), the request floor ratio ((a signed-in request + bare SQL) / bare SQL, where the
signed-in request is an export answering 400 for a range it does not know: session, user and
membership loaded, no report work; the least any signed-in page could reach), and `BENCH {json}`
rows for `make bench`. `--profile PAGE:RANGE` (RANGE: week, month, year, or empty:
that week with no entries) instead profiles one request in-process (cProfile, DEBUG off) and
prints where its time goes.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import GarbageCollections, StatementCounter, database_label, emit, note, ratio, summarise  # noqa: E402
from _server import setup_django, start_gunicorn, stop  # noqa: E402

ZONE = "America/New_York"
TASKS_PER_PROJECT = 100
MANAGERS = 10
SLOT_MINUTES = 50  # entries start every 50 minutes from 07:00 local; they last 20 to 45 minutes
TARGET = 1.5
PAGES = [  # label, URL name, bare SQL, how the aggregate is checked
    ("timesheet", "reports:timesheet", "timesheet", "per_day"),
    ("projects & tasks", "reports:projects", "projects", "by_task"),
    ("entries (page 1)", "reports:entries", "entries", None),
    ("timesheet.csv", "reports:timesheet-csv", "timesheet", "per_day"),
    ("projects.csv", "reports:projects-csv", "projects_csv", "by_task"),
    ("entries.csv", "reports:entries-csv", "entries_csv", None),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5, help="timed requests of each page (and bare SQL runs)")
    parser.add_argument("--quick", action="store_true", help="20,000 entries, 3 runs: a smoke run")
    parser.add_argument(
        "--keep-database",
        metavar="NAME",
        help="build into (or reuse) this PostgreSQL database on DATABASE_URL's server",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[page[0] for page in PAGES],
        help="measure only this page (repeat for more), e.g. entries.csv",
    )
    parser.add_argument("--profile", metavar="PAGE:RANGE", help="profile one request in-process instead")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.people, args.runs = min(args.entries, 20_000), min(args.people, 20), min(args.runs, 3)
    return args


def use_kept_database(name):
    """DATABASE_URL pointed at database `name` on the same server, created if missing."""
    import psycopg
    from psycopg import sql

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("--keep-database needs DATABASE_URL to point to a PostgreSQL server")
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = f"{url.rpartition('/')[0]}/{name}"


def reports_api():
    """The reports code this benchmark calls, wherever this checkout keeps it (tracking/reports/, or
    tracking/services/reports.py before the split): measuring before and after with one script."""
    try:
        from tracking.reports import filters, periods, tallies

        return SimpleNamespace(
            DateRange=periods.DateRange,
            ReportFilters=filters.ReportFilters,
            company_zone=periods.company_zone,
            local_midnight=periods.local_midnight,
            tally=tallies.tally,
            Time=tallies.Time,
        )
    except ImportError:
        from tracking.services import reports

        return reports


# --- Data ----------------------------------------------------------------------------------------


def build_company(slug, people, projects, entries, days):
    """The company and its rows, entries written with COPY (PostgreSQL) or executemany (SQLite)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from companies.models import Company, Membership, User
    from tracking.models import Project, Task

    zone = ZoneInfo(ZONE)
    with transaction.atomic():
        company = Company.objects.create(name=f"Bench Reports ({entries:,} entries)", slug=slug, time_zone=ZONE)
        password = make_password(None)
        users = User.objects.bulk_create(
            User(email=f"person{number}@{slug}.example", full_name=f"Person {number:03d}", password=password)
            for number in range(people)
        )
        roles = ["owner"] + ["manager"] * MANAGERS + ["user"] * (people - MANAGERS - 1)
        memberships = Membership.objects.bulk_create(
            Membership(company=company, user=user, role=role, is_active=number % 50 != 49)
            for number, (user, role) in enumerate(zip(users, roles, strict=True))
        )
        managers = memberships[1 : MANAGERS + 1]
        through = Membership.managers.through
        through.objects.bulk_create(
            through(from_membership=member, to_membership=managers[number % MANAGERS])
            for number, member in enumerate(memberships[MANAGERS + 1 :])
        )
        project_rows = Project.objects.bulk_create(
            Project(company=company, provider="pivotal", external_id=str(number), name=f"Project {number:02d}")
            for number in range(projects)
        )
        states = ["started", "finished", "delivered", "accepted", "unstarted"]
        tasks = Task.objects.bulk_create(
            Task(
                company=company,
                provider="pivotal",
                external_id=f"{project.external_id}-{number}",
                project=project,
                title=f"Story {number} of {project.name}",
                url=f"https://www.pivotaltracker.com/story/show/{number}",
                state=states[number % 5],
                is_open=number % 5 != 3,
                is_deleted_upstream=number % 17 == 0,
            )
            for project in project_rows
            for number in range(TASKS_PER_PROJECT)
        )
        rows = entry_rows(company.pk, [m.pk for m in memberships], [t.pk for t in tasks], entries, days, zone)
        write_entries(connection, rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tracking_timeentry; ANALYZE tracking_task; ANALYZE companies_membership")
    return company


def entry_rows(company, members, tasks, entries, days, zone):
    """Entry i: person i % people, k = i // people, day k % days, slot k // days (07:00 local + 50 min
    × slot); every 4th entry of the last slot starts at 23:10 and lasts 90 minutes (across midnight)."""
    people = len(members)
    slots = -(-entries // (people * days))
    now = datetime.now(UTC)
    last_day = now.astimezone(zone).date() - timedelta(days=1)
    first_day = last_day - timedelta(days=days - 1)
    starts = {}
    for day in range(days):
        local = datetime.combine(first_day + timedelta(days=day), datetime.min.time(), tzinfo=zone)
        for slot in range(slots):
            starts[(day, slot)] = (local + timedelta(hours=7, minutes=SLOT_MINUTES * slot)).astimezone(UTC)
        starts[(day, "late")] = (local + timedelta(hours=23, minutes=10)).astimezone(UTC)
    random_bits = random.Random(14).getrandbits
    for i in range(entries):
        person, k = i % people, i // people
        day, slot = k % days, k // days
        crosses = slot == slots - 1 and i % 4 == 0
        started = starts[(day, "late" if crosses else slot)]
        ended = started + timedelta(minutes=90 if crosses else 20 + (i * 7919) % 26)
        task = None if i % 20 == 7 else tasks[(person * 10 + (day // 30) * 3 + k % 4) % len(tasks)]
        source = "manual" if i % 10 == 3 else "web" if i % 10 in (1, 5, 8) else "desktop"
        deleted_at = ended + timedelta(hours=1) if i % 100 == 42 else None
        yield (
            uuid.UUID(int=random_bits(128), version=4),
            company,
            members[person],
            task,
            started,
            ended,
            source,
            "Code review" if i % 9 == 0 else "",
            now,
            now,
            deleted_at,
        )
    for member in members:  # a running timer each
        yield (uuid.uuid4(), company, member, None, now - timedelta(minutes=10), None, "web", "", now, now, None)


COLUMNS = (
    "code, company_id, membership_id, task_id, started_at, ended_at, source, note, created_at, updated_at, deleted_at"
)


def write_entries(connection, rows):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY tracking_timeentry ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        batch = []
        for row in rows:
            batch.append(
                (
                    row[0].hex,
                    *row[1:4],
                    adapt(row[4]),
                    adapt(row[5]),
                    row[6],
                    row[7],
                    adapt(row[8]),
                    adapt(row[9]),
                    adapt(row[10]),
                )
            )
            if len(batch) == 20_000:
                cursor.executemany(
                    f"INSERT INTO tracking_timeentry ({COLUMNS}) VALUES ({', '.join(['%s'] * 11)})", batch
                )
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO tracking_timeentry ({COLUMNS}) VALUES ({', '.join(['%s'] * 11)})", batch)


# --- The bare SQL: the same answers, hand-written ------------------------------------------------

LIVE_IN_RANGE = """
  e.company_id = %(company)s AND e.deleted_at IS NULL AND e.ended_at IS NOT NULL AND e.ended_at > e.started_at
  AND e.started_at < %(end)s AND e.ended_at > %(start)s AND e.started_at > %(earliest)s
"""  # entries last at most 24 h (MAX_DURATION): `earliest` is the range's start minus 24 h

PG_PER_PERSON_DAY = (
    """
SELECT e.membership_id, d.day::date, e.source,
       SUM(LEAST(e.ended_at, (d.day + interval '1 day') AT TIME ZONE %(zone)s)
           - GREATEST(e.started_at, d.day AT TIME ZONE %(zone)s))
FROM tracking_timeentry e
CROSS JOIN LATERAL generate_series(date_trunc('day', GREATEST(e.started_at, %(start)s) AT TIME ZONE %(zone)s),
                                   (LEAST(e.ended_at, %(end)s) - interval '1 microsecond') AT TIME ZONE %(zone)s,
                                   interval '1 day') AS d(day)
WHERE"""
    + LIVE_IN_RANGE
    + "GROUP BY 1, 2, 3"
)

# SQLite has no time zones: the local days' UTC edges are a scratch table, filled before timing;
# for each day, the (company, started_at) index finds the entries that can touch it (an entry lasts
# at most 24 h). Durations in exact microseconds from the stored text ('YYYY-MM-DD HH:MM:SS[.ffffff]').
SQLITE_DAYS = "CREATE TABLE bench_days (lo TEXT PRIMARY KEY, hi TEXT NOT NULL, day TEXT NOT NULL)"


def sqlite_microseconds(later, earlier):
    def fraction(moment):
        return f"CAST(substr({moment} || '.000000', 21, 6) AS INTEGER)"

    return (
        f"((strftime('%%s', substr({later}, 1, 19)) - strftime('%%s', substr({earlier}, 1, 19))) * 1000000"
        f" + {fraction(later)} - {fraction(earlier)})"
    )


SQLITE_PER_PERSON_DAY = (
    f"""
SELECT e.membership_id, d.day, e.source,
       SUM({sqlite_microseconds("MIN(e.ended_at, d.hi)", "MAX(e.started_at, d.lo)")})
FROM bench_days d CROSS JOIN tracking_timeentry e
WHERE e.company_id = %(company)s AND e.started_at < d.hi AND e.started_at > datetime(d.lo, '-1 day')
  AND e.ended_at > d.lo AND"""
    + LIVE_IN_RANGE
    + "GROUP BY 1, 2, 3"
)

PG_PER_TASK_PERSON = (
    """
SELECT t.project_id, e.task_id, e.membership_id, e.source,
       SUM(LEAST(e.ended_at, %(end)s) - GREATEST(e.started_at, %(start)s))
FROM tracking_timeentry e LEFT JOIN tracking_task t ON t.id = e.task_id
WHERE"""
    + LIVE_IN_RANGE
    + "GROUP BY 1, 2, 3, 4"
)

SQLITE_PER_TASK_PERSON = (
    f"""
SELECT t.project_id, e.task_id, e.membership_id, e.source,
       SUM({sqlite_microseconds("MIN(e.ended_at, %(end)s)", "MAX(e.started_at, %(start)s)")})
FROM tracking_timeentry e LEFT JOIN tracking_task t ON t.id = e.task_id
WHERE"""
    + LIVE_IN_RANGE
    + "GROUP BY 1, 2, 3, 4"
)

ENTRIES_FROM = (
    """
FROM tracking_timeentry e
JOIN companies_membership m ON m.id = e.membership_id JOIN companies_user u ON u.id = m.user_id
LEFT JOIN tracking_task t ON t.id = e.task_id LEFT JOIN tracking_project p ON p.id = t.project_id
WHERE"""
    + LIVE_IN_RANGE
)
ENTRIES_SELECT = (
    "SELECT e.code, e.started_at, e.ended_at, e.source, e.note, u.full_name, u.email, t.title, t.url, "
    "t.state, t.is_open, t.is_deleted_upstream, p.name" + ENTRIES_FROM + " ORDER BY e.started_at, e.id"
)


class Bare:
    """The bare SQL of each page, on Django's connection (no ORM, no models)."""

    def __init__(self, connection, company, date_range, zone):
        local_midnight = reports_api().local_midnight
        self.connection = connection
        start, end = date_range.bounds(zone)
        self.params = {
            "company": company.pk,
            "zone": ZONE,
            "start": start,
            "end": end,
            "earliest": start - timedelta(hours=24),
        }
        if connection.vendor == "sqlite":
            adapt = connection.ops.adapt_datetimefield_value
            self.params = {
                key: adapt(value) if isinstance(value, datetime) else value for key, value in self.params.items()
            }
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_days")
                cursor.execute(SQLITE_DAYS)
                cursor.executemany(
                    "INSERT INTO bench_days (lo, hi, day) VALUES (%s, %s, %s)",
                    [
                        (
                            adapt(local_midnight(day, zone)),
                            adapt(local_midnight(day + timedelta(days=1), zone)),
                            day.isoformat(),
                        )
                        for day in date_range.days
                    ],
                )
            self.per_person_day_sql = SQLITE_PER_PERSON_DAY
            self.per_task_person_sql = SQLITE_PER_TASK_PERSON
        else:
            self.per_person_day_sql, self.per_task_person_sql = PG_PER_PERSON_DAY, PG_PER_TASK_PERSON

    def rows(self, sql):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchall()

    def stream(self, sql):
        """Every row, as the streamed CSV reads them (a server-side cursor on PostgreSQL)."""
        from django.db import transaction

        count = 0
        with transaction.atomic(), self.connection.chunked_cursor() as cursor:
            cursor.execute(sql, self.params)
            while rows := cursor.fetchmany(2000):
                count += len(rows)
        return count

    def timesheet(self):
        return self.rows(self.per_person_day_sql)

    def projects(self):  # the table and the chart
        return self.rows(self.per_task_person_sql), self.rows(self.per_person_day_sql)

    def projects_csv(self):
        return self.rows(self.per_task_person_sql)

    def entries(self):  # the count, the first page and the chart
        return (
            self.rows("SELECT count(*)" + ENTRIES_FROM),
            self.rows(ENTRIES_SELECT + " LIMIT 100"),
            self.rows(self.per_person_day_sql),
        )

    def entries_csv(self):
        return self.stream(ENTRIES_SELECT)


def same_numbers(owner, filters, rows, check):
    """The report's aggregate equals the bare SQL's (to the millisecond)."""
    api = reports_api()
    tally, Time = api.tally, api.Time
    ours = (
        tally(owner, filters, ("project", "task", "person"))
        if check == "by_task"
        else tally(owner, filters, ("person",), per_day=True)
    )
    theirs = defaultdict(Time)
    for *key, source, duration in rows:
        if isinstance(duration, int):  # SQLite: microseconds
            duration = timedelta(microseconds=duration)
        if isinstance(key[-1], str):  # SQLite: the day as text
            key[-1] = datetime.strptime(key[-1], "%Y-%m-%d").date()
        theirs[tuple(key)].add(source, duration)

    def rounded(tallies):
        return {
            key: (round(value.tracked.total_seconds(), 3), round(value.manual.total_seconds(), 3))
            for key, value in tallies.items()
            if value
        }

    return rounded(ours) == rounded(theirs)


# --- Measuring -----------------------------------------------------------------------------------


def fetch(session, url, cookie, status=200):
    response = session.get(url, headers={"Cookie": cookie}, stream=True, allow_redirects=False, timeout=600)
    size = sum(len(chunk) for chunk in response.iter_content(64 * 1024))
    assert response.status_code == status, (url, response.status_code)
    return size


def count_statements(client, url):
    """SQL statements of one request, in this process (same settings, same view)."""
    from django.db import connection

    counter = StatementCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        response.close()
    return counter.count


def timed(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def interleaved(runs, page, bare):
    """`runs` rounds of (page, bare SQL), each timed: two Summaries of seconds."""
    page_seconds, bare_seconds = [], []
    for _ in range(runs):
        started = time.perf_counter()
        page()
        page_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        bare()
        bare_seconds.append(time.perf_counter() - started)
    return summarise(page_seconds), summarise(bare_seconds)


def profile(client, url):
    collections = GarbageCollections()
    profiler = cProfile.Profile()
    with collections.counted():
        profiler.enable()
        response = client.get(url)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        profiler.disable()
    print(collections.summary())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


def main():
    args = parse_args()
    # As in production (DEBUG off): hashed static files, collected into a scratch folder.
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="reports-bench-static-"))
    if args.keep_database:
        use_kept_database(args.keep_database)
        setup_django("reports-bench-")
    else:
        setup_django("reports-bench-", database="reports")
    import requests
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from companies.models import Company, Membership
    from companies.tenancy import SESSION_KEY

    api = reports_api()
    DateRange, ReportFilters, company_zone = api.DateRange, api.ReportFilters, api.company_zone

    call_command("collectstatic", interactive=False, verbosity=0)
    slug = f"bench-reports-{args.people}p-{args.projects}x-{args.entries}e-{args.days}d"
    company = Company.objects.filter(slug=slug).first()
    if company is None:
        print(
            f"Generating {args.entries:,} entries ({args.people} people, {args.projects} projects, {args.days} days)…",
            flush=True,
        )
        started = time.perf_counter()
        company = build_company(slug, args.people, args.projects, args.entries, args.days)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print(f"Reusing {company.name} ({slug}).", flush=True)

    owner = Membership.objects.select_related("company", "user").get(company=company, role="owner")
    client = Client()
    client.force_login(owner.user)
    session = client.session
    session[SESSION_KEY] = str(owner.code)
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    zone = company_zone(company)
    last_day = datetime.now(UTC).astimezone(zone).date() - timedelta(days=1)
    last_sunday = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
    last_month_end = last_day.replace(day=1) - timedelta(days=1)
    ranges = {
        "week": DateRange(last_sunday - timedelta(days=6), last_sunday),
        "month": DateRange(last_month_end.replace(day=1), last_month_end),
        "year": DateRange(last_day - timedelta(days=min(args.days, 366) - 1), last_day),
    }
    # a week long before the data: what the page costs with nothing to count (session, membership,
    # filter form, layout), the fixed part of every range's figure
    empty_week_end = last_day - timedelta(days=args.days + 400)
    empty_week = DateRange(empty_week_end - timedelta(days=6), empty_week_end)
    database = database_label()
    print(f"\n{database}; {args.entries:,} entries, {args.people} people, {args.projects} projects, time zone {ZONE}")
    print("ranges: " + ", ".join(f"{name} {r.start}…{r.end} ({r.length} d)" for name, r in ranges.items()))

    pages = [page for page in PAGES if not args.only or page[0] in args.only]
    if args.profile:
        label, range_name = args.profile.rsplit(":", 1)
        url_name = next(page[1] for page in PAGES if page[0] == label)
        date_range = empty_week if range_name == "empty" else ranges[range_name]
        url = f"{reverse(url_name)}?{ReportFilters(date_range=date_range).query()}"
        client.get(url)  # warm
        import timedoctor.wsgi  # noqa: F401 (as gunicorn loads the application: long-lived objects frozen)

        profile(client, url)
        return

    # A year's export takes longer than gunicorn's default 30 s worker timeout on a loaded machine.
    os.environ["GUNICORN_CMD_ARGS"] = os.environ.get("GUNICORN_CMD_ARGS", "") + " --timeout 900"
    server, base_url = start_gunicorn(workers=1)
    http = requests.Session()
    worst = 0.0
    try:
        # What any signed-in request costs before a report does anything: an export with a range
        # it does not know answers 400 once the session, the user and the membership are loaded
        # and the filters are read (three statements, no report work).
        signed_in_url = f"{base_url}{reverse('reports:projects-csv')}?range=none"
        fetch(http, signed_in_url, cookie, status=400)
        signed_in = summarise(
            [timed(lambda: fetch(http, signed_in_url, cookie, status=400)) for _ in range(max(args.runs, 20))]
        )
        print(f"\nsigned-in request (an export's 400 for an unknown range): {signed_in.median:.4f} s")
        print(
            f"\n{'report':17} {'range':5} {'stmts':>5} {'page s (min–max)':>22} {'bare SQL s (min–max)':>22} "
            f"{'ratio':>5} {'same':>4} {'size':>8} {'empty wk s':>10} {'floor':>5} {'req fl':>6}"
        )
        for label, url_name, bare_name, check in pages:
            empty_url = f"{base_url}{reverse(url_name)}?{ReportFilters(date_range=empty_week).query()}"
            fetch(http, empty_url, cookie)
            empty_time = summarise([timed(lambda url=empty_url: fetch(http, url, cookie)) for _ in range(args.runs)])
            for range_name, date_range in ranges.items():
                filters = ReportFilters(date_range=date_range)
                path = f"{reverse(url_name)}?{filters.query()}"
                bare = getattr(Bare(connection, company, date_range, zone), bare_name)
                statements = count_statements(client, path)
                size = fetch(http, base_url + path, cookie)  # warm: the worker's caches, the database's
                bare_result = bare()
                page_time, bare_time = interleaved(
                    args.runs, lambda path=path: fetch(http, base_url + path, cookie), bare
                )
                if check is None:
                    same = "—"
                else:
                    rows = bare_result[0] if isinstance(bare_result, tuple) else bare_result
                    same = "yes" if same_numbers(owner, filters, rows, check) else "NO"
                page_ratio = ratio(page_time.median, bare_time.median)
                # the least ratio the page could reach if writing this range's lines cost nothing:
                # its fixed cost (the empty week's figure) on top of the bare SQL
                floor_ratio = ratio(empty_time.median + bare_time.median, bare_time.median)
                # and the least it could reach if the report itself cost nothing beyond the bare SQL:
                # a signed-in request's own cost on top of it
                request_floor_ratio = ratio(signed_in.median + bare_time.median, bare_time.median)
                worst = max(worst, page_ratio)
                print(
                    f"{label:17} {range_name:5} {statements:5d} {page_time.median:8.3f} "
                    f"({page_time.low:.3f}–{page_time.high:.3f}) {bare_time.median:8.3f} "
                    f"({bare_time.low:.3f}–{bare_time.high:.3f}) {page_ratio:5.2f} {same:>4} {size / 1024:7.0f}K "
                    f"{empty_time.median:10.3f} {floor_ratio:5.2f} {request_floor_ratio:6.2f}",
                    flush=True,
                )
                emit(
                    "reports",
                    {
                        "measure": label,
                        "range": range_name,
                        "database": database,
                        "statements": statements,
                        "ours_s": page_time.median,
                        "baseline_s": bare_time.median,
                        "ratio": page_ratio,
                        "spread": page_time.spread,
                        "runs": page_time.runs,
                        "target": f"≤ {TARGET}",
                        "met": page_ratio <= TARGET,
                        "same_numbers": same,
                        "empty_week_s": empty_time.median,
                        "floor_ratio": floor_ratio,
                        "signed_in_request_s": signed_in.median,
                        "request_floor_ratio": request_floor_ratio,
                    },
                )
    finally:
        stop(server)
    note(
        "reports",
        f"{args.entries:,} entries of {args.people} people over {args.days} days ({ZONE}); ours: the "
        "page or CSV over HTTP (gunicorn, DEBUG off, 1 worker), read to the last byte; baseline: the "
        "bare SQL of the same answer in the same run; empty week: the same page for a week with no "
        "entries (its fixed cost: session, membership, filter form, layout); floor ratio: (empty week + "
        "baseline) / baseline, the least ratio the page could reach if writing the range's own lines and "
        "figures cost nothing (where it is near or above the target, the fixed cost decides); signed-in "
        "request: an export's 400 for an unknown range (session, user, membership, no report work); request "
        "floor ratio: (signed-in request + baseline) / baseline, the least ratio any signed-in page could reach "
        "with the report's own work free beyond the bare SQL; medians of the runs.",
    )
    print(f"\nworst ratio {worst:.2f} (target ≤ {TARGET}: {'met' if worst <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
