"""The clock tests can hold still, ISO times, and the locked state's in-place replacement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from integrations.providers.emulator_kit.clock import Clock, as_utc, format_iso, parse_iso

from .conftest import NotesState

FROZEN = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)


def test_a_frozen_clock_stays_still_and_moves_only_when_advanced():
    clock = Clock(FROZEN.replace(microsecond=999))

    assert clock.now() == FROZEN
    assert clock.advance(minutes=1) == FROZEN + timedelta(minutes=1)
    assert clock.is_frozen


def test_a_real_clock_can_be_shifted_and_reset():
    clock = Clock()
    shifted = clock.advance(days=1)

    assert shifted - datetime.now(UTC) > timedelta(hours=23)
    clock.set(datetime(2031, 2, 3))  # naive: taken as UTC
    assert clock.now() == datetime(2031, 2, 3, tzinfo=UTC)
    clock.unfreeze()
    assert not clock.is_frozen
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=2)


def test_iso_times_are_read_in_utc_and_printed_with_z():
    assert parse_iso("2031-02-03T05:05:06+01:00") == FROZEN
    assert parse_iso(" 2031-02-03T04:05:06z ") == FROZEN
    assert parse_iso("2031-02-03") == datetime(2031, 2, 3, tzinfo=UTC)
    assert format_iso(FROZEN.astimezone(timezone(timedelta(hours=-5)))) == "2031-02-03T04:05:06Z"
    assert as_utc(datetime(2031, 2, 3, 4, 5, 6)) == FROZEN
    with pytest.raises(ValueError):
        parse_iso("")


def test_replacing_a_state_takes_the_other_data_but_keeps_the_lock():
    state, other = NotesState(notes=["old"]), NotesState(Clock(FROZEN), notes=["new"])
    lock = state.lock

    state.replace_with(other)

    assert (state.notes, state.now(), state.lock) == (["new"], FROZEN, lock)
