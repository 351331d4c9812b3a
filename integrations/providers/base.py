"""What every integration provider offers, and the vocabulary the sync engine speaks with it.

A provider is one package, `integrations/providers/<id>/`: its client (the only code that talks to
that service), `provider.py` (a `Provider` subclass, ending with `provider_classes = [...]`), its
company settings form, webhook verification and parsing, templates and copy, and its emulator.
Generic code names no provider: it asks the provider object.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from .values import clean_text, safe_url

if TYPE_CHECKING:
    from django import forms

# A provider's own HTTP client (PivotalClient, GitHubClient…): generic code only hands it back.
Client = Any
# A company integration's installation settings (JSON): base URL, repositories…
Installation = Mapping[str, Any]
# A sync cursor's remembered state for one project (JSON).
CursorState = Mapping[str, Any]


class WebhookIntegration(Protocol):
    """What webhook verification reads of a company integration (integrations.models)."""

    @property
    def webhook_signing_secret(self) -> str: ...


def _clean(instance: object, *names: str) -> None:
    for name in names:
        value = getattr(instance, name)
        cleaned = clean_text(value)
        if cleaned is not value:
            object.__setattr__(instance, name, cleaned)


def _cleaned_texts(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(clean_text(value) for value in values)
    return values if cleaned == values and type(values) is tuple else cleaned


class ProviderError(Exception):
    """A provider call failed. `permanent` errors are not retried; transient ones are."""

    permanent = False

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class TokenRejected(ProviderError):
    """The provider refused the token: wrong, revoked or expired."""

    permanent = True


class AccessLost(ProviderError):
    """The token is fine but may no longer see this resource (a project, for instance)."""

    permanent = True


class NotFound(ProviderError):
    """The resource does not exist (any more)."""

    permanent = True


class ProviderUnavailable(ProviderError):
    """Down, slow, rate-limited or answering garbage: worth retrying later."""

    def __init__(
        self, message: str, *, status: int | None = None, code: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


@dataclass(frozen=True)
class LinkedAccount:
    """Who a token belongs to at the provider, as shown to people before and after they save it."""

    external_id: str
    name: str
    email: str = ""
    username: str = ""
    project_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _clean(self, "external_id", "name", "email", "username")
        object.__setattr__(self, "project_names", [clean_text(name) for name in self.project_names])

    @property
    def projects_count(self) -> int:
        return len(self.project_names)


@dataclass(frozen=True)
class RemoteProject:
    external_id: str
    name: str
    version: object = None  # anything that changes on any edit of the project's items, or None
    url: str = ""

    def __post_init__(self) -> None:
        _clean(self, "external_id", "name")
        object.__setattr__(self, "url", safe_url(self.url))


@dataclass(frozen=True)
class RemoteTask:
    """A story (or issue, ticket…) as the provider describes it, in our vocabulary."""

    external_id: str
    project_external_id: str
    title: str
    url: str = ""
    kind: str = ""  # the provider's type of item: a story type (feature, bug…), "issue"…
    state: str = ""
    estimate: float | None = None
    labels: tuple[str, ...] = ()
    owner_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    is_done: bool = False

    def __post_init__(self) -> None:
        _clean(self, "external_id", "project_external_id", "title", "kind", "state")
        if (url := safe_url(self.url)) is not self.url:
            object.__setattr__(self, "url", url)
        if (labels := _cleaned_texts(self.labels)) is not self.labels:
            object.__setattr__(self, "labels", labels)
        if (owner_ids := _cleaned_texts(self.owner_ids)) is not self.owner_ids:
            object.__setattr__(self, "owner_ids", owner_ids)


@dataclass(frozen=True)
class SkippedItem:
    """An item of a page that could not be read as a task (a malformed or hostile value)."""

    external_id: str
    reason: str


@dataclass(frozen=True)
class TaskPage:
    """One page of a paged read. `snapshot` identifies the state of the listed data when the page
    was served (for Pivotal, the project version and the list's total): the sync engine compares
    the snapshots of a read's pages, and a read whose pages disagree may have skipped an item (an
    offset shifted under it), so it is read again. A provider whose pages cannot shift (keyset
    pagination) gives every page the same snapshot."""

    tasks: list[RemoteTask]
    total: int
    offset: int
    snapshot: object = None
    skipped: tuple[SkippedItem, ...] = ()
    # What the provider wants remembered for the next read of this project (merged into the
    # cursor's state once the read is complete and consistent), e.g. an ETag.
    cursor: dict[str, Any] = field(default_factory=dict)
    not_modified: bool = False


@dataclass(frozen=True)
class ActivityRefs:
    """Who and what an activity notification (webhook) is about, as provider ids."""

    person_ids: frozenset[str]
    task_ids: frozenset[str]


@dataclass(frozen=True)
class Removal:
    """A task that left a project: deleted upstream, or moved elsewhere."""

    external_id: str
    is_deletion: bool


@dataclass(frozen=True)
class Person:
    """Whose items a sync reads: the account a personal token belongs to, as the provider named it."""

    external_id: str
    username: str = ""


class Provider:
    """The interface. Capability flags and copy are class attributes; the verbs are methods."""

    id = ""
    name = ""
    description = ""
    client_class: type | None = None
    # Copy: what the provider calls its items, its token and its projects.
    item_name, items_name = "item", "items"
    token_name = "API token"
    project_name, projects_name = "project", "projects"
    # Template fragments with the provider's own help (where the token is, how to add the webhook).
    company_help_template = ""
    personal_help_template = ""
    webhook_help_template = ""
    # The company's installation settings (base URL, which repositories…): a Django form class.
    settings_form_class: "type[forms.Form] | None" = None
    # False: every read returns the whole of a person's scope in a project (behind a conditional
    # request), and the engine closes what a read no longer returns.
    reads_incrementally = True
    # True: deliveries are signed with a secret the company gives the provider (shown once, encrypted).
    signs_webhooks = False
    webhook_events: tuple[str, ...] = ()
    # How the company page words each task scope (keys: integrations.models.TaskScope values).
    scope_labels: dict[str, str] = {}

    # --- Installation and tokens -------------------------------------------------------------
    def default_settings(self) -> dict[str, Any]:
        """The installation settings of a new company integration."""
        return {}

    def client(self, token: str, *, installation: Installation | None = None, interactive: bool = False) -> Client:
        """`interactive`: a person is waiting for the answer, so fail fast instead of retrying."""
        raise NotImplementedError

    def check_token(self, token: str, *, installation: Installation | None = None) -> LinkedAccount:
        """The LinkedAccount behind a token; raises ProviderError (TokenRejected for a bad token)."""
        raise NotImplementedError

    # --- What the sync needs ------------------------------------------------------------
    def list_projects(self, client: Client, installation: Installation | None) -> list[RemoteProject]:
        """Every project the token's account can see now (within the company's installation settings)."""
        raise NotImplementedError

    def is_unchanged(self, remote_project: RemoteProject, cursor_state: CursorState | None) -> bool:
        """Whether the project certainly has not changed since the read that left `cursor_state`
        (so it costs no request at all). False when the provider cannot tell without asking."""
        return False

    def fetch_tasks(
        self,
        client: Client,
        remote_project: RemoteProject,
        *,
        person: Person,
        scope: str,
        since: datetime | None = None,
        cursor_state: CursorState | None = None,
    ) -> Iterator[TaskPage]:
        """Yields TaskPage objects: the items of a project in the person's scope (the provider may
        return more; the engine filters), or only those updated after `since`. An item that cannot
        be read goes to the page's `skipped`, never stopping the read. A first page with
        `not_modified` says nothing changed since `cursor_state`."""
        raise NotImplementedError

    def fetch_removals(
        self, client: Client, remote_project: RemoteProject, *, cursor_state: CursorState | None
    ) -> Iterable[Removal]:
        """After an incremental read: items deleted from or moved out of the project since then."""
        return []

    def locate_task(self, client: Client, external_id: str) -> RemoteTask | None:
        """The item wherever it is now; None when deleted; AccessLost when it moved out of sight."""
        raise NotImplementedError

    # --- Webhooks ------------------------------------------------------------------------------
    def verify_webhook(self, headers: Mapping[str, str], body: bytes, integration: WebhookIntegration) -> bool:
        """Whether a delivery really comes from the provider for this company integration."""
        raise NotImplementedError

    def parse_webhook(self, headers: Mapping[str, str], payload: object) -> ActivityRefs:
        """ActivityRefs of a delivery (empty when it concerns nothing we sync); ValueError when malformed."""
        raise NotImplementedError
