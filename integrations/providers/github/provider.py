"""GitHub Issues as a provider: accounts, repositories, issues and signed webhooks.

HTTP goes through `GitHubClient` (client.py); mapping.py turns GitHub's JSON into the engine's
values. Change detection: GitHub has no version of a repository's issues and no feed of removed
ones, so every read is complete (`reads_incrementally = False`): the person's whole scope in the
repository, after which the engine closes what the read no longer returned (closed, unassigned,
transferred or deleted issues). A read is cheap when nothing changed: it repeats last time's page
requests with `If-None-Match`, and 304 answers cost no rate limit.

Why every page is conditional, not only the first: pages are sorted by `updated_at`, so an issue
that changes moves to the last page and one that is closed, unassigned or deleted leaves whichever
page it was on; the first page of a long list can stay the same while the list changed. Only when
every page answers 304 did nothing change.

Why keyset pages: page numbers shift when an issue changes between two page reads, and the
issue that slid across a page boundary would be missed. Pages are read in `updated_at` order and
each next page asks for `since` the last `updated_at` seen (inclusive; repeats are dropped), so an
issue that changes during the read only moves forward, into a page not read yet. Only more than a
page of issues updated in the same second forces page numbers (the `Link` header); those pages
are asked again with their ETags afterwards, and if any changed the read says so through a page
with a different snapshot, and the engine reads again.
"""

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, TypeGuard
from urllib.parse import urlencode

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from ..base import (
    AccessLost,
    ActivityRefs,
    CursorState,
    Installation,
    LinkedAccount,
    NotFound,
    Person,
    Provider,
    ProviderError,
    ProviderUnavailable,
    RemoteProject,
    RemoteTask,
    SkippedItem,
    TaskPage,
    WebhookIntegration,
)
from .client import GitHubClient, GitHubResponse, repo_issues_request
from .forms import GitHubSettingsForm
from .mapping import (
    MalformedItem,
    is_github_id,
    is_pull_request,
    issue_to_task,
    repository_is_wanted,
    repository_to_project,
    updated_at_of,
)
from .webhooks import is_signed_by, parse_delivery

PAGE_SIZE = 100  # GitHub's maximum per_page; tests make it small
ACCOUNT_PROJECT_NAMES = 100  # shown when a token is checked
AFFILIATION = "owner,collaborator,organization_member"
ISSUE_STATE_OF_SCOPE = {"owned_open": "open", "owned_all": "all", "projects_all": "open"}
OWNED_SCOPES = {"owned_open", "owned_all"}
# TaskPage snapshots: keyset pages cannot shift; page-numbered ones that changed under the read could.
KEYSET, SHIFTED = "keyset", "shifted"


