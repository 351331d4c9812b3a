"""What every integration provider offers. A second provider is one new module in this package
that subclasses `Provider` and ends with `provider_classes = [TheProvider]`."""

from dataclasses import dataclass, field

from .values import clean_text, safe_url


def _clean(instance, *names):
    for name in names:
        object.__setattr__(instance, name, clean_text(getattr(instance, name)))


class ProviderError(Exception):
    """A provider call failed. `permanent` errors are not retried; transient ones are."""

    permanent = False

    def __init__(self, message, *, status=None, code=None):
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

    def __init__(self, message, *, status=None, code=None, retry_after=None):
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


@dataclass(frozen=True)
class LinkedAccount:
    """Who a token belongs to at the provider, as shown to people before and after they save it."""

    external_id: str
    name: str
    email: str = ""
    username: str = ""
    project_names: list = field(default_factory=list)

    def __post_init__(self):
        _clean(self, "external_id", "name", "email", "username")
        object.__setattr__(self, "project_names", [clean_text(name) for name in self.project_names])

    @property
    def projects_count(self):
        return len(self.project_names)


@dataclass(frozen=True)
class RemoteProject:
    external_id: str
    name: str
    version: int | None = None

    def __post_init__(self):
        _clean(self, "external_id", "name")


@dataclass(frozen=True)
class RemoteTask:
    """A story (or issue, ticket…) as the provider describes it, in our vocabulary."""

    external_id: str
    project_external_id: str
    title: str
    url: str = ""
    story_type: str = ""
    state: str = ""
    estimate: float | None = None
    labels: tuple = ()
    owner_ids: tuple = ()
    created_at: object = None
    updated_at: object = None
    is_done: bool = False

    def __post_init__(self):
        _clean(self, "external_id", "project_external_id", "title", "story_type", "state")
        object.__setattr__(self, "url", safe_url(self.url))
        object.__setattr__(self, "labels", tuple(clean_text(label) for label in self.labels))
        object.__setattr__(self, "owner_ids", tuple(clean_text(owner) for owner in self.owner_ids))


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

    tasks: list
    total: int
    offset: int
    snapshot: object = None
    skipped: tuple = ()


@dataclass(frozen=True)
class ActivityRefs:
    """Who and what an activity notification (webhook) is about, as provider ids."""

    person_ids: frozenset
    task_ids: frozenset


@dataclass(frozen=True)
class Removal:
    """A task that left a project: deleted upstream, or moved elsewhere."""

    external_id: str
    is_deletion: bool


class Provider:
    id = ""
    name = ""
    description = ""
    client_class = None
    # Template fragments with the provider's own help (where the token is, how to create one).
    company_help_template = ""
    personal_help_template = ""

    def client(self, token, *, interactive=False):
        """`interactive`: a person is waiting for the answer, so fail fast instead of retrying."""
        return self.client_class(token)

    def check_company_token(self, token):
        """The account behind a token pasted on Company Integrations; raises ProviderError."""
        raise NotImplementedError

    def check_user_token(self, token):
        """The account behind a token pasted on Your Integration; raises ProviderError."""
        raise NotImplementedError

    # --- What the sync needs ------------------------------------------------------------
    def list_projects(self, client):
        """Every project the token's account can see now, with a version that changes on any edit."""
        raise NotImplementedError

    def fetch_tasks(self, client, project_external_id, *, updated_after=None):
        """Yields TaskPage objects: every task of a project, or those updated after a time. An item
        that cannot be read goes to the page's `skipped`, never stopping the read."""
        raise NotImplementedError

    def fetch_removals(self, client, project_external_id, *, since_version):
        """Tasks deleted from or moved out of a project since a version."""
        raise NotImplementedError

    def locate_task(self, client, external_id):
        """The task wherever it is now; None when deleted; AccessLost when it moved out of sight."""
        raise NotImplementedError

    def parse_activity(self, payload):
        """ActivityRefs of a webhook body; ValueError when it is not an activity."""
        raise NotImplementedError
