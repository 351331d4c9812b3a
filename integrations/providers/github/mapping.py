"""GitHub's JSON in the sync engine's vocabulary: an issue as a RemoteTask, a repository as a
RemoteProject, and which repositories the company's `repositories` setting lets in.

Anything GitHub sends is checked for shape here (`MalformedItem` names what is wrong); the value
classes then clean the text and the links (`integrations.providers.values`).
"""

from datetime import UTC, datetime
from typing import Any, TypeGuard

from ..base import RemoteProject, RemoteTask

ITEM_KIND = "issue"
DONE_STATE = "closed"


class MalformedItem(ValueError):
    """An issue or repository that cannot be read: `external_id` is its id when it has one."""

    def __init__(self, message: str, *, external_id: str = "?") -> None:
        super().__init__(message)
        self.external_id = external_id


def is_pull_request(item: object) -> bool:
    """GitHub's issue lists include pull requests, marked by a `pull_request` key: never tasks."""
    return isinstance(item, dict) and "pull_request" in item


def issue_to_task(issue: object, project_external_id: str) -> RemoteTask:
    """A RemoteTask for one issue of a list; MalformedItem when it is not one GitHub would send."""
    if not isinstance(issue, dict):
        raise MalformedItem("GitHub sent an item that is not an issue object.")
    external_id = issue_id(issue)
    try:
        state = _text(issue["state"])
        reason = issue.get("state_reason")
        closed = state == DONE_STATE
        return RemoteTask(
            external_id=external_id,
            project_external_id=project_external_id,
            title=_text(issue["title"]),
            url=_text(issue.get("html_url") or ""),
            kind=ITEM_KIND,
            # "completed", "not_planned", "duplicate"… say more than "closed" where GitHub knows.
            state=_text(reason) if closed and reason else state,
            labels=tuple(sorted({_label_name(label) for label in _list(issue.get("labels"))})),
            owner_ids=assignee_ids(issue),
            created_at=parse_time(issue.get("created_at")),
            updated_at=parse_time(issue.get("updated_at")),
            is_done=closed,
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise MalformedItem(
            f"GitHub sent an issue of an unexpected shape ({_describe(error)}).", external_id=external_id
        ) from error


def issue_id(issue: object) -> str:
    """The issue's numeric id as text (stable while it stays in its repository)."""
    value = issue.get("id") if isinstance(issue, dict) else None
    if not is_github_id(value):
        raise MalformedItem("GitHub sent an issue without a numeric id.")
    return str(value)


def assignee_ids(issue: dict[str, Any]) -> tuple[str, ...]:
    """The ids of the people an issue is assigned to, in GitHub's order, as text."""
    people = issue.get("assignees")
    if people is None:  # older answers only had the one `assignee`
        people = [issue["assignee"]] if issue.get("assignee") is not None else []
    ids = []
    for person in _list(people):
        if not isinstance(person, dict) or not is_github_id(person.get("id")):
            raise ValueError("an assignee has no numeric id")
        ids.append(str(person["id"]))
    return tuple(dict.fromkeys(ids))


def updated_at_of(item: object) -> datetime | None:
    """An item's `updated_at` as an aware datetime; None when it is missing or unreadable."""
    try:
        return parse_time(item.get("updated_at")) if isinstance(item, dict) else None
    except (TypeError, ValueError, OverflowError):
        return None


def repository_to_project(repository: object) -> RemoteProject:
    """A RemoteProject whose id is the repository's numeric id (it survives renames and
    transfers) and whose name is its `owner/name`, which the issue URLs need."""
    if not isinstance(repository, dict) or not is_github_id(repository.get("id")):
        raise MalformedItem("GitHub sent a repository without a numeric id.")
    full_name = repository.get("full_name")
    if not isinstance(full_name, str) or full_name.count("/") != 1:
        raise MalformedItem("GitHub sent a repository without an owner/name.", external_id=str(repository["id"]))
    html_url = repository.get("html_url")
    return RemoteProject(str(repository["id"]), full_name, None, html_url if isinstance(html_url, str) else "")


def repository_is_wanted(full_name: str, entries: list[str]) -> bool:
    """Whether the company's `repositories` setting lets a repository in: no entries let every
    repository in; `owner/name` matches that repository, `owner` every repository of that owner
    (GitHub's names are case-insensitive)."""
    if not entries:
        return True
    full_name = full_name.lower()
    owner = full_name.partition("/")[0]
    wanted = {entry.lower() for entry in entries}
    return full_name in wanted or owner in wanted


def is_github_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def parse_time(value: object) -> datetime | None:
    """GitHub's ISO 8601 timestamps (`2025-04-25T16:00:00Z`) as aware UTC datetimes."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError("a timestamp is not text")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a timestamp has no time zone")
    return moment.astimezone(UTC)


def _label_name(label: object) -> str:
    """Labels come as objects with a `name` (the REST API) or as plain names."""
    return _text(label["name"] if isinstance(label, dict) else label)


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError("a list field is not a list")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a text field is not text")
    return value


def _describe(error: Exception) -> str:
    return f"missing {error}" if isinstance(error, KeyError) else str(error)
