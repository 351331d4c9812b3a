"""Network work off the window's thread: uploads and task refreshes run in a Python thread and
report back through a Qt signal (queued onto the window's thread)."""

import threading

from PySide6.QtCore import QObject, Signal

from ..api import ApiError, NotSignedIn, Unreachable
from ..sync import Backoff


class Background(QObject):
    synced = Signal(object)  # a SyncReport, or an error text
    tasks_refreshed = Signal(str)  # "updated", "unchanged", "offline" or an error text

    def __init__(self, tracker, backoff_attempts=3):
        super().__init__()
        self.tracker = tracker
        self.backoff_attempts = backoff_attempts
        self._busy = threading.Lock()

    @property
    def busy(self):
        return self._busy.locked()

    def sync(self):
        self._run(self._sync)

    def refresh_tasks(self):
        self._run(self._refresh)

    def _run(self, job):
        if not self._busy.acquire(blocking=False):
            return False  # one network job at a time; the next tick tries again
        thread = threading.Thread(target=self._guarded, args=(job,), daemon=True)
        thread.start()
        return True

    def _guarded(self, job):
        try:
            job()
        finally:
            self._busy.release()

    def _sync(self):
        try:
            report = self.tracker.sync(backoff=Backoff(attempts=self.backoff_attempts))
        except (NotSignedIn, ApiError, Unreachable) as error:
            report = str(error)
            self.tracker.journal.set_meta(sync_error=report)  # shown in the status line
        self.synced.emit(report)

    def _refresh(self):
        try:
            answer = self.tracker.refresh_tasks()
        except (NotSignedIn, ApiError) as error:
            answer = str(error)
        self.tasks_refreshed.emit(answer)
        self._sync()
