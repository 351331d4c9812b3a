"""`timedoctor-desktop`: the window by default, and commands over the same core for scripts and
headless use. Exit codes: 0 fine, 1 error, 2 usage, 3 offline (the journal kept everything)."""

import argparse
import getpass
import os
import sys
from datetime import timedelta

from . import __version__, clock
from .api import ApiError, NotSignedIn, Unreachable
from .core import HEARTBEAT_SECONDS, Tracker, UnknownTask, describe_refusal
from .sync import Backoff

OFFLINE = 3


def main(argv=None):
    options = _parser().parse_args(argv)
    command = options.command or "gui"
    try:
        return COMMANDS[command](options) or 0
    except (NotSignedIn, UnknownTask, ApiError) as error:
        print(error, file=sys.stderr)
        return 1
    except Unreachable as error:
        print(f"offline: {error}", file=sys.stderr)
        return OFFLINE


def _parser():
    parser = argparse.ArgumentParser(prog="timedoctor-desktop", description="Track time on your tasks, offline first.")
    parser.add_argument("--version", action="version", version=f"timedoctor-desktop {__version__}")
    parser.add_argument(
        "--data-dir", help="where the journal lives (default: $TIMEDOCTOR_DESKTOP_HOME or the platform's data folder)"
    )
    commands = parser.add_subparsers(dest="command")
    window = commands.add_parser("gui", help="open the window (the default)")
    window.add_argument("--idle-minutes", type=float, default=5, help="ask about idle time after this long (5)")
    window.add_argument(
        "--heartbeat-seconds",
        type=float,
        default=HEARTBEAT_SECONDS,
        help=f"how often a running entry is written down ({HEARTBEAT_SECONDS})",
    )
    signin = commands.add_parser("signin", help="sign in with an app token made on the Desktop app page")
    signin.add_argument("--server", required=True, help="the server's address, e.g. https://time.example.com")
    signin.add_argument("--token", help="the app token (else $TIMEDOCTOR_TOKEN, else asked for)")
    tasks = commands.add_parser("tasks", help="list your tasks, grouped by project")
    tasks.add_argument("search", nargs="?", default="", help="only tasks whose title, project or id contain this")
    tasks.add_argument("--offline", action="store_true", help="do not ask the server: show the cached list")
    start = commands.add_parser("start", help="start the timer (switches task when one runs)")
    start.add_argument("task", nargs="?", help="a task id or story number from `tasks`; none for no task")
    start.add_argument("--note", default="")
    stop = commands.add_parser("stop", help="stop the timer and upload")
    stop.add_argument("--no-sync", action="store_true", help="only write the journal")
    commands.add_parser("status", help="the running timer, today's total and the uploads")
    commands.add_parser("sync", help="upload what is waiting, retrying with backoff")
    recover = commands.add_parser("recover", help="settle an entry left open by a closed or crashed window")
    recover.add_argument(
        "choice",
        choices=["keep", "discard", "resume"],
        help="keep it until its last heartbeat, discard it, or resume it",
    )
    dismiss = commands.add_parser("dismiss", help="let go of an entry the server refused, once you have read why")
    dismiss.add_argument("entry", help="the start of its id, as `status` shows it")
    return parser


def _tracker(options):
    return Tracker(options.data_dir)


def gui(options):
    from .gui.app import run

    idle_minutes = getattr(options, "idle_minutes", 5)
    heartbeat = getattr(options, "heartbeat_seconds", HEARTBEAT_SECONDS)
    return run(Tracker(options.data_dir, heartbeat_seconds=heartbeat), idle_threshold=timedelta(minutes=idle_minutes))


def signin(options):
    token = options.token or os.environ.get("TIMEDOCTOR_TOKEN") or getpass.getpass("App token: ")
    tracker = _tracker(options)
    me, kept = tracker.sign_in(options.server, token.strip())
    print(f"Signed in as {me['name'] or me['email']} ({me['company']['name']}); token kept in {kept}.")
    print(f"Tasks: {tracker.refresh_tasks()}.")


def tasks(options):
    tracker = _tracker(options)
    if not options.offline:
        answer = tracker.refresh_tasks()
        if answer == "offline":
            print("offline: showing the cached list", file=sys.stderr)
    for project in tracker.tasks.search(options.search):
        print(project["name"])
        for task in project["tasks"]:
            story = f"#{task['external_id']}" if task.get("external_id") else ""
            print(f"  {task['id']}  {story:>12}  {task['title']}  {task['url']}".rstrip())
    return 0


def start(options):
    tracker = _tracker(options)
    entry = tracker.start(options.task, note=options.note, heartbeat=False)
    print(f"Started {entry.task_title or 'No task'} at {entry.started_at.astimezone():%H:%M:%S}.")


def stop(options):
    tracker = _tracker(options)
    entry = tracker.stop()
    if entry is None:
        print("No timer is running.")
        return 0
    if entry.state == "discarded":
        print("Stopped: it ran for less than a second, nothing to keep.")
        return 0
    print(f"Stopped {entry.task_title or 'No task'} after {clock.format_duration(entry.seconds(clock.now()))}.")
    if not options.no_sync:
        return _report(tracker, tracker.sync(backoff=Backoff(attempts=2)))
    return 0


def status(options):
    tracker = _tracker(options)
    now = clock.now()
    state = tracker.status(now)
    if state.running:
        left_open = tracker.open_entry_from_closed_app(now)
        print(
            f"Running: {state.running.task_title or 'No task'} for {clock.format_duration(state.running.seconds(now))}"
        )
        if left_open:
            print(
                f"  left open by a closed app (last heartbeat {left_open.heartbeat_at.astimezone():%H:%M:%S}): "
                "run `timedoctor-desktop recover keep|discard|resume`"
            )
    else:
        print("Not running.")
    print(f"Today: {clock.format_hours(state.today_seconds)}")
    print(f"Uploads: {state.sync_text(now)}")
    for entry in state.attention:
        print(f"  {entry.client_id[:8]} {entry.state}: {describe_refusal(entry)}")
    return 0


def sync(options):
    tracker = _tracker(options)
    return _report(tracker, tracker.sync())


def recover(options):
    tracker = _tracker(options)
    tracker.recover(options.choice)
    print(f"Open entry: {options.choice}.")


def dismiss(options):
    tracker = _tracker(options)
    found = [entry for entry in tracker.journal.needs_attention() if entry.client_id.startswith(options.entry)]
    if len(found) != 1:
        print(f"{len(found)} refused entries start with {options.entry!r}: give one exactly.", file=sys.stderr)
        return 2
    tracker.journal.dismiss(found[0].client_id)
    print(f"Dismissed: {describe_refusal(found[0])}")
    return 0


def _report(tracker, report):
    print(
        f"Uploaded {report.uploaded} ({report.created} new, {report.exists} already there); "
        f"{report.conflicts} conflicts, {report.rejected} rejected."
    )
    for entry in tracker.journal.needs_attention():  # kept until the person dismisses them
        print(f"  {entry.client_id[:8]} {entry.state}: {describe_refusal(entry)}")
    if report.offline:
        print(f"offline: {report.error} The entries stay in the journal.", file=sys.stderr)
        return OFFLINE
    if report.error:
        print(report.error, file=sys.stderr)
        return 1
    return 0


COMMANDS = {
    "gui": gui,
    "signin": signin,
    "tasks": tasks,
    "start": start,
    "stop": stop,
    "status": status,
    "sync": sync,
    "recover": recover,
    "dismiss": dismiss,
}
