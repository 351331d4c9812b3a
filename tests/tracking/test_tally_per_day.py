"""Time per local day (`tallies.tally(per_day=True)`, behind the timesheet and the charts) equals
cutting every entry at the company's local midnights one by one, on either database: whole-second
and microsecond durations, an entry ending exactly at midnight, one crossing midnight, the
23- and 25-hour days of DST, entries starting before or ending after the range."""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from tests.factories import MembershipFactory
from tracking.models import TimeEntry
from tracking.reports.filters import ReportFilters
from tracking.reports.periods import DateRange, DayCutter, company_zone
from tracking.reports.tallies import tally

pytestmark = pytest.mark.django_db
RANGE = DateRange(date(2025, 3, 28), date(2025, 4, 2))  # Madrid's clocks go forward on Sunday 30 March
OCTOBER = DateRange(date(2025, 10, 25), date(2025, 10, 27))  # and back on Sunday 26 October


@pytest.fixture
def madrid(company):
    company.time_zone = "Europe/Madrid"
    company.save()
    return company


def add(person, start, length, source="desktop"):
    TimeEntry.objects.create(
        company=person.company, membership=person, source=source, started_at=start, ended_at=start + length
    )


def by_cutting(date_range, zone):
    """The rule, entry by entry."""
    cutter, expected = DayCutter(date_range, zone), defaultdict(timedelta)
    for entry in TimeEntry.objects.all():
        for day, duration in cutter.split(entry.started_at, entry.ended_at):
            expected[(entry.membership_id, day, entry.source == "manual")] += duration
    return dict(expected)


def by_tally(owner, date_range):
    found = {}
    for (person, day), time in tally(owner, ReportFilters(date_range=date_range), ("person",), per_day=True).items():
        for manual, duration in ((False, time.tracked), (True, time.manual)):
            if duration:
                found[(person, day, manual)] = duration
    return found


@pytest.mark.parametrize("date_range", [RANGE, OCTOBER], ids=["spring", "autumn"])
def test_time_per_local_day_is_every_entry_cut_at_local_midnights(madrid, owner, date_range):
    zone = company_zone(madrid)
    people = [owner, MembershipFactory(company=madrid), MembershipFactory(company=madrid)]
    first = datetime.combine(date_range.start, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    midnights = DayCutter(date_range, zone).edges
    chance = random.Random(20261202)
    for number in range(300):
        start = first + timedelta(hours=chance.uniform(-20, 24 * len(date_range.days) + 4))
        length = timedelta(minutes=chance.randint(1, 600), microseconds=chance.choice([0, 1, 999_999, 123_456]))
        add(people[number % 3], start, length, source=chance.choice(["desktop", "web", "manual"]))
    for edge in midnights:  # ending exactly at midnight, starting exactly at midnight, across it
        add(owner, edge - timedelta(hours=1), timedelta(hours=1))
        add(people[1], edge, timedelta(minutes=30, microseconds=5))
        add(people[2], edge - timedelta(minutes=10, microseconds=1), timedelta(minutes=20, microseconds=2))

    expected = by_cutting(date_range, zone)

    assert by_tally(owner, date_range) == expected
    assert {day for _, day, _ in expected} == set(date_range.days)


def test_entries_longer_than_a_day_written_around_the_product_count_on_every_day(madrid, owner):
    """No way of writing an entry lets it last over 24 hours, and the per-day query relies on that
    to read little of the index for each day; one written straight into the database must still
    count on each day it covers, as cutting it says."""
    zone = company_zone(madrid)
    midnights = DayCutter(RANGE, zone).edges
    other = MembershipFactory(company=madrid)
    add(owner, midnights[0] + timedelta(hours=22), timedelta(hours=30))
    add(owner, midnights[1] + timedelta(hours=3, microseconds=7), timedelta(hours=75, minutes=5), source="manual")
    add(other, midnights[0] - timedelta(hours=2), timedelta(hours=49))
    add(other, midnights[2] + timedelta(hours=9), timedelta(hours=8))

    expected = by_cutting(RANGE, zone)

    assert by_tally(owner, RANGE) == expected
    assert {day for _, day, manual in expected if manual} == {date(2025, 3, 29) + timedelta(days=n) for n in range(4)}


def test_time_over_the_range_is_every_entry_clipped_to_it(madrid, owner):
    zone = company_zone(madrid)
    people = [owner, MembershipFactory(company=madrid)]
    cutter = DayCutter(RANGE, zone)
    chance = random.Random(7)
    for number in range(200):
        start = cutter.edges[0] + timedelta(hours=chance.uniform(-23, 24 * len(RANGE.days) + 2))
        add(
            people[number % 2],
            start,
            timedelta(minutes=chance.randint(1, 900), microseconds=chance.randint(0, 10**6 - 1)),
        )
    expected = defaultdict(timedelta)
    for entry in TimeEntry.objects.all():
        expected[entry.membership_id] += cutter.clip(entry.started_at, entry.ended_at)

    found = tally(owner, ReportFilters(date_range=RANGE), ("person",))

    assert {key[0]: time.total for key, time in found.items()} == {
        key: value for key, value in expected.items() if value
    }


@pytest.fixture(params=["unixepoch", "strftime"])
def sqlite_seconds(request, monkeypatch):
    """On SQLite, both ways of reading whole seconds: unixepoch (3.38 and later) and, as an older
    SQLite would, strftime('%s')."""
    if request.param == "strftime" and connection.vendor == "sqlite":
        monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 37, 2))
    return request.param


def test_fractions_of_a_second_close_to_the_next_are_not_rounded_up(madrid, owner, sqlite_seconds):
    """SQLite rounds a time to the millisecond: 09:00:59.9995 must not count as 09:01:00."""
    cutter = DayCutter(RANGE, company_zone(madrid))
    noon = cutter.edges[1] + timedelta(hours=12)
    for number, (start_fraction, length) in enumerate(
        [(999_500, timedelta(minutes=5)), (999_999, timedelta(seconds=59)), (0, timedelta(seconds=1, microseconds=-1))]
    ):
        add(owner, noon + timedelta(hours=number, microseconds=start_fraction), length)
        add(owner, noon + timedelta(hours=number, minutes=30), length - timedelta(microseconds=500))
    expected = sum((entry.ended_at - entry.started_at for entry in TimeEntry.objects.all()), timedelta())

    per_day = tally(owner, ReportFilters(date_range=RANGE), ("person",), per_day=True)
    over_the_range = tally(owner, ReportFilters(date_range=RANGE), ("person",))

    assert sum((time.total for time in per_day.values()), timedelta()) == expected
    assert over_the_range[(owner.pk,)].total == expected