class GitHubProvider(Provider):
    id = "github"
    name = "GitHub Issues"
    description = "Turn the GitHub issues assigned to people into tasks they track time on."
    client_class = GitHubClient
    item_name, items_name = "issue", "issues"
    token_name = "personal access token"
    project_name, projects_name = "repository", "repositories"
    company_help_template = "integrations/providers/github/company_help.html"
    personal_help_template = "integrations/providers/github/personal_help.html"
    webhook_help_template = "integrations/providers/github/webhook_help.html"
    settings_form_class = GitHubSettingsForm
    reads_incrementally = False
    signs_webhooks = True
    webhook_events = ("issues", "repository")
    scope_labels = {
        "owned_open": "Open issues assigned to the person",
        "owned_all": "Issues assigned to the person, closed ones included",
        "projects_all": "Every open issue of the company's repositories the person can see",
    }

    def default_settings(self) -> dict[str, Any]:
        return {"base_url": settings.GITHUB_API_URL, "repositories": []}

    @sensitive_variables("token")
    def client(
        self, token: str, *, installation: Installation | None = None, interactive: bool = False
    ) -> GitHubClient:
        # Someone is waiting for a token check: answer at once rather than retry.
        base_url = (installation or {}).get("base_url") or settings.GITHUB_API_URL
        try:
            return GitHubClient(token, base_url=base_url, max_attempts=1 if interactive else None)
        except ValueError as error:  # the settings form refuses such URLs; older settings may hold one
            raise ProviderError(
                f"The GitHub API URL in the settings cannot be used: {error}", code="bad_base_url"
            ) from None

    @sensitive_variables("token")
    def check_token(self, token: str, *, installation: Installation | None = None) -> LinkedAccount:
        installation = installation or self.default_settings()
        client = self.client(token, installation=installation, interactive=True)
        me = client.me()
        if not isinstance(me, dict) or not is_github_id(me.get("id")) or not isinstance(me.get("login"), str):
            raise ProviderUnavailable("GitHub sent an unexpected answer to /user.")
        projects = self.list_projects(client, installation)
        return LinkedAccount(
            external_id=str(me["id"]),
            name=me.get("name") or me["login"],
            email=me.get("email") or "",
            username=me["login"],
            project_names=[project.name for project in projects[:ACCOUNT_PROJECT_NAMES]],
        )

    def list_projects(self, client: GitHubClient, installation: Installation | None = None) -> list[RemoteProject]:
        """The repositories the token's account can see (as owner, collaborator or organisation
        member), within the company's `repositories` setting, leaving out those with issues off."""
        entries = (installation or {}).get("repositories") or []
        projects = []
        for page in client.user_repos(affiliation=AFFILIATION):
            if not isinstance(page.data, list):
                raise ProviderUnavailable("GitHub sent a repository list of an unexpected shape.")
            for repository in page.data:
                try:
                    project = repository_to_project(repository)
                except MalformedItem as error:
                    raise ProviderUnavailable(str(error)) from error
                if repository.get("has_issues") is not False and repository_is_wanted(project.name, entries):
                    projects.append(project)
        return projects

    def fetch_tasks(
        self,
        client: GitHubClient,
        remote_project: RemoteProject,
        *,
        person: Person,
        scope: str,
        since: datetime | None = None,
        cursor_state: CursorState | None = None,
    ) -> Iterator[TaskPage]:
        """The person's whole scope in the repository (`since` is not used: every read is
        complete). The cursor remembers each page's request and ETag; when all of them answer
        304, one page with `not_modified` is the whole answer."""
        read = IssueRead(client, remote_project, issue_filters(person, scope))
        try:
            yield from read.pages((cursor_state or {}).get("pages"))
        except NotFound as error:  # the repository went, or out of the token's sight, since it was listed
            message = f"{remote_project.name} is gone, or out of this token's sight."
            raise AccessLost(message, status=error.status) from error

    def locate_task(self, client: GitHubClient, external_id: str) -> RemoteTask | None:
        """Always None: GitHub finds an issue only by repository and number, never by id alone.
        The engine asks only after `fetch_removals` reported removals, which this provider never
        does: its reads are complete, and what a read no longer returns is closed instead."""
        return None

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, integration: WebhookIntegration) -> bool:
        return is_signed_by(integration.webhook_signing_secret, headers, body)

    def parse_webhook(self, headers: Mapping[str, str], payload: object) -> ActivityRefs:
        return parse_delivery(headers, payload)


def issue_filters(person: Person, scope: str) -> dict[str, str]:
    """The issue list's filters for a scope; the engine keeps only what is in the scope anyway."""
    filters = {"state": ISSUE_STATE_OF_SCOPE.get(scope, "all")}
    if scope in OWNED_SCOPES and person.username:
        filters["assignee"] = person.username
    return filters


