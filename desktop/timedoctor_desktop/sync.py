"""Uploads the journal's closed entries through the batch endpoint: in batches, retried with
exponential backoff while the server is unreachable. `created` and `exists` clear an entry;
`conflict` and `rejected` keep it, with the server's code and message, for the person to see."""

import time
from dataclasses import dataclass, field

from . import clock
from .api import ApiError, NotSignedIn, Unreachable
from .journal import CONFLICT, PENDING, REJECTED, UPLOADED

BATCH_SIZE = 500
STATES = {"created": UPLOADED, "exists": UPLOADED, "conflict": CONFLICT, "rejected": REJECTED}


@dataclass
class Backoff:
    """Waits 1, 2, 4, … seconds (at most `cap`), or the server's Retry-After when it gives one."""

    attempts: int = 4
    base: float = 1.0
    cap: float = 60.0
    sleep: object = time.sleep

    def delays(self):
        return [min(self.cap, self.base * 2**attempt) for attempt in range(self.attempts - 1)]


@dataclass
class SyncReport:
    created: int = 0
    exists: int = 0
    conflicts: int = 0
    rejected: int = 0
    offline: bool = False
    error: str = ""
    refused: list = field(default_factory=list)

    @property
    def uploaded(self):
        return self.created + self.exists


def upload_pending(journal, client, *, batch_size=BATCH_SIZE, backoff=None):
    """Sends every pending entry; returns what happened. Stops at the first batch the server
    could not take after its retries (the entries stay pending for the next sync)."""
    backoff = backoff or Backoff()
    report = SyncReport()
    journal.set_meta(last_attempt_at=clock.to_text(clock.now()))
    while batch := journal.pending(batch_size):
        try:
            results = _send_with_retries(client, [entry.as_upload() for entry in batch], backoff)
        except Unreachable as error:
            report.offline, report.error = True, str(error)
            break
        except (NotSignedIn, ApiError) as error:
            report.error = str(error)
            break
        for entry, result in zip(batch, results, strict=True):
            state = STATES[result["status"]]
            journal.record_result(
                entry.client_id,
                state,
                code=result.get("code", ""),
                message=result.get("message", ""),
                server_id=result.get("id", ""),
            )
            _count(report, result["status"], entry)
    journal.set_meta(sync_offline="1" if report.offline else "0", sync_error=report.error)
    if not report.offline and not report.error:
        journal.set_meta(last_synced_at=clock.to_text(clock.now()))
    return report


def _send_with_retries(client, items, backoff):
    delays = backoff.delays()
    for attempt in range(len(delays) + 1):
        try:
            return client.upload(items)
        except Unreachable as error:
            if attempt == len(delays):
                raise
            backoff.sleep(min(backoff.cap, error.retry_after) if error.retry_after else delays[attempt])
    raise AssertionError("unreachable")


def _count(report, status, entry):
    if status == "created":
        report.created += 1
    elif status == "exists":
        report.exists += 1
    else:
        report.refused.append(entry.client_id)
        if status == "conflict":
            report.conflicts += 1
        else:
            report.rejected += 1


def waiting_count(journal):
    return journal.count(PENDING)
