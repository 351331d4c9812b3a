"""Pivotal's activity webhook: which people and stories a POSTed activity is about.

Pivotal signs nothing (shared/pivotal-tracker-api-v5.md §8); the webhook URL carries our secret.
"""

from typing import Any

from ..base import ActivityRefs


def parse_activity(payload: object) -> ActivityRefs:
    if not isinstance(payload, dict) or not str(payload.get("kind", "")).endswith("_activity"):
        raise ValueError("The body is not a Pivotal Tracker activity.")
    people: set[str] = set()
    stories: set[str] = set()
    performer = payload.get("performed_by") or {}
    if isinstance(performer, dict) and performer.get("id") is not None:
        people.add(_activity_id(performer["id"]))
    for change in _activity_list(payload.get("changes")):
        if not isinstance(change, dict) or change.get("kind") != "story":
            continue
        stories.add(_activity_id(change.get("id")))
        for values in (change.get("original_values"), change.get("new_values")):
            if isinstance(values, dict):
                people.update(_activity_id(owner) for owner in _activity_list(values.get("owner_ids")))
                if values.get("owned_by_id") is not None:
                    people.add(_activity_id(values["owned_by_id"]))
    for resource in _activity_list(payload.get("primary_resources")):
        if isinstance(resource, dict) and resource.get("kind") == "story":
            stories.add(_activity_id(resource.get("id")))
    return ActivityRefs(frozenset(people), frozenset(stories))


def _activity_list(value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("The activity has a list field that is not a list.")
    return value


def _activity_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("The activity has an id that is not a number.")
    return str(value)