class IssueRead:
    """One complete read of a repository's issues (see the module's docstring)."""

    def __init__(self, client: GitHubClient, remote_project: RemoteProject, filters: Mapping[str, Any]) -> None:
        self.client, self.project = client, remote_project
        self.owner, _, self.repo = remote_project.name.partition("/")
        self.filters = filters
        self.requests: list[list[Any]] = []  # [relative URL, ETag] of each page read, in order: the next read's cursor
        self.yielded: set[tuple[str, str]] = set()  # (id, updated_at) of the issues already handed over
        self.count = 0

    def url(self, since: datetime | None = None) -> str:
        path, params = repo_issues_request(
            self.owner, self.repo, **self.filters, since=since, sort="updated", direction="asc", per_page=PAGE_SIZE
        )
        return f"{path}?{urlencode(params)}"

    def pages(self, previous: object) -> Iterator[TaskPage]:
        response: GitHubResponse | None = None
        if _is_request_list(previous) and previous[0][0] == self.url():
            response = self._first_response(previous)
            if response is None:
                yield TaskPage([], 0, 0, snapshot=None, not_modified=True)
                return
        response = response or self._get(self.url())
        since: datetime | None = None
        numbered: list[list[Any]] = []  # numbered: the run of pages read by page number, to ask again
        while True:
            items = _issue_list(response.data)
            yield self._page(items)
            next_since = _next_since(items, since)
            if len(items) < PAGE_SIZE and not response.next_url:
                next_url = None
            elif next_since is not None:
                next_url, since = self.url(next_since), next_since
            else:  # a whole page updated in the same second: on by page number, with the same `since`
                next_url = self._relative(response.next_url) if response.next_url else None
            by_number = next_url is not None and next_since is None
            if by_number and not numbered:
                numbered = [self.requests[-1]]
            elif numbered and not by_number:
                yield from self._check_numbered(numbered)
                numbered = []
            if next_url is None:
                return
            if any(url == next_url for url, _ in self.requests):
                raise ProviderUnavailable("GitHub's issue pages lead back to a page already read.")
            response = self._get(next_url)
            if by_number:
                numbered.append(self.requests[-1])

    def _first_response(self, previous: list[list[str]]) -> GitHubResponse | None:
        """Asks last read's pages again with their ETags: None when every one answers 304 (nothing
        changed), else the first page's new answer (reused when the first page is what changed)."""
        for position, (url, etag) in enumerate(previous):
            response = self.client.get(url, etag=etag)
            if not response.not_modified:
                if position == 0:
                    self.requests.append([url, response.etag])
                    return response
                return self._get(self.url())
        return None

    def _get(self, url: str) -> GitHubResponse:
        response = self.client.get(url)
        self.requests.append([url, response.etag])
        return response

    def _check_numbered(self, numbered: list[list[Any]]) -> Iterator[TaskPage]:
        """Pages read by number shift when an issue changes between two of them: they are asked
        again with their ETags, and a change is told by a page with another snapshot (the engine
        then reads again)."""
        if any(not etag or not self.client.get(url, etag=etag).not_modified for url, etag in numbered):
            yield TaskPage([], 0, self.count, snapshot=SHIFTED, cursor=self._cursor())

    def _page(self, items: list[Any]) -> TaskPage:
        tasks: list[RemoteTask] = []
        skipped: list[SkippedItem] = []
        for item in items:
            if is_pull_request(item):
                continue
            key = (str(item.get("id")), str(item.get("updated_at"))) if isinstance(item, dict) else None
            if key is not None and key in self.yielded:
                continue  # `since` is inclusive: the issues of the last page's last second come again
            try:
                tasks.append(issue_to_task(item, self.project.external_id))
            except MalformedItem as error:
                skipped.append(SkippedItem(error.external_id[:64], str(error)))
            if key is not None:
                self.yielded.add(key)
        page = TaskPage(tasks, 0, self.count, snapshot=KEYSET, skipped=tuple(skipped), cursor=self._cursor())
        self.count += len(tasks) + len(skipped)
        return page

    def _cursor(self) -> dict[str, Any]:
        return {"pages": [list(request) for request in self.requests]}

    def _relative(self, url: str) -> str:
        """A Link's URL relative to the API's base URL, so the cursor survives a change of host
        name; any other URL is left for the client to refuse."""
        base = self.client.base_url
        return url[len(base) :] if url.startswith(base + "/") else url


def _issue_list(data: object) -> list[Any]:
    if not isinstance(data, list):
        raise ProviderUnavailable("GitHub sent an issue list of an unexpected shape.")
    return data


def _next_since(items: list[Any], since: datetime | None) -> datetime | None:
    """The `since` of the next keyset page: the last `updated_at` of this one, when asking from
    there moves on (not when the whole page is of one second, or GitHub's order is broken)."""
    stamps = [stamp for stamp in map(updated_at_of, items) if stamp is not None]
    if not stamps or min(stamps) == max(stamps) or (since is not None and max(stamps) <= since):
        return None
    return max(stamps)


def _is_request_list(value: object) -> TypeGuard[list[list[str]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str)
            and item[1]
            for item in value
        )
    )


provider_classes = [GitHubProvider]
