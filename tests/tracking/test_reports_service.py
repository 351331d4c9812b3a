"""The reports service on its own: day boundaries, rounding, presets, the aggregate and the chart."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracking.reports.charts import stacked_chart
from tracking.reports.filters import ReportFilters
from tracking.reports.periods import DateRange, DayCutter, preset_range
from tracking.reports.tallies import Time, hours_text, tally

from .report_fixtures import scenario, track

__all__ = ["scenario"]
NEW_YORK = ZoneInfo("America/New_York")


def utc(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def test_day_boundaries_are_local_midnights_even_on_dst_days():
    cutter = DayCutter(DateRange(date(2025, 3, 8), date(2025, 3, 10)), NEW_YORK)

    assert cutter.edges == [
        utc("2025-03-08 05:00"),
        utc("2025-03-09 05:00"),
        utc("2025-03-10 04:00"),
        utc("2025-03-11 04:00"),
    ]
    assert cutter.edges[2] - cutter.edges[1] == timedelta(hours=23)


def test_an_entry_is_cut_at_every_local_midnight_it_crosses_and_clipped_to_the_range():
    cutter = DayCutter(DateRange(date(2025, 3, 8), date(2025, 3, 9)), NEW_YORK)

    # Fri 7 March 20:00 EST → Mon 10 March 02:00 EDT: only Saturday and Sunday are in the range.
    parts = cutter.split(utc("2025-03-08 01:00"), utc("2025-03-10 06:00"))

    assert parts == [(date(2025, 3, 8), timedelta(hours=24)), (date(2025, 3, 9), timedelta(hours=23))]
    assert cutter.clip(utc("2025-03-08 01:00"), utc("2025-03-10 06:00")) == timedelta(hours=47)


def test_an_entry_ending_exactly_at_midnight_belongs_to_one_day():
    cutter = DayCutter(DateRange(date(2025, 6, 9), date(2025, 6, 10)), NEW_YORK)

    assert cutter.split(utc("2025-06-10 02:00"), utc("2025-06-10 04:00")) == [(date(2025, 6, 9), timedelta(hours=2))]


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "0.00"),
        (timedelta(seconds=17), "0.00"),
        (timedelta(seconds=18), "0.01"),  # 0.005 h, rounded half up
        (timedelta(minutes=20), "0.33"),
        (timedelta(minutes=40), "0.67"),
        (timedelta(hours=1000, minutes=15), "1000.25"),
    ],
)
def test_hours_have_two_decimals_rounded_half_up(duration, text):
    assert hours_text(duration) == text


def test_time_keeps_manual_apart_from_tracked():
    time_ = (
        Time().add("desktop", timedelta(hours=1)).add("web", timedelta(minutes=30)).add("manual", timedelta(minutes=15))
    )

    assert (time_.tracked_hours, time_.manual_hours, time_.total_hours) == ("1.50", "0.25", "1.75")


@pytest.mark.parametrize(
    ("today", "preset", "start", "end"),
    [
        (date(2025, 1, 1), "last_week", date(2024, 12, 23), date(2024, 12, 29)),
        (date(2025, 1, 1), "last_month", date(2024, 12, 1), date(2024, 12, 31)),
        (date(2024, 2, 29), "this_month", date(2024, 2, 1), date(2024, 2, 29)),
        (date(2025, 3, 9), "this_week", date(2025, 3, 3), date(2025, 3, 9)),  # a Sunday ends its week
        (date(2025, 3, 10), "yesterday", date(2025, 3, 9), date(2025, 3, 9)),
    ],
)
def test_presets_at_the_edges_of_weeks_months_and_years(today, preset, start, end):
    assert preset_range(preset, today) == DateRange(start, end, preset)


def test_filters_turn_back_into_the_query_that_made_them(scenario):
    filters = ReportFilters(
        date_range=DateRange(date(2025, 3, 3), date(2025, 3, 9)),
        people=(scenario.ana,),
        projects=(scenario.website,),
        task=scenario.login,
        chart_by="project",
    )

    assert filters.query() == (
        f"start=2025-03-03&end=2025-03-09&people={scenario.ana.code}"
        f"&projects={scenario.website.pk}&task={scenario.login.code}&chart=project"
    )
    assert filters.query(range="today", people=None, task=None) == (
        f"range=today&projects={scenario.website.pk}&chart=project"
    )


@pytest.mark.django_db
def test_the_aggregate_cuts_at_local_midnight_in_one_query(scenario, django_assert_num_queries):
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 3), date(2025, 3, 9)))

    with django_assert_num_queries(1):
        per_person_day = tally(scenario.owner, filters, ("person",), per_day=True)

    ana = {day: time_.total_hours for (person, day), time_ in per_person_day.items() if person == scenario.ana.pk}
    assert ana == {
        date(2025, 3, 3): "5.25",
        date(2025, 3, 4): "2.75",
        date(2025, 3, 8): "0.50",
        date(2025, 3, 9): "2.50",
    }


@pytest.mark.django_db
def test_the_aggregate_without_days_clips_to_the_range_in_one_query(scenario, django_assert_num_queries):
    filters = ReportFilters(date_range=DateRange(date(2025, 3, 3), date(2025, 3, 3)))

    with django_assert_num_queries(1):
        per_task = tally(scenario.ana, filters, ("task",))

    assert {task: time_.total_hours for (task,), time_ in per_task.items()} == {scenario.login.pk: "5.25"}


@pytest.mark.django_db
def test_entries_of_zero_length_count_nothing(member):
    track(member, "2025-06-10 09:00", "2025-06-10 09:00")
    filters = ReportFilters(date_range=DateRange(date(2025, 6, 10), date(2025, 6, 10)))

    assert tally(member, filters, ("person",), per_day=True) == {}


def test_the_chart_buckets_long_ranges_so_there_are_never_more_than_31_bars():
    for start, end, unit, bars in [
        (date(2025, 1, 1), date(2025, 1, 31), "day", 31),
        (date(2025, 1, 1), date(2025, 6, 30), "week", 27),
        (date(2025, 1, 1), date(2025, 12, 31), "month", 12),
        (date(2024, 3, 15), date(2025, 3, 14), "month", 13),
    ]:
        date_range = DateRange(start, end)
        chart = stacked_chart(date_range, {("x", start): timedelta(hours=1)}, {"x": "X"}, series_name="person")

        assert (chart.unit, len(chart.bars)) == (unit, bars)


def test_the_chart_stacks_segments_to_the_bar_total():
    day = date(2025, 6, 10)
    chart = stacked_chart(
        DateRange(day, day),
        {("a", day): timedelta(hours=3), ("b", day): timedelta(hours=1)},
        {"a": "Ana", "b": "Ben"},
        series_name="person",
    )

    bar = chart.bars[0]
    assert bar["value"] == "4.00"
    assert [segment["title"] for segment in bar["segments"]] == ["Ana: 3.00 h", "Ben: 1.00 h"]
    assert bar["segments"][0]["height"] == pytest.approx(3 * bar["segments"][1]["height"], abs=0.2)
    assert [tick["label"] for tick in chart.ticks] == ["0 h", "1 h", "2 h", "3 h", "4 h"]
