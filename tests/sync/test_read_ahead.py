"""The sync reads the next pages, and the next project's first pages, while it writes the current
one (sync/services/prefetch.py): what a consumer gets is exactly what a plain read would give."""

import threading

import pytest

from sync.services.prefetch import ReadAhead, prefetched


class Gone(Exception):
    pass


def test_the_consumer_gets_every_read_in_order_with_nothing_lost_or_repeated():
    reads = [(name, lambda name=name: (f"{name}-{page}" for page in range(3))) for name in "abc"]
    with ReadAhead(reads) as reading:
        assert [list(reading.pages(name)) for name in "abc"] == [
            [f"{name}-{page}" for page in range(3)] for name in "abc"
        ]


def test_the_next_projects_first_page_is_fetched_while_the_current_one_is_still_being_written():
    fetched = threading.Event()

    def second_project():
        fetched.set()
        yield "b-0"

    with ReadAhead([("a", lambda: iter(["a-0"])), ("b", second_project)]) as reading:
        assert list(reading.pages("a")) == ["a-0"]
        # the consumer is still "writing" project a: b's first page is on its way without being asked for
        assert fetched.wait(timeout=5)
        assert list(reading.pages("b")) == ["b-0"]


def test_a_project_that_fails_alone_fails_alone_and_the_next_one_is_still_read():
    def lost():
        yield "b-0"
        raise Gone("no longer visible")

    reads = [("a", lambda: iter(["a-0"])), ("b", lost), ("c", lambda: iter(["c-0"]))]
    with ReadAhead(reads, go_on_after=(Gone,)) as reading:
        assert list(reading.pages("a")) == ["a-0"]
        got = []
        with pytest.raises(Gone):
            for page in reading.pages("b"):
                got.append(page)
        assert got == ["b-0"]
        assert list(reading.pages("c")) == ["c-0"]


def test_any_other_failure_ends_the_reading_and_reaches_the_consumer_even_past_the_failed_read():
    def broken():
        raise RuntimeError("the tracker is down")
        yield  # pragma: no cover

    reads = [("a", broken), ("b", lambda: iter(["b-0"]))]
    with ReadAhead(reads, go_on_after=(Gone,)) as reading:
        with pytest.raises(RuntimeError, match="down"):
            list(reading.pages("a"))
        with pytest.raises(RuntimeError, match="down"):  # b is never read
            list(reading.pages("b"))


def test_a_read_the_consumer_passes_over_is_dropped_and_the_next_read_is_intact():
    reads = [("a", lambda: iter(["a-0", "a-1"])), ("b", lambda: iter(["b-0"]))]
    with ReadAhead(reads, ahead=1) as reading:
        first = reading.pages("a")
        assert next(first) == "a-0"  # stops reading a half-way (as a run that hit an error would)
        assert list(reading.pages("b")) == ["b-0"]


def test_a_consumer_that_leaves_early_stops_the_helper_thread():
    with ReadAhead([("a", lambda: iter(range(10**9)))], ahead=1) as reading:
        assert next(reading.pages("a")) == 0
    assert not [thread for thread in threading.enumerate() if thread.name == "page-read-ahead"]


def test_prefetched_gives_the_items_of_one_iterator_and_raises_its_error():
    def pages():
        yield 1
        yield 2
        raise Gone("at page 3")

    got = []
    with pytest.raises(Gone):
        for page in prefetched(pages()):
            got.append(page)
    assert got == [1, 2]
