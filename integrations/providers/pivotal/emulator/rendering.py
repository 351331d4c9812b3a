"""JSON shapes of the API resources, and JSON answers that print their dates as Tracker does.

Builders return dicts whose dates are still `datetime` objects; `json_response` prints them as
ISO-8601 `Z` strings or as epoch millis (`date_format=millis`). Like the real API, attributes
that are null are left out (no `estimate`, `description` or `accepted_at` key when unset);
list attributes such as `owner_ids` and `labels` stay, empty.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from integrations.providers.emulator_kit import web as kit_web
from integrations.providers.emulator_kit.clock import format_iso as iso
from integrations.providers.emulator_kit.web import Response

from .models import Label, Membership, Person, Project, Story, Transition, Webhook

DATE_FORMATS = ("iso", "millis")


def omit_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def millis(when: datetime) -> int:
    return int(when.timestamp()) * 1000 + when.microsecond // 1000


def json_response(data, status: int = 200, *, date_format: str = "iso", headers=()) -> Response:
    return kit_web.json_response(data, status, headers=headers, print_date=millis if date_format == "millis" else iso)


def number(value):
    """Estimates are floats in Tracker's model but print as `2`, not `2.0`, when whole."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def time_zone_json(olson_name: str, at: datetime) -> dict:
    try:
        offset = at.astimezone(ZoneInfo(olson_name)).strftime("%z")
    except ZoneInfoNotFoundError:
        offset = "+0000"
    return {"kind": "time_zone", "olson_name": olson_name, "offset": f"{offset[:3]}:{offset[3:]}"}


def person_json(person: Person) -> dict:
    return {
        "kind": "person",
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "initials": person.initials,
        "username": person.username,
    }


def label_json(label: Label) -> dict:
    return {
        "id": label.id,
        "project_id": label.project_id,
        "kind": "label",
        "name": label.name,
        "created_at": label.created_at,
        "updated_at": label.updated_at,
    }


def story_json(state, story: Story) -> dict:
    return omit_none(
        {
            "kind": "story",
            "id": story.id,
            "created_at": story.created_at,
            "updated_at": story.updated_at,
            "accepted_at": story.accepted_at,
            "deadline": story.deadline,
            "estimate": number(story.estimate),
            "story_type": story.story_type,
            "story_priority": story.story_priority,
            "name": story.name,
            "description": story.description or None,
            "current_state": story.current_state,
            "requested_by_id": story.requested_by_id,
            "url": story.url,
            "project_id": story.project_id,
            "owner_ids": list(story.owner_ids),
            "owned_by_id": story.owner_ids[0] if story.owner_ids else None,
            "labels": [label_json(label) for label in state.labels_of(story)],
        }
    )


def project_json(state, project: Project) -> dict:
    now = state.now()
    return omit_none(
        {
            "kind": "project",
            "id": project.id,
            "name": project.name,
            "description": project.description or None,
            "version": project.version,
            "iteration_length": project.iteration_length,
            "week_start_day": project.week_start_day,
            "point_scale": project.point_scale,
            "point_scale_is_custom": project.point_scale_is_custom,
            "bugs_and_chores_are_estimatable": project.bugs_and_chores_are_estimatable,
            "automatic_planning": project.automatic_planning,
            "enable_tasks": project.enable_tasks,
            "start_date": project.start_time.date().isoformat(),
            "time_zone": time_zone_json(project.time_zone, now),
            "velocity_averaged_over": project.velocity_averaged_over,
            "number_of_done_iterations_to_show": project.number_of_done_iterations_to_show,
            "has_google_domain": project.has_google_domain,
            "enable_incoming_emails": project.enable_incoming_emails,
            "initial_velocity": project.initial_velocity,
            "public": project.public,
            "atom_enabled": project.atom_enabled,
            "project_type": project.project_type,
            "start_time": project.start_time,
            "created_at": project.created_at,
            "updated_at": project.updated_at,
            "account_id": project.account_id,
            "current_iteration_number": current_iteration_number(project, now),
            "enable_following": project.enable_following,
        }
    )


def current_iteration_number(project: Project, now: datetime) -> int:
    if now < project.start_time:
        return 1
    weeks = (now - project.start_time).days // 7
    return weeks // project.iteration_length + 1


def membership_json(state, membership: Membership) -> dict:
    return omit_none(
        {
            "kind": "project_membership",
            "id": membership.id,
            "person": person_json(state.person(membership.person_id)),
            "project_id": membership.project_id,
            "role": membership.role,
            "project_color": membership.project_color,
            "favorite": membership.favorite,
            "last_viewed_at": membership.last_viewed_at,
            "created_at": membership.created_at,
            "updated_at": membership.updated_at,
        }
    )


def membership_summary_json(state, membership: Membership) -> dict:
    project = state.project(membership.project_id)
    return omit_none(
        {
            "kind": "membership_summary",
            "id": membership.id,
            "project_id": project.id,
            "project_name": project.name,
            "project_color": membership.project_color,
            "favorite": membership.favorite,
            "role": membership.role,
            "last_viewed_at": membership.last_viewed_at,
        }
    )


def me_json(state, person: Person) -> dict:
    return omit_none(
        {
            "kind": "me",
            "id": person.id,
            "name": person.name,
            "initials": person.initials,
            "username": person.username,
            "email": person.email,
            "api_token": person.api_token,
            "time_zone": time_zone_json(person.time_zone, state.now()),
            "has_google_identity": False,
            "receives_in_app_notifications": True,
            "created_at": person.created_at,
            "updated_at": person.updated_at,
            "projects": [
                membership_summary_json(state, membership) for membership in state.memberships_of_person(person.id)
            ],
        }
    )


def transition_json(transition: Transition) -> dict:
    return omit_none(
        {
            "kind": "story_transition",
            "state": transition.state,
            "story_id": transition.story_id,
            "project_id": transition.project_id,
            "project_version": transition.project_version,
            "occurred_at": transition.occurred_at,
            "performed_by_id": transition.performed_by_id,
        }
    )


def webhook_json(webhook: Webhook) -> dict:
    return {
        "kind": "webhook",
        "id": webhook.id,
        "project_id": webhook.project_id,
        "webhook_url": webhook.webhook_url,
        "webhook_version": webhook.webhook_version,
        "created_at": webhook.created_at,
        "updated_at": webhook.updated_at,
    }
