"""A day of work written to a journal at given times, and what the server holds afterwards."""

import shutil
from datetime import UTC, datetime, timedelta

from timedoctor_desktop.journal import UPLOADED

from tracking.models import TimeEntry


def day_of_work(tracker, day_start, plan):
    """`plan`: (task reference, minutes of work, minutes of break after) in order, from day_start."""
    at = day_start
    for reference, minutes, pause in plan:
        tracker.start(reference, at=at)
        at += timedelta(minutes=minutes)
        tracker.stop(at=at)
        at += timedelta(minutes=pause)
    return at


def this_morning(hours_ago=9):
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


def rows_on_server(member):
    return list(TimeEntry.objects.filter(membership=member).order_by("started_at"))


def client_ids(tracker):
    return sorted(
        entry.client_id
        for entry in tracker.journal.entries_since(datetime(2000, 1, 1, tzinfo=UTC))
        if entry.state == UPLOADED
    )


def copy_data_folder(tracker, destination):
    """Another computer (or a restored backup) with the same journal file."""
    shutil.copytree(tracker.folder, destination)
    return destination
