"""The person's tasks, kept in the journal's database so they are there offline, and revalidated
with the server's ETag (an unchanged list costs a 304 and no body)."""

import json

from . import clock
from .api import Unreachable


class TaskCache:
    def __init__(self, journal):
        self.journal = journal

    @property
    def projects(self):
        return json.loads(self.journal.get_meta("tasks", "[]"))

    @property
    def etag(self):
        return self.journal.get_meta("tasks_etag") or None

    @property
    def fetched_at(self):
        return clock.from_text(self.journal.get_meta("tasks_checked_at"))

    def refresh(self, client):
        """Asks the server; returns "updated", "unchanged" (304) or "offline" (the cached list stays)."""
        try:
            answer = client.tasks(self.etag)
        except Unreachable:
            return "offline"
        if answer.not_modified:
            self.journal.set_meta(tasks_checked_at=clock.to_text(clock.now()))
            return "unchanged"
        self.journal.set_meta(
            tasks=json.dumps(answer.projects), tasks_etag=answer.etag or "", tasks_checked_at=clock.to_text(clock.now())
        )
        return "updated"

    def find(self, task_id):
        """(task, project name) for a task id in the cached list, or (None, "")."""
        for project in self.projects:
            for task in project["tasks"]:
                if task["id"] == task_id:
                    return task, project["name"]
        return None, ""

    def search(self, text=""):
        """The projects with their tasks whose title, project, id or labels contain the text."""
        needle = text.strip().lower()
        found = []
        for project in self.projects:
            if needle and needle in project["name"].lower():
                found.append(project)
                continue
            tasks = [task for task in project["tasks"] if not needle or needle in _haystack(task)]
            if tasks:
                found.append({**project, "tasks": tasks})
        return found


def _haystack(task):
    return " ".join([task["title"], task.get("external_id", ""), *task.get("labels", [])]).lower()
