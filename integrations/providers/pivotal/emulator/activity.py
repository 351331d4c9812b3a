"""Builders for activity items (fact sheet §6), kept apart from the state that records them.

An item is rendered once, when it happens, and stored as a dict whose dates are still datetimes,
so the API can later print them as ISO strings or epoch millis (`date_format=millis`).
"""

from __future__ import annotations

from datetime import datetime

from .models import Person, Project, Story

STATE_HIGHLIGHTS = {
    "accepted": "accepted",
    "delivered": "delivered",
    "finished": "finished",
    "started": "started",
    "rejected": "rejected",
    "planned": "planned",
    "unstarted": "unstarted",
    "unscheduled": "unscheduled",
}


def story_resource(story: Story) -> dict:
    return {
        "kind": "story",
        "id": story.id,
        "name": story.name,
        "story_type": story.story_type,
        "url": story.url,
    }


def story_change(story: Story, change_type: str, *, original_values=None, new_values=None) -> dict:
    change = {"kind": "story", "change_type": change_type, "id": story.id}
    if original_values is not None:
        change["original_values"] = original_values
    if new_values is not None:
        change["new_values"] = new_values
    change["name"] = story.name
    change["story_type"] = story.story_type
    return change


def activity_item(
    *,
    kind: str,
    project: Project,
    version: int,
    occurred_at: datetime,
    performer: Person | None,
    message: str,
    highlight: str,
    changes: list[dict],
    primary_resources: list[dict],
) -> dict:
    item = {
        "kind": kind,
        "guid": f"{project.id}_{version}",
        "project_version": version,
        "message": message,
        "highlight": highlight,
        "changes": changes,
        "primary_resources": primary_resources,
        "secondary_resources": [],
        "project": {"kind": "project", "id": project.id, "name": project.name},
    }
    if performer is not None:
        item["performed_by"] = {
            "kind": "person",
            "id": performer.id,
            "name": performer.name,
            "initials": performer.initials,
        }
    item["occurred_at"] = occurred_at
    return item


def update_wording(story: Story, changed: dict) -> tuple[str, str]:
    """(highlight, verb phrase) for a story update, as Tracker words its feed."""
    if "current_state" in changed:
        highlight = STATE_HIGHLIGHTS[story.current_state]
        return highlight, f"{highlight} this {story.story_type}"
    if set(changed) == {"estimate"}:
        return "estimated", f"estimated this {story.story_type}"
    return "edited", f"edited this {story.story_type}"


def performer_name(performer: Person | None) -> str:
    return performer.name if performer else "Someone"
