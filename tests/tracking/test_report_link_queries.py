"""The thousands of links of a report are built by `ReportFilters.narrowing()`, which encodes each
value once and skips the quoting of values that need none: its query strings are exactly those of
`ReportFilters.query()`."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tracking.reports.filters import NO_TASK, ReportFilters
from tracking.reports.periods import DateRange

WEEK = DateRange(date(2025, 3, 3), date(2025, 3, 9))
values = st.one_of(st.uuids(), st.integers(min_value=0), st.text(), st.just(NO_TASK), st.just(""))


links = st.fixed_dictionaries(
    {
        "people": st.lists(values, max_size=3),
        "projects": st.lists(values, max_size=3),
        "task": st.one_of(st.none(), values),
        "dates": st.booleans(),
    }
)


@given(st.lists(links, min_size=1, max_size=6))
def test_narrowed_links_are_the_query_strings_of_the_filters(links):
    filters = ReportFilters(date_range=WEEK)
    query = filters.narrowing()  # one for all the links of a page, as a report uses it
    for link in links:
        overrides = {"people": link["people"], "projects": link["projects"], "task": link["task"]}
        if link["dates"]:
            overrides.update(range=None, start="2025-03-04", end="2025-03-04")

        assert query(**overrides) == filters.query(**overrides)
        people = overrides.pop("people")
        assert query.varying("people", **overrides)(people) == filters.query(people=people, **overrides)


def test_values_that_need_quoting_are_quoted():
    query = ReportFilters(date_range=WEEK).narrowing()

    assert query(people=["a&b=c", "é /+"]) == "start=2025-03-03&end=2025-03-09&people=a%26b%3Dc&people=%C3%A9+%2F%2B"
