"""Reading the next page while the current one is written.

`prefetched(pages)` runs the page iterator in a helper thread, one page ahead of the consumer, so
a sync's time is about the larger of network time and write time instead of their sum. The helper
thread only does HTTP (never touches the database); its exceptions are raised in the consumer.
"""

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import cast

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched[T](iterator: Iterable[T], *, ahead: int = 1) -> Iterator[T]:
    items: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        """Waits for room in the queue; gives up when the consumer has gone."""
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in iterator:
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as error:  # handed over to the consumer, raised there
            hand_over(_Failure(error))

    worker = threading.Thread(target=produce, name="page-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield cast(T, item)  # neither _DONE nor a _Failure: one of the iterator's items
    finally:
        stop.set()
        worker.join(timeout=5)
