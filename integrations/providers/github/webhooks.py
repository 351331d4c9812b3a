"""GitHub's webhooks: is a delivery really GitHub's, and which people and issues is it about.

GitHub signs each delivery with the secret the company gave the webhook: `X-Hub-Signature-256`
is `sha256=` and the HMAC-SHA256 hex digest of the raw body (docs: "Validating webhook
deliveries"). The event's name is in `X-GitHub-Event`; the URL also carries our own secret,
already checked by the view. Events: `ping` when the hook is made, `issues` for every change of
an issue (opened, edited, closed, reopened, assigned, unassigned, labeled, transferred, deleted…),
`repository` for renames, transfers, visibility changes and deletions of a repository.
"""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from ..base import ActivityRefs
from .mapping import is_github_id

SIGNATURE_HEADER = "X-Hub-Signature-256"
EVENT_HEADER = "X-GitHub-Event"
SIGNATURE_PREFIX = "sha256="
NOTHING = ActivityRefs(frozenset(), frozenset())


def signature(secret: str, body: bytes) -> str:
    """What GitHub sends in X-Hub-Signature-256 for this body and secret."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed_by(secret: str, headers: Mapping[str, str], body: bytes | str) -> bool:
    """Whether `body` carries a valid signature made with `secret`; False without a secret, a
    signature or the right one. `headers` is case-insensitive (Django's request.headers)."""
    given = headers.get(SIGNATURE_HEADER) or ""
    if not secret or not given.isascii() or not given.startswith(SIGNATURE_PREFIX):
        return False
    if isinstance(body, str):
        body = body.encode()
    return hmac.compare_digest(signature(secret, bytes(body)).encode(), given.encode())


def parse_delivery(headers: Mapping[str, str], payload: object) -> ActivityRefs:
    """The ActivityRefs of a delivery: the people to sync (assignees before and after, whoever
    made the change) and the issues involved. Events we do not sync from give empty refs;
    ValueError when the payload is not GitHub's shape."""
    if not isinstance(payload, dict):
        raise ValueError("The body is not a GitHub webhook payload.")
    event = headers.get(EVENT_HEADER) or ""
    if event == "issues":
        return _issues_refs(payload)
    if event == "repository":
        # Renamed, transferred, made private, archived or deleted: the next sync's project list
        # says who may still see it; no one in particular needs a sync now.
        _object_id(payload.get("repository"), "repository")
        return NOTHING
    return NOTHING  # ping, and any event the hook was given that we do not use


def _issues_refs(payload: dict[str, Any]) -> ActivityRefs:
    people: set[str] = set()
    issues: set[str] = set()
    _add_issue(payload.get("issue"), people, issues, required=True)
    if payload.get("action") in ("assigned", "unassigned") and payload.get("assignee") is not None:
        people.add(_object_id(payload["assignee"], "assignee"))  # unassigned: no longer in `assignees`
    if payload.get("sender") is not None:
        people.add(_object_id(payload["sender"], "sender"))
    changes = payload.get("changes")
    if payload.get("action") == "transferred" and isinstance(changes, dict):
        _add_issue(changes.get("new_issue"), people, issues, required=False)  # its new id, in its new repository
    return ActivityRefs(frozenset(people), frozenset(issues))


def _add_issue(issue: Any, people: set[str], issues: set[str], *, required: bool) -> None:
    if issue is None and not required:
        return
    issues.add(_object_id(issue, "issue"))
    if issue.get("assignee") is not None:
        people.add(_object_id(issue["assignee"], "assignee"))
    assignees = issue.get("assignees") or []
    if not isinstance(assignees, list):
        raise ValueError("The issue's assignees are not a list.")
    people.update(_object_id(person, "assignee") for person in assignees)


def _object_id(value: object, what: str) -> str:
    if not isinstance(value, dict) or not is_github_id(value.get("id")):
        raise ValueError(f"The {what} of the delivery has no numeric id.")
    return str(value["id"])
