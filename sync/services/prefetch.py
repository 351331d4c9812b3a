"""Reading ahead while pages are written, so a sync takes about the larger of network time and
write time instead of their sum.

`ReadAhead` reads a list of projects in a helper thread, page after page and project after
project, a few pages ahead of the consumer: the next project's first pages are on their way while
the current project's last page is written. `prefetched(pages)` does the same for one iterator.
The helper thread only does HTTP and decoding (never touches the database), and no client is used
by two threads at once: `ReadAhead` is given a client of its own, and `prefetched` has finished
(its thread joined) before the consumer uses the iterator's client again. The helper's exceptions
are raised in the consumer, when it reaches the page that failed.
"""

import queue
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import cast

_END = object()  # after the last page of a read
_FINISHED = object()  # after the last read, or when the reading stopped at a failure


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class ReadAhead[T]:
    """`reads` are (key, function returning the read's iterator), in the order the consumer asks
    for them with `pages(key)`. A read that fails with one of `go_on_after` fails alone (the next
    reads are still read ahead); any other failure ends the reading."""

    def __init__(
        self,
        reads: Iterable[tuple[Hashable, Callable[[], Iterable[T]]]],
        *,
        ahead: int = 2,
        go_on_after: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._reads = list(reads)
        self._items: queue.Queue[tuple[Hashable, object]] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._go_on_after = go_on_after
        self._thread = threading.Thread(target=self._produce, name="page-read-ahead", daemon=True)
        self._head: tuple[Hashable, object] | None = None
        self._failure: BaseException | None = None

    def __enter__(self) -> "ReadAhead[T]":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def pages(self, key: Hashable) -> Iterator[T]:
        """The items of read `key`; items of reads the consumer passed over are dropped."""
        while True:
            item_key, item = self._next()
            if item is _FINISHED:  # read `key` will not come: the reading stopped at a failure
                self._head = (item_key, item)
                raise self._failure or LookupError(f"{key!r} is not one of the reads")
            if item_key != key:
                if self._position(item_key) > self._position(key):
                    self._head = (item_key, item)  # belongs to a later read: keep it for that one
                    return
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield cast(T, item)

    def _next(self) -> tuple[Hashable, object]:
        if self._head is not None:
            head, self._head = self._head, None
            return head
        return self._items.get()

    def _position(self, key: Hashable) -> int:
        return next(position for position, (read_key, _) in enumerate(self._reads) if read_key == key)

    def _hand_over(self, item: tuple[Hashable, object]) -> bool:
        """Waits for room in the queue; gives up when the consumer has gone."""
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        for key, read in self._reads:
            try:
                for page in read():
                    if not self._hand_over((key, page)):
                        return
            except BaseException as error:  # handed over to the consumer, raised there
                if not self._hand_over((key, _Failure(error))):
                    return
                if not isinstance(error, self._go_on_after):
                    self._failure = error
                    break
                continue
            if not self._hand_over((key, _END)):
                return
        self._hand_over((None, _FINISHED))


def prefetched[T](iterator: Iterable[T], *, ahead: int = 1) -> Iterator[T]:
    """The iterator's items, read one page ahead in a helper thread."""
    with ReadAhead([(None, lambda: iterator)], ahead=ahead) as reading:
        yield from reading.pages(None)
