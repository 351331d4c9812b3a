"""What every benchmark shares: repeated timings summarised honestly, and result rows that
`benchmarks/run_all.py` (`make bench`) collects and writes into README.md.

The contract for a benchmark script `benchmarks/<name>.py`:

- It accepts `--runs N` (repetitions of each timed measure; default 3) and `--quick` (small sizes,
  a smoke run of a few seconds to a minute). Other options are its own.
- It measures on a fresh SQLite file unless `DATABASE_URL` points to PostgreSQL; then it makes its
  own scratch database on that server (`_server.fresh_database`, named `bench_<name>_…`).
- Besides its human-readable output it prints one line per result row, `BENCH {json}`, via `emit`:

      emit("sync", {"measure": "full sync", "database": database_label(),
                    "ours_s": summary.median, "baseline_s": bare.median,
                    "ratio": ratio, "spread": summary.spread, "runs": summary.runs})

  The first argument names the README table (markers `<!-- bench:sync:start -->` …
  `<!-- bench:sync:end -->`; one pair per table, any name: "sync", "ingest", "reports", …). The
  row's keys are the table's columns, in the order of the first row emitted for that table; a key
  missing from a row is an empty cell. Values are JSON: numbers stay numbers (run_all formats them:
  3 significant digits, thousands separated), a `[low, high]` list is shown "low–high", strings as
  they are. Key conventions: `measure` (what), `database` (`database_label()`), `*_s` seconds,
  `*_per_s` rates, `ratio` (ours / baseline, or ours / peer, as the measure says), `target`
  (e.g. "≤ 1.3"), `met` (true/false, shown ✓/✗), `spread` ([min, max] of the runs), `runs`,
  `statements` (SQL statements). Column headers are the keys with `_s` → " (s)", `_per_s` →
  " (/s)" and underscores as spaces, unless `LABELS` below names them.
- `note(table, text)` adds a line of text under the table (e.g. what "baseline" is).

Ratios are of medians measured in the same run (the machine is shared and noisy). `repeat` and
`summarise` do the statistics: median, min–max and the interquartile range.
"""

import contextlib
import gc
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LABELS = {
    "ours_s": "ours (s)",
    "baseline_s": "baseline (s)",
    "peer_s": "peer (s)",
    "spread": "spread (min–max)",
}


@dataclass(frozen=True)
class Summary:
    """Median and spread of repeated measurements of one quantity."""

    values: tuple
    median: float
    low: float
    high: float
    q1: float
    q3: float

    @property
    def runs(self):
        return len(self.values)

    @property
    def spread(self):
        """[min, max] of the runs, for a row's "spread" column."""
        return [self.low, self.high]

    def __str__(self):
        return f"{_number(self.median)} (min–max {_number(self.low)}–{_number(self.high)}, {self.runs} runs)"


def summarise(values):
    values = tuple(values)
    if not values:
        raise ValueError("nothing to summarise")
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = values[0]
    return Summary(values, statistics.median(values), min(values), max(values), q1, q3)


def repeat(measure, runs, *, setup=None):
    """Calls `setup()` (untimed, if given) then times `measure()`, `runs` times: a Summary of the
    seconds. If `measure` returns a number, that number is taken as the measurement instead of the
    wall-clock time (for measures that time only part of their work themselves)."""
    seconds = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        result = measure()
        elapsed = time.perf_counter() - started
        seconds.append(result if isinstance(result, (int, float)) and not isinstance(result, bool) else elapsed)
    return summarise(seconds)


def emit(table, row):
    """One machine-readable result row on stdout: `BENCH {"table": …, "row": {…}}`."""
    print("BENCH " + json.dumps({"table": table, "row": row}, ensure_ascii=False), flush=True)


def note(table, text):
    """A line of text shown under the table."""
    print("BENCH " + json.dumps({"table": table, "note": text}, ensure_ascii=False), flush=True)


def database_label():
    """ "SQLite 3.46" or "PostgreSQL 15.10", from Django's default connection."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150010
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def process_cpu_seconds(pid):
    """User + system CPU seconds of a process of this machine (None if unreadable): with the
    wall-clock time, it tells waiting from working on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ratio(ours, baseline):
    return ours / baseline if baseline else float("nan")


def _number(value):
    """3 significant digits, thousands separated: 0.0123, 1.23, 12.3, 1,234."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{round(value):,}"
    if value == 0:
        return "0"
    return f"{value:#.3g}".rstrip(".")


def format_cell(key, value):
    """How run_all shows a value in the README."""
    if value is None:
        return ""
    if key == "met" and isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list) and len(value) == 2:
        return f"{_number(value[0])}–{_number(value[1])}"
    return _number(value).replace("|", "\\|")


def label(key):
    if key in LABELS:
        return LABELS[key]
    if key.endswith("_per_s"):
        return key[: -len("_per_s")].replace("_", " ") + " (/s)"
    if key.endswith("_s"):
        return key[:-2].replace("_", " ") + " (s)"
    return key.replace("_", " ")


class StatementCounter:
    """A `connection.execute_wrapper` that counts statements (a streamed export's server-side cursor
    included) and the seconds spent in them."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class GarbageCollections:
    """Counts the garbage collector's passes per generation, and their seconds, between `start()` and
    `stop()` or while `counted()` runs (the time a profile attributes to whichever function was
    allocating when a pass began)."""

    def __init__(self):
        self.passes, self.seconds, self._started = [0, 0, 0], 0.0, 0.0

    def _callback(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.passes[info["generation"]] += 1
            self.seconds += time.perf_counter() - self._started

    def start(self):
        gc.callbacks.append(self._callback)
        return self

    def stop(self):
        gc.callbacks.remove(self._callback)

    @contextlib.contextmanager
    def counted(self):
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def summary(self):
        young, middle, old = self.passes
        return f"garbage collector: {young} / {middle} / {old} passes (generation 0 / 1 / 2), {self.seconds:.3f} s"


if __name__ == "__main__":  # a self-check: python benchmarks/_measure.py
    summary = summarise([3.0, 1.0, 2.0])
    assert (summary.median, summary.low, summary.high) == (2.0, 1.0, 3.0), summary
    emit("example", {"measure": "m", "ours_s": 1.234, "spread": summary.spread, "runs": summary.runs})
    print(summary, file=sys.stderr)
