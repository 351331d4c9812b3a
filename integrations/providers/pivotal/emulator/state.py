"""The emulator's in-memory Tracker: people, projects, memberships, stories, activity, webhooks.

Everything is guarded by one re-entrant lock (`state.lock`, see `emulator_kit.state`): the HTTP
threads hold it while they read, and every mutation takes it, so a request never sees half a
change. Mutations behave like Tracker's: each change to a story bumps its project's `version`
and appends an activity item carrying that version, which is what incremental-sync clients
poll for.

Unknown ids raise `LookupError`, invalid values raise `ValueError`; the control endpoints turn
them into 404 and 400.
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, timedelta

from integrations.providers.emulator_kit.clock import Clock
from integrations.providers.emulator_kit.state import LockedState, locked

from . import activity as activity_items
from .models import (
    PROJECT_ROLES,
    STORY_STATES,
    STORY_TYPES,
    Activity,
    Label,
    Membership,
    Person,
    Project,
    Story,
    Transition,
    Webhook,
)
from .rendering import number, story_json

STORY_UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "story_type",
        "current_state",
        "estimate",
        "owner_ids",
        "requested_by_id",
        "labels",
        "accepted_at",
        "deadline",
        "story_priority",
    }
)
STORY_PRIORITIES = ("p0", "p1", "p2", "p3", "none")
PROJECT_FIELDS = frozenset(field.name for field in dataclasses.fields(Project)) - {"id", "name"}
FIRST_IDS = {
    "person": 101,
    "project": 2561001,
    "membership": 9001,
    "label": 5001,
    "story": 187654001,
    "webhook": 301,
}


class EmulatorState(LockedState):
    def __init__(self, clock: Clock | None = None):
        super().__init__(clock)
        self._next_ids = dict(FIRST_IDS)
        self._people: dict[int, Person] = {}
        self._projects: dict[int, Project] = {}
        self._memberships: dict[int, Membership] = {}
        self._labels: dict[int, dict[str, Label]] = {}  # project id -> lower-cased name -> label
        self._stories: dict[int, Story] = {}
        self._deleted_story_ids: set[int] = set()
        self._next_positions: dict[int, int] = {}
        self._activities: dict[int, list[Activity]] = {}  # project id -> oldest first
        self._transitions: list[Transition] = []
        self._webhooks: dict[int, Webhook] = {}

    # People ------------------------------------------------------------------------------

    @locked
    def add_person(
        self,
        name: str,
        email: str,
        username: str | None = None,
        *,
        initials: str | None = None,
        api_token: str | None = None,
        time_zone: str = "Etc/UTC",
        id: int | None = None,
        created_at: datetime | None = None,
    ) -> Person:
        username = username or email.split("@")[0]
        if any(p.email.lower() == email.lower() for p in self._people.values()):
            raise ValueError(f"email {email} is already taken")
        if any(p.username == username for p in self._people.values()):
            raise ValueError(f"username {username} is already taken")
        if api_token is not None and self.person_by_token(api_token):
            raise ValueError("api_token is already in use")
        created_at = created_at or self.now()
        person = Person(
            id=self._new_id("person", id),
            name=name,
            initials=initials or "".join(word[0] for word in name.split()).upper(),
            username=username,
            email=email,
            api_token=api_token or secrets.token_hex(16),
            time_zone=time_zone,
            created_at=created_at,
            updated_at=created_at,
        )
        self._people[person.id] = person
        return person

    @locked
    def person(self, person_id: int) -> Person | None:
        return self._people.get(person_id)

    @locked
    def people(self) -> list[Person]:
        return sorted(self._people.values(), key=lambda p: p.id)

    @locked
    def person_by_token(self, token: str | None) -> Person | None:
        if not token:
            return None
        return next((p for p in self._people.values() if p.api_token == token), None)

    @locked
    def find_person(self, reference: str) -> Person | None:
        """Resolve a person the way Tracker's search does: id, username, initials or full name."""
        reference = reference.strip()
        if reference.isdigit():
            return self._people.get(int(reference))
        wanted = reference.lower()
        for attribute in ("username", "initials", "name", "email"):
            for person in self.people():
                if getattr(person, attribute).lower() == wanted:
                    return person
        return None

    @locked
    def revoke_token(self, person_id: int) -> None:
        """The token stops working; the person keeps their data (as when revoked in Tracker's profile)."""
        self._require_person(person_id).api_token = None

    @locked
    def rotate_token(self, person_id: int) -> str:
        person = self._require_person(person_id)
        person.api_token = secrets.token_hex(16)
        return person.api_token

    # Projects and memberships -----------------------------------------------------------------

    @locked
    def add_project(
        self,
        name: str,
        *,
        id: int | None = None,
        created_at: datetime | None = None,
        start_time: datetime | None = None,
        **fields,
    ) -> Project:
        unknown = set(fields) - PROJECT_FIELDS
        if unknown:
            raise ValueError(f"unknown project fields: {', '.join(sorted(unknown))}")
        created_at = created_at or self.now()
        project = Project(
            id=self._new_id("project", id),
            name=name,
            created_at=created_at,
            updated_at=fields.pop("updated_at", created_at),
            start_time=start_time or _monday_before(created_at),
            **fields,
        )
        self._projects[project.id] = project
        self._activities[project.id] = []
        self._labels[project.id] = {}
        self._next_positions[project.id] = 1
        return project

    @locked
    def project(self, project_id: int) -> Project | None:
        return self._projects.get(project_id)

    @locked
    def projects(self) -> list[Project]:
        return sorted(self._projects.values(), key=lambda p: p.id)

    @locked
    def add_membership(
        self,
        person_id: int,
        project_id: int,
        role: str = "member",
        *,
        id: int | None = None,
        created_at: datetime | None = None,
        last_viewed_at: datetime | None = None,
        favorite: bool = False,
    ) -> Membership:
        self._require_person(person_id)
        project = self._require_project(project_id)
        if role not in PROJECT_ROLES:
            raise ValueError(f"role must be one of {', '.join(PROJECT_ROLES)}")
        if self.membership(person_id, project_id):
            raise ValueError(f"person {person_id} is already a member of project {project_id}")
        created_at = created_at or self.now()
        membership = Membership(
            id=self._new_id("membership", id),
            person_id=person_id,
            project_id=project_id,
            role=role,
            created_at=created_at,
            updated_at=created_at,
            project_color=project.color,
            favorite=favorite,
            last_viewed_at=last_viewed_at,
        )
        self._memberships[membership.id] = membership
        return membership

    @locked
    def remove_membership(self, person_id: int, project_id: int) -> None:
        membership = self.membership(person_id, project_id)
        if membership is None:
            raise LookupError(f"person {person_id} is not a member of project {project_id}")
        del self._memberships[membership.id]

    @locked
    def membership(self, person_id: int, project_id: int) -> Membership | None:
        return next(
            (m for m in self._memberships.values() if m.person_id == person_id and m.project_id == project_id),
            None,
        )

    @locked
    def memberships_of_person(self, person_id: int) -> list[Membership]:
        return sorted((m for m in self._memberships.values() if m.person_id == person_id), key=lambda m: m.id)

    @locked
    def memberships_of_project(self, project_id: int) -> list[Membership]:
        return sorted(
            (m for m in self._memberships.values() if m.project_id == project_id),
            key=lambda m: m.id,
        )

    @locked
    def can_read_project(self, person_id: int, project_id: int) -> bool:
        project = self._projects.get(project_id)
        if project is None:
            return False
        return project.public or self.membership(person_id, project_id) is not None

    # Stories ----------------------------------------------------------------------------------

    @locked
    def add_story(
        self,
        project_id: int,
        name: str,
        story_type: str = "feature",
        current_state: str = "unstarted",
        *,
        id: int | None = None,
        requested_by_id: int | None = None,
        owner_ids=(),
        labels=(),
        description: str | None = None,
        estimate: float | None = None,
        accepted_at: datetime | None = None,
        deadline: datetime | None = None,
        story_priority: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        performed_by_id: int | None = None,
        record_activity: bool = True,
    ) -> Story:
        """Create a story; like Tracker, this records a `story_create_activity` (unless told not
        to, e.g. for bulk benchmark data) and bumps the project version."""
        project = self._require_project(project_id)
        if id is not None and (id in self._stories or id in self._deleted_story_ids):
            raise ValueError(f"story id {id} is already taken")
        created_at = created_at or self.now()
        updated_at = updated_at or created_at
        if current_state == "accepted" and accepted_at is None:
            accepted_at = updated_at
        if requested_by_id is None:
            requested_by_id = performed_by_id or self._default_performer_id(project_id)
        values = {
            "name": name,
            "story_type": story_type,
            "current_state": current_state,
            "requested_by_id": requested_by_id,
            "owner_ids": owner_ids,
            "labels": labels,
            "description": description,
            "estimate": estimate,
            "accepted_at": accepted_at,
            "deadline": deadline,
            "story_priority": story_priority,
        }
        values = self._clean_story_values(project, values, values)
        performer = self._performer(performed_by_id or requested_by_id, project.id)
        story = Story(
            id=self._new_id("story", id),
            project_id=project.id,
            created_at=created_at,
            updated_at=updated_at,
            position=self._take_position(project.id),
            **values,
        )
        self._stories[story.id] = story
        self._ensure_labels(project.id, story.labels, created_at)
        if record_activity:
            version = self._bump(project)
            self._transitions.append(
                Transition(story.id, project.id, version, story.current_state, created_at, _id(performer))
            )
            self._record(
                project,
                version,
                "story_create_activity",
                performer,
                f"{activity_items.performer_name(performer)} added this {story.story_type}",
                "added",
                [activity_items.story_change(story, "create", new_values=self._story_values(story))],
                story,
                created_at,
            )
        return story

    @locked
    def story(self, story_id: int) -> Story | None:
        """A live story, wherever it is now; None when it never existed or was deleted."""
        return self._stories.get(story_id)

    @locked
    def story_was_deleted(self, story_id: int) -> bool:
        return story_id in self._deleted_story_ids

    @locked
    def stories_in(self, project_id: int) -> list[Story]:
        """The project's stories in Tracker's panel order: done, current and backlog, icebox."""
        return sorted(
            (s for s in self._stories.values() if s.project_id == project_id),
            key=lambda s: (s.panel, s.position, s.id),
        )

    @locked
    def labels_of(self, story: Story) -> list[Label]:
        labels = self._labels.get(story.project_id, {})
        return [labels[name.lower()] for name in story.labels if name.lower() in labels]

    @locked
    def update_story(self, story_id: int, *, performed_by_id: int | None = None, **changes) -> Story:
        """Change a story, bump `updated_at` and the project version, record a
        `story_update_activity` with the original and new values of what changed. Changing
        nothing is a no-op (no version bump, no activity)."""
        story = self._require_story(story_id)
        project = self._projects[story.project_id]
        performer = self._performer(performed_by_id, project.id)
        unknown = set(changes) - STORY_UPDATABLE_FIELDS
        if unknown:
            raise ValueError(f"cannot update story fields: {', '.join(sorted(unknown))}")
        now = self.now()
        new_state = changes.get("current_state", story.current_state)
        if new_state != story.current_state and "accepted_at" not in changes:
            changes["accepted_at"] = now if new_state == "accepted" else None
        new_type = changes.get("story_type", story.story_type)
        if "estimate" not in changes and story.estimate is not None:
            if not self._is_estimatable(project, new_type):
                changes["estimate"] = None
        if "deadline" not in changes and new_type != "release":
            changes["deadline"] = None
        merged = {field: getattr(story, field) for field in STORY_UPDATABLE_FIELDS} | changes
        cleaned = self._clean_story_values(project, merged, changes)
        self._ensure_labels(project.id, cleaned["labels"], now)

        original_values, new_values = {}, {}
        for field in changes:
            before, after = getattr(story, field), cleaned[field]
            if before == after:
                continue
            original_values.update(self._change_value(story, field, before))
            setattr(story, field, after)
            new_values.update(self._change_value(story, field, after))
        if not new_values:
            return story
        highlight, phrase = activity_items.update_wording(story, new_values)
        original_values["updated_at"], new_values["updated_at"] = story.updated_at, now
        story.updated_at = now
        version = self._bump(project)
        if "current_state" in new_values:
            self._transitions.append(
                Transition(story.id, project.id, version, story.current_state, now, _id(performer))
            )
        self._record(
            project,
            version,
            "story_update_activity",
            performer,
            f"{activity_items.performer_name(performer)} {phrase}",
            highlight,
            [activity_items.story_change(story, "update", original_values=original_values, new_values=new_values)],
            story,
            now,
        )
        return story

    @locked
    def delete_story(self, story_id: int, *, performed_by_id: int | None = None) -> Story:
        """Delete a story for good and record a `story_delete_activity` (change_type `delete`)."""
        story = self._require_story(story_id)
        project = self._projects[story.project_id]
        performer = self._performer(performed_by_id, project.id)
        del self._stories[story.id]
        self._deleted_story_ids.add(story.id)
        now = self.now()
        self._record(
            project,
            self._bump(project),
            "story_delete_activity",
            performer,
            f"{activity_items.performer_name(performer)} deleted this {story.story_type}",
            "deleted",
            [activity_items.story_change(story, "delete")],
            story,
            now,
        )
        return story

    @locked
    def move_story(self, story_id: int, to_project_id: int, *, performed_by_id: int | None = None) -> Story:
        """Move a story to another project: `story_move_from_project_activity` (change_type
        `delete`) in the old project, `story_move_into_project_activity` (change_type `create`,
        the full story in `new_values`) in the new one; each project's version goes up."""
        story = self._require_story(story_id)
        source = self._projects[story.project_id]
        target = self._require_project(to_project_id)
        if target.id == source.id:
            raise ValueError(f"story {story_id} is already in project {target.id}")
        performer = self._performer(performed_by_id, source.id)
        who = activity_items.performer_name(performer)
        now = self.now()
        self._record(
            source,
            self._bump(source),
            "story_move_from_project_activity",
            performer,
            f"{who} moved this {story.story_type} from {source.name} to {target.name}",
            "moved",
            [activity_items.story_change(story, "delete")],
            story,
            now,
        )
        story.project_id = target.id
        story.position = self._take_position(target.id)
        story.updated_at = now
        self._ensure_labels(target.id, story.labels, now)
        self._record(
            target,
            self._bump(target),
            "story_move_into_project_activity",
            performer,
            f"{who} moved this {story.story_type} into {target.name} from {source.name}",
            "moved",
            [activity_items.story_change(story, "create", new_values=self._story_values(story))],
            story,
            now,
        )
        return story

    @locked
    def prioritize_story(
        self, story_id: int, *, before_id: int | None = None, performed_by_id: int | None = None
    ) -> Story:
        """Re-prioritise a story: put it just before `before_id` (another story of the project), or
        last when None (stories stay in the panel their state puts them in). Bumps `updated_at` and
        the project version and records a `story_move_activity`, as Tracker does for a drag and drop."""
        story = self._require_story(story_id)
        project = self._projects[story.project_id]
        performer = self._performer(performed_by_id, project.id)
        if before_id is None:
            story.position = self._take_position(project.id)
        else:
            anchor = self._require_story(before_id)
            if anchor.project_id != project.id:
                raise ValueError(f"story {before_id} is not in project {project.id}")
            place = anchor.position
            for other in self._stories.values():
                if other.project_id == project.id and other.position >= place and other.id != story.id:
                    other.position += 1
            story.position = place
            self._next_positions[project.id] = max(
                self._next_positions[project.id],
                max(s.position for s in self._stories.values() if s.project_id == project.id) + 1,
            )
        now = self.now()
        story.updated_at = now
        self._record(
            project,
            self._bump(project),
            "story_move_activity",
            performer,
            f"{activity_items.performer_name(performer)} moved this {story.story_type}",
            "moved",
            [activity_items.story_change(story, "update")],
            story,
            now,
        )
        return story

    # Activity and transitions -----------------------------------------------------------------

    @locked
    def activities_in(self, project_id: int) -> list[Activity]:
        """Newest first, as Tracker returns them."""
        return list(reversed(self._activities.get(project_id, [])))

    @locked
    def activities_by(self, person_id: int) -> list[Activity]:
        """Everything a person did, in every project, newest first (for `/my/activity`)."""
        items = [item for items in self._activities.values() for item in items if item.performed_by_id == person_id]
        return sorted(items, key=lambda a: (a.occurred_at, a.project_version), reverse=True)

    @locked
    def transitions_of_story(self, story_id: int) -> list[Transition]:
        return [t for t in self._transitions if t.story_id == story_id]

    @locked
    def transitions_in(self, project_id: int) -> list[Transition]:
        return [t for t in self._transitions if t.project_id == project_id]

    # Webhooks ---------------------------------------------------------------------------------

    @locked
    def add_webhook(self, project_id: int, webhook_url: str, webhook_version: str = "v5") -> Webhook:
        self._require_project(project_id)
        now = self.now()
        webhook = Webhook(self._new_id("webhook"), project_id, webhook_url, webhook_version, now, now)
        self._webhooks[webhook.id] = webhook
        return webhook

    @locked
    def webhook(self, webhook_id: int) -> Webhook | None:
        return self._webhooks.get(webhook_id)

    @locked
    def webhooks_in(self, project_id: int) -> list[Webhook]:
        return sorted((w for w in self._webhooks.values() if w.project_id == project_id), key=lambda w: w.id)

    @locked
    def update_webhook(self, webhook_id: int, **changes) -> Webhook:
        webhook = self._webhooks.get(webhook_id)
        if webhook is None:
            raise LookupError(f"no webhook {webhook_id}")
        unknown = set(changes) - {"webhook_url", "webhook_version"}
        if unknown:
            raise ValueError(f"cannot update webhook fields: {', '.join(sorted(unknown))}")
        for field, value in changes.items():
            setattr(webhook, field, value)
        webhook.updated_at = self.now()
        return webhook

    @locked
    def delete_webhook(self, webhook_id: int) -> None:
        if self._webhooks.pop(webhook_id, None) is None:
            raise LookupError(f"no webhook {webhook_id}")

    # Summary ------------------------------------------------------------------------------------

    @locked
    def summary(self) -> dict:
        """What the control endpoint shows: counts and ids, never tokens."""
        return {
            "now": self.now(),
            "clock_frozen": self.clock.is_frozen,
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "email": p.email,
                    "username": p.username,
                    "has_token": p.api_token is not None,
                }
                for p in self.people()
            ],
            "projects": [
                {
                    "id": project.id,
                    "name": project.name,
                    "version": project.version,
                    "story_count": len(self.stories_in(project.id)),
                    "activity_count": len(self._activities[project.id]),
                    "members": {m.person_id: m.role for m in self.memberships_of_project(project.id)},
                }
                for project in self.projects()
            ],
            "story_count": len(self._stories),
            "deleted_story_ids": sorted(self._deleted_story_ids),
            "webhook_count": len(self._webhooks),
        }

    # Internals --------------------------------------------------------------------------------

    def _new_id(self, kind: str, explicit: int | None = None) -> int:
        if explicit is None:
            explicit = self._next_ids[kind]
        elif kind in ("person", "project") and explicit in (self._people if kind == "person" else self._projects):
            raise ValueError(f"{kind} id {explicit} is already taken")
        self._next_ids[kind] = max(self._next_ids[kind], explicit + 1)
        return explicit

    def _take_position(self, project_id: int) -> int:
        position = self._next_positions[project_id]
        self._next_positions[project_id] = position + 1
        return position

    def _bump(self, project: Project) -> int:
        project.version += 1
        return project.version

    def _record(self, project, version, kind, performer, message, highlight, changes, story, when):
        payload = activity_items.activity_item(
            kind=kind,
            project=project,
            version=version,
            occurred_at=when,
            performer=performer,
            message=message,
            highlight=highlight,
            changes=changes,
            primary_resources=[activity_items.story_resource(story)],
        )
        self._activities[project.id].append(
            Activity(project.id, version, kind, when, _id(performer), (story.id,), payload)
        )

    def _ensure_labels(self, project_id: int, names, when: datetime) -> None:
        labels = self._labels[project_id]
        for name in names:
            if name.lower() not in labels:
                labels[name.lower()] = Label(self._new_id("label"), project_id, name, when, when)

    def _story_values(self, story: Story) -> dict:
        values = story_json(self, story)
        del values["kind"]
        return values

    def _change_value(self, story: Story, field: str, value) -> dict:
        """How a changed attribute shows in an activity's original/new values."""
        if field == "labels":
            labels = self._labels.get(story.project_id, {})
            return {"label_ids": [labels[n.lower()].id for n in value if n.lower() in labels]}
        if field == "estimate":
            return {"estimate": number(value)}
        if field == "owner_ids":
            return {"owner_ids": list(value)}
        return {field: value}

    def _clean_story_values(self, project: Project, values: dict, given: dict) -> dict:
        """Validate and normalise story attributes; `given` are the ones the caller set."""
        values = dict(values)
        if not isinstance(values["name"], str) or not values["name"].strip():
            raise ValueError("name must be a non-empty string")
        if values["story_type"] not in STORY_TYPES:
            raise ValueError(f"story_type must be one of {', '.join(STORY_TYPES)}")
        if values["current_state"] not in STORY_STATES:
            raise ValueError(f"current_state must be one of {', '.join(STORY_STATES)}")
        if isinstance(values["owner_ids"], (str, int)):
            raise ValueError("owner_ids must be a list of person ids")
        values["owner_ids"] = _unique([self._person_value("owner_ids", i) for i in values["owner_ids"]])
        if values["requested_by_id"] is not None:
            values["requested_by_id"] = self._person_value("requested_by_id", values["requested_by_id"])
        if isinstance(values["labels"], str):
            raise ValueError("labels must be a list of names")
        values["labels"] = _unique_labels(values["labels"])
        estimate = values["estimate"]
        if estimate is not None:
            if isinstance(estimate, bool) or not isinstance(estimate, (int, float)) or estimate < 0:
                raise ValueError("estimate must be a number >= 0")
            if "estimate" in given and not self._is_estimatable(project, values["story_type"]):
                raise ValueError(f"a {values['story_type']} cannot be estimated in this project")
        if values["accepted_at"] is not None and values["current_state"] != "accepted":
            raise ValueError("accepted_at is only set on accepted stories")
        if values["deadline"] is not None and values["story_type"] != "release":
            raise ValueError("only releases have a deadline")
        if values["story_priority"] is not None and values["story_priority"] not in STORY_PRIORITIES:
            raise ValueError(f"story_priority must be one of {', '.join(STORY_PRIORITIES)}")
        for field in ("accepted_at", "deadline"):
            if values[field] is not None and not isinstance(values[field], datetime):
                raise ValueError(f"{field} must be a datetime")
        return values

    @staticmethod
    def _is_estimatable(project: Project, story_type: str) -> bool:
        if story_type == "feature":
            return True
        return story_type in ("bug", "chore") and project.bugs_and_chores_are_estimatable

    def _default_performer_id(self, project_id: int) -> int | None:
        members = self.memberships_of_project(project_id)
        owners = [m for m in members if m.role == "owner"]
        return (owners or members)[0].person_id if (owners or members) else None

    def _performer(self, person_id: int | None, project_id: int) -> Person | None:
        if person_id is None:
            person_id = self._default_performer_id(project_id)
        if person_id is None:
            return None
        return self._people[self._person_value("performed_by_id", person_id)]

    def _person_value(self, field: str, value) -> int:
        """A person id given as an attribute value: unknown people are a bad value (ValueError)."""
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
            raise ValueError(f"{field} must hold person ids")
        if int(value) not in self._people:
            raise ValueError(f"{field}: no person {value}")
        return int(value)

    def _require_person(self, person_id: int) -> Person:
        person = self._people.get(person_id)
        if person is None:
            raise LookupError(f"no person {person_id}")
        return person

    def _require_project(self, project_id: int) -> Project:
        project = self._projects.get(project_id)
        if project is None:
            raise LookupError(f"no project {project_id}")
        return project

    def _require_story(self, story_id: int) -> Story:
        story = self._stories.get(story_id)
        if story is None:
            raise LookupError(f"no story {story_id}")
        return story


def _id(person: Person | None) -> int | None:
    return person.id if person else None


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _unique_labels(names) -> list[str]:
    seen, result = set(), []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("labels must be non-empty strings")
        if name.strip().lower() not in seen:
            seen.add(name.strip().lower())
            result.append(name.strip())
    return result


def _monday_before(when: datetime) -> datetime:
    monday = when - timedelta(days=when.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)
