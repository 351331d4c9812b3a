"""Counting (and timing) SQL statements without the debug cursor's formatting cost."""

import time


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
