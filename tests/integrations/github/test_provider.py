"""The GitHub Issues provider against the GitHub emulator, over real HTTP. Every request it makes
is checked against GitHub's OpenAPI description (the `server` fixture)."""

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import responses
from django.template.loader import get_template

from integrations import registry
from integrations.models import TaskScope
from integrations.providers.base import (
    AccessLost,
    LinkedAccount,
    Person,
    ProviderError,
    ProviderUnavailable,
    TaskPage,
)
from integrations.providers.github import provider as github_provider
from integrations.providers.github.forms import GitHubSettingsForm
from integrations.providers.github.provider import GitHubProvider
from integrations.providers.github.webhooks import signature
from tests.integrations.github.emulator_helpers import BILLING, MOBILE, USERS, WEB
from tests.integrations.provider_contract import ProviderContract
from tests.support.github_openapi import assert_all_calls_valid

ANA = USERS["ana"]
ANA_PERSON = Person(str(ANA.id), "ana")


class TestGitHubContract(ProviderContract):
    @pytest.fixture
    def provider(self, server, settings):
        settings.GITHUB_TIMEOUT_SECONDS = 0.3
        return registry.get("github")

    @pytest.fixture
    def valid_token(self):
        return ANA.token

    @pytest.fixture
    def expected_account(self):
        return LinkedAccount(
            external_id="1004", name="Ana Ruiz", email="ana@acme.example", username="ana", project_names=[BILLING, WEB]
        )

    @pytest.fixture
    def rejected_token(self):
        return "ghp_" + "0" * 36

    @pytest.fixture
    def inject_fault(self, server):
        faults = {
            "server_error": {"kind": "status", "status": 503},
            "rate_limit": {"kind": "secondary_rate_limit", "retry_after": 7},
            "malformed": {"kind": "malformed"},
            "slow": {"kind": "delay", "seconds": 1.0},
        }
        return lambda kind: server.faults.add(**faults[kind])

    @pytest.fixture
    def installation(self, server):
        return {"base_url": server.base_url, "repositories": []}

    @pytest.fixture
    def expected_task_ids(self, server):
        return {
            issue_id for full_name in (WEB, BILLING) for issue_id in in_scope(server, full_name, "ana", "owned_open")
        }

    @pytest.fixture
    def delivery(self, server):
        issue = next(
            issue for issue in server.state.issues_in(WEB) if not issue.is_pull_request and ANA.id in issue.assignee_ids
        )

        def make(integration):
            body = json.dumps(
                {
                    "action": "edited",
                    "issue": {"id": issue.id, "number": issue.number, "assignees": [{"id": ANA.id, "login": "ana"}]},
                    "repository": {"id": issue.repo_id, "full_name": WEB},
                    "sender": {"id": ANA.id, "login": "ana"},
                }
            ).encode()
            return (
                {
                    "X-GitHub-Event": "issues",
                    "X-Hub-Signature-256": signature(integration.webhook_signing_secret, body),
                },
                body,
            )

        return make


@pytest.fixture
def provider(server):
    return registry.get("github")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(github_provider, "PAGE_SIZE", 3)


def client_for(provider, login="ana", installation=None):
    return provider.client(USERS[login].token, installation=installation or provider.default_settings())


def project(provider, client, full_name, installation=None):
    projects = provider.list_projects(client, installation or provider.default_settings())
    return next(remote for remote in projects if remote.name == full_name)


def read(provider, client, remote_project, scope, *, person=ANA_PERSON, cursor_state=None):
    return list(provider.fetch_tasks(client, remote_project, person=person, scope=scope, cursor_state=cursor_state))


def task_ids(pages):
    return [task.external_id for page in pages for task in page.tasks]


def in_scope(server, full_name, login, scope):
    """The ids of the issues (never pull requests) the emulator holds for a person's scope."""
    user_id = USERS[login].id
    return {
        str(issue.id)
        for issue in server.state.issues_in(full_name)
        if not issue.is_pull_request
        and (scope == "projects_all" or user_id in issue.assignee_ids)
        and (scope == "owned_all" or issue.state == "open")
    }


def issues_requests(server):
    return [entry for entry in server.request_log.entries() if entry["path"].endswith("/issues")]


def change_issue(server, issue, change):
    repo = server.state.repo_by_id(issue.repo_id).full_name
    if change == "edit":
        server.state.update_issue(repo, issue.number, title=f"{issue.title} (edited)")
    elif change == "close":
        server.state.update_issue(repo, issue.number, state="closed")
    elif change == "unassign":
        server.state.update_issue(repo, issue.number, assignees=[])
    elif change == "delete":
        server.state.delete_issue(repo, issue.number)
    elif change == "transfer":
        server.state.transfer_issue(repo, issue.number, BILLING)
    elif change == "assign a new one":
        server.state.create_issue(repo, "Assigned while you paged", assignees=["ana"])


# --- What it is ------------------------------------------------------------------------------------
def test_it_is_registered_in_githubs_words():
    provider = registry.get("github")

    assert isinstance(provider, GitHubProvider) and provider.name == "GitHub Issues"
    assert ("github", "GitHub Issues") in registry.as_choices()
    assert (provider.item_name, provider.items_name) == ("issue", "issues")
    assert provider.token_name == "personal access token"
    assert (provider.project_name, provider.projects_name) == ("repository", "repositories")
    assert not provider.reads_incrementally and provider.signs_webhooks
    assert provider.webhook_events == ("issues", "repository")
    assert set(provider.scope_labels) == set(TaskScope.values)
    assert provider.scope_labels["owned_open"] == "Open issues assigned to the person"


def test_its_help_templates_say_where_to_make_a_token():
    provider = registry.get("github")

    company = get_template(provider.company_help_template).render({})
    personal = get_template(provider.personal_help_template).render({})
    webhook = get_template(provider.webhook_help_template).render({})

    for text in (company, personal):
        assert "Settings → Developer settings → Personal access tokens" in text
        assert "<code>repo</code>" in text and "Issues" in text and "Metadata" in text
        assert "Enterprise Server" in text
    assert "application/json" in webhook and "Issues" in webhook and "Repositories" in webhook


def test_new_installations_read_every_repository_of_the_configured_github(settings):
    settings.GITHUB_API_URL = "https://ghe.example.com/api/v3"

    assert registry.get("github").default_settings() == {
        "base_url": "https://ghe.example.com/api/v3",
        "repositories": [],
    }


# --- Settings form -------------------------------------------------------------------------------
def test_the_settings_form_cleans_repositories_to_a_sorted_list_without_repeats():
    lines = " acme-corp/web-app\n\nAcme-Corp\nacme-corp\nACME-CORP/Web-App\nz/x.y_z\n"

    form = GitHubSettingsForm({"base_url": "https://GHE.example.com/api/v3/", "repositories": lines})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "base_url": "https://ghe.example.com/api/v3",
        "repositories": ["Acme-Corp", "acme-corp/web-app", "z/x.y_z"],
    }


def test_the_settings_form_takes_no_repositories_as_every_repository():
    form = GitHubSettingsForm({"base_url": "https://api.github.com", "repositories": ""})

    assert form.is_valid() and form.cleaned_data["repositories"] == []


@pytest.mark.parametrize(
    "line",
    [
        "-acme",
        "acme-",
        "ac--me",
        "acme/",
        "acme/..",
        "acme/a b",
        "a/b/c",
        "https://github.com/acme/web",
        "x" * 40,
        "acme/" + "r" * 101,
    ],
)
def test_the_settings_form_refuses_what_github_would_not_name(line):
    form = GitHubSettingsForm({"base_url": "https://api.github.com", "repositories": f"acme-corp\n{line}"})

    assert not form.is_valid()
    assert form.errors["repositories"] == [f"Line 2, “{line[:100]}”, is not owner/repository or an organisation name."]


def test_the_settings_form_takes_at_most_a_hundred_lines():
    lines = "\n".join(f"acme-corp/repo-{number}" for number in range(101))

    form = GitHubSettingsForm({"base_url": "https://api.github.com", "repositories": lines})

    assert not form.is_valid() and "at most 100" in form.errors["repositories"][0]


def test_the_settings_form_refuses_a_base_url_with_credentials():
    form = GitHubSettingsForm({"base_url": "https://me:secret@ghe.example.com/api/v3", "repositories": ""})

    assert not form.is_valid() and "credentials" in form.errors["base_url"][0]


def test_the_settings_form_shows_saved_repositories_one_a_line(settings):
    settings.GITHUB_API_URL = "https://ghe.example.com/api/v3"

    html = GitHubSettingsForm(initial={"repositories": [WEB, "octo"]}).as_p()

    assert f">\n{WEB}\nocto</textarea>" in html and 'value="https://ghe.example.com/api/v3"' in html


# --- Tokens and repositories ----------------------------------------------------------------------
def test_a_checked_token_lists_only_the_repositories_within_the_setting(provider):
    account = provider.check_token(
        ANA.token, installation={"base_url": provider.default_settings()["base_url"], "repositories": [WEB]}
    )

    assert account.project_names == [WEB]


def test_an_account_without_a_name_or_public_email_is_named_by_its_login(provider, server):
    server.state.add_user("quiet", token="ghp_" + "q" * 36, is_email_public=False, email="quiet@acme.example")

    account = provider.check_token("ghp_" + "q" * 36)

    assert (account.name, account.email, account.username, account.project_names) == ("quiet", "", "quiet", [])


def test_a_check_is_asked_once_without_retries(provider, server):
    server.faults.add("status", status=502, count=3)

    with pytest.raises(ProviderUnavailable):
        provider.check_token(ANA.token)

    assert len(server.request_log.entries()) == 1


def test_projects_are_the_repositories_the_token_sees_by_numeric_id(provider, server):
    projects = provider.list_projects(client_for(provider, "olivia"), provider.default_settings())

    repos = {repo.full_name: repo for repo in server.state.repos()}
    assert [(p.external_id, p.name, p.version, p.url) for p in projects] == [
        (str(repos[name].id), name, None, f"{server.root_url}/{name}") for name in sorted(repos)
    ]
    (entry,) = server.request_log.entries()
    assert entry["path"] == "/user/repos"
    assert entry["query"] == {"affiliation": "owner,collaborator,organization_member", "per_page": "100"}


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([], [BILLING, MOBILE, WEB]),
        (["acme-corp"], [BILLING, MOBILE, WEB]),
        (["ACME-CORP/Web-App"], [WEB]),
        ([WEB, BILLING], [BILLING, WEB]),
        (["acme"], []),
        (["someone-else/web-app"], []),
    ],
)
def test_projects_honour_the_repositories_setting(provider, entries, expected):
    installation = {**provider.default_settings(), "repositories": entries}

    projects = provider.list_projects(client_for(provider, "olivia"), installation)

    assert sorted(p.name for p in projects) == expected


def test_projects_are_read_from_every_page(provider, server):
    for number in range(101):
        server.state.add_repo(f"olivia/side-{number:03d}")

    projects = provider.list_projects(client_for(provider, "olivia"), provider.default_settings())

    assert len(projects) == 104
    assert [entry["query"].get("page") for entry in server.request_log.entries()] == [None, "2"]


def test_a_repository_the_person_may_not_see_is_not_a_project(provider):
    names = [p.name for p in provider.list_projects(client_for(provider, "ana"), provider.default_settings())]

    assert names == [BILLING, WEB]  # Ana cannot see mobile-app


@pytest.fixture
def github_com(settings):
    """GitHub itself, faked with `responses`, for answers the emulator never gives."""
    settings.GITHUB_API_URL = "https://api.github.com"
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock
        assert_all_calls_valid(mock.calls)


def repository(number, name, **extra):
    return {"id": number, "full_name": f"octo/{name}", "html_url": f"https://github.com/octo/{name}", **extra}


def test_repositories_with_issues_turned_off_are_not_projects(github_com):
    repositories = [repository(1, "on"), repository(2, "off", has_issues=False)]
    github_com.get("https://api.github.com/user/repos", json=repositories)
    provider = registry.get("github")

    projects = provider.list_projects(provider.client(ANA.token), provider.default_settings())

    assert [(p.external_id, p.name, p.url) for p in projects] == [("1", "octo/on", "https://github.com/octo/on")]


@pytest.mark.parametrize(
    "body", [{"message": "not a list"}, [repository(True, "x")], [{"id": 3, "full_name": "x"}], ["octo/x"]]
)
def test_a_repository_list_of_another_shape_is_a_retryable_error(github_com, body):
    github_com.get("https://api.github.com/user/repos", json=body)
    provider = registry.get("github")

    with pytest.raises(ProviderUnavailable):
        provider.list_projects(provider.client(ANA.token), provider.default_settings())


def test_an_unusable_base_url_in_old_settings_is_a_provider_error():
    with pytest.raises(ProviderError, match="cannot be used"):
        registry.get("github").client(ANA.token, installation={"base_url": "ftp://ghe.example.com"})


# --- Issues ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scope", TaskScope.values)
def test_each_scope_reads_exactly_the_emulators_issues_without_pull_requests(provider, server, scope):
    client = client_for(provider)
    pulls = {str(issue.id) for issue in server.state.issues_in(WEB) if issue.is_pull_request}

    pages = read(provider, client, project(provider, client, WEB), scope)

    ids = task_ids(pages)
    assert sorted(ids) == sorted(in_scope(server, WEB, "ana", scope)) and ids
    assert not pulls & set(ids) and len(ids) == len(set(ids))
    assert [(page.total, page.offset, page.snapshot, page.skipped, page.not_modified) for page in pages] == [
        (0, 0, "keyset", (), False)
    ]
    (entry,) = issues_requests(server)
    assert entry["query"] == {
        "state": "all" if scope == "owned_all" else "open",
        "sort": "updated",
        "direction": "asc",
        "per_page": "100",
        **({"assignee": "ana"} if scope != "projects_all" else {}),
    }


def test_an_issue_becomes_a_task_in_the_engines_words(provider, server):
    client = client_for(provider)
    issue = next(i for i in server.state.issues_in(WEB) if i.title.startswith("Session cookie"))

    pages = read(provider, client, project(provider, client, WEB), "owned_all")

    task = next(task for page in pages for task in page.tasks if task.external_id == str(issue.id))
    assert (task.project_external_id, task.title, task.kind, task.state, task.is_done, task.estimate) == (
        "700001",
        "Session cookie is missing the SameSite attribute",
        "issue",
        "not_planned",
        True,
        None,
    )
    assert (task.labels, task.owner_ids) == (("bug", "security"), ("1004",))
    assert task.url == f"{server.root_url}/{WEB}/issues/{issue.number}"
    assert task.created_at == issue.created_at and task.updated_at == issue.updated_at
    assert task.created_at.tzinfo is not None


def test_an_open_issue_is_in_state_open_and_not_done(provider, server):
    client = client_for(provider)

    pages = read(provider, client, project(provider, client, WEB), "owned_open")

    assert {(task.state, task.is_done) for page in pages for task in page.tasks} == {("open", False)}


def test_a_person_with_no_login_known_is_read_without_the_assignee_filter(provider, server):
    client = client_for(provider)

    pages = read(provider, client, project(provider, client, WEB), "owned_open", person=Person("1004", ""))

    assert in_scope(server, WEB, "ana", "owned_open") <= set(task_ids(pages))
    assert "assignee" not in issues_requests(server)[0]["query"]


def test_a_malformed_issue_is_skipped_with_a_reason_and_the_read_goes_on(provider, server):
    client = client_for(provider)
    broken = next(i for i in server.state.issues_in(WEB) if i.title.startswith("Dark mode"))
    broken.title = None

    pages = read(provider, client, project(provider, client, WEB), "owned_open")

    skipped = [item for page in pages for item in page.skipped]
    assert [item.external_id for item in skipped] == [str(broken.id)]
    assert "unexpected shape" in skipped[0].reason
    assert set(task_ids(pages)) == in_scope(server, WEB, "ana", "owned_open") - {str(broken.id)}


def test_hostile_text_and_links_are_cleaned(provider, server):
    client = client_for(provider)
    issue = next(i for i in server.state.issues_in(WEB) if i.title.startswith("Dark mode"))
    issue.title, issue.html_url = "Dark\x00 mode \ud800", "javascript:alert(1)"

    pages = read(provider, client, project(provider, client, WEB), "owned_open")

    task = next(task for page in pages for task in page.tasks if task.external_id == str(issue.id))
    assert (task.title, task.url) == ("Dark mode \ufffd", "")


def test_a_repository_gone_out_of_sight_since_it_was_listed_is_access_lost(provider, server):
    client = client_for(provider)
    web = project(provider, client, WEB)
    server.state.remove_collaborator(WEB, "ana")

    with pytest.raises(AccessLost):
        read(provider, client, web, "owned_open")


def test_locate_task_cannot_find_an_issue_by_id_alone(provider):
    assert provider.locate_task(client_for(provider), "3000000001") is None


# --- Conditional reads --------------------------------------------------------------------------
def test_a_second_read_with_the_cursor_is_not_modified_and_costs_no_rate_limit(provider, server):
    client = client_for(provider)
    web = project(provider, client, WEB)
    cursor = read(provider, client, web, "owned_open")[-1].cursor
    remaining = server.state.rate_limits.budget("ana").remaining

    pages = read(provider, client, web, "owned_open", cursor_state=cursor)

    assert pages == [TaskPage([], 0, 0, snapshot=None, not_modified=True)]
    assert server.state.rate_limits.budget("ana").remaining == remaining
    assert issues_requests(server)[-1]["status"] == 304


def test_a_change_on_the_first_page_is_read_with_the_answer_to_the_conditional_request(provider, server):
    client = client_for(provider)
    web = project(provider, client, WEB)
    cursor = read(provider, client, web, "owned_open")[-1].cursor
    issue = next(i for i in server.state.issues_in(WEB) if i.title.startswith("Dark mode"))
    server.state.update_issue(WEB, issue.number, title="Dark mode, at last")

    pages = read(provider, client, web, "owned_open", cursor_state=cursor)

    assert not pages[0].not_modified
    assert "Dark mode, at last" in [task.title for page in pages for task in page.tasks]
    assert [entry["status"] for entry in issues_requests(server)] == [200, 200]  # the second one was conditional


@pytest.mark.parametrize("change", ["close", "unassign", "delete", "transfer", "assign a new one"])
def test_a_change_beyond_the_first_page_is_not_taken_for_no_change(provider, server, small_pages, change):
    client = client_for(provider)
    web = project(provider, client, WEB)
    first = read(provider, client, web, "owned_open")
    assert len(first) > 2  # several pages
    last = server.state.issue_by_id(int(task_ids(first)[-1]))  # the newest: on the last page
    server.state.clock.advance(5)
    change_issue(server, last, change)

    pages = read(provider, client, web, "owned_open", cursor_state=first[-1].cursor)

    assert not pages[0].not_modified
    assert set(task_ids(pages)) == in_scope(server, WEB, "ana", "owned_open")


def test_a_second_read_of_many_pages_is_not_modified_when_no_page_changed(provider, server, small_pages):
    client = client_for(provider)
    web = project(provider, client, WEB)
    first = read(provider, client, web, "owned_all")
    remaining = server.state.rate_limits.budget("ana").remaining

    pages = read(provider, client, web, "owned_all", cursor_state=first[-1].cursor)

    assert pages == [TaskPage([], 0, 0, snapshot=None, not_modified=True)]
    assert server.state.rate_limits.budget("ana").remaining == remaining
    assert [entry["status"] for entry in issues_requests(server)[len(first) :]] == [304] * len(first)


def test_a_cursor_of_another_scope_is_not_used(provider, server):
    client = client_for(provider)
    web = project(provider, client, WEB)
    cursor = read(provider, client, web, "owned_open")[-1].cursor

    pages = read(provider, client, web, "owned_all", cursor_state=cursor)

    assert not pages[0].not_modified and set(task_ids(pages)) == in_scope(server, WEB, "ana", "owned_all")


# --- Keyset pages: nothing is skipped when issues change during a read ----------------------------------
@pytest.mark.parametrize("change", ["edit", "close", "unassign", "delete", "transfer", "assign a new one"])
def test_an_issue_changed_between_two_page_reads_skips_nothing(provider, server, small_pages, change):
    client = client_for(provider)
    web = project(provider, client, WEB)
    before = in_scope(server, WEB, "ana", "projects_all")
    first_page = sorted((i for i in server.state.issues_in(WEB) if str(i.id) in before), key=lambda i: i.updated_at)
    changed = first_page[0]  # read on the first page; by page number, the next page would shift past an issue

    done = []

    def change_after_the_first_page(entry):
        if entry["path"].endswith("/issues") and not done:
            done.append(entry)
            server.state.clock.advance(2)
            change_issue(server, changed, change)

    server.on_request(change_after_the_first_page)

    pages = read(provider, client, web, "projects_all")

    ids = task_ids(pages)
    after = in_scope(server, WEB, "ana", "projects_all")
    assert after <= set(ids) <= before | after  # all that is in scope now, and nothing that never was
    assert {page.snapshot for page in pages} == {"keyset"} and not any(page.skipped for page in pages)
    if change == "edit":  # handed over again as it is now, after the version the first page had
        titles = [task.title for page in pages for task in page.tasks if task.external_id == str(changed.id)]
        assert titles[-1] == changed.title and titles[-1].endswith("(edited)")
    assert len(pages) > 3 and all(len(page.tasks) <= 3 for page in pages)


def test_the_next_page_asks_since_the_last_update_seen_and_drops_what_came_twice(provider, server, small_pages):
    client = client_for(provider)

    pages = read(provider, client, project(provider, client, WEB), "owned_all")

    requests = issues_requests(server)
    since = [entry["query"].get("since") for entry in requests]
    assert since[0] is None and all(since[1:]) and since[1:] == sorted(set(since[1:]))
    ids = task_ids(pages)
    assert len(ids) == len(set(ids)) and set(ids) == in_scope(server, WEB, "ana", "owned_all")
    assert [page.offset for page in pages] == [sum(len(p.tasks) for p in pages[:n]) for n in range(len(pages))]
    assert [url for url, _etag in pages[-1].cursor["pages"]] == [
        f"{entry['path']}?{urlencode(entry['query'])}" for entry in requests
    ]
    assert all(etag.startswith('W/"') for _url, etag in pages[-1].cursor["pages"])


@pytest.fixture
def same_second(server):
    """Eight open issues assigned to Ana in a new repository, all updated in the same second."""
    moment = datetime(2025, 5, 2, 9, 30, tzinfo=UTC)
    server.state.add_repo("acme-corp/imported", collaborators={"ana": "push"})
    for number in range(8):
        server.state.create_issue(
            "acme-corp/imported",
            f"Imported {number}",
            assignees=["ana"],
            created_at=moment,
            updated_at=moment,
            notify=False,
        )
    return "acme-corp/imported"


def test_more_than_a_page_updated_in_one_second_is_read_by_page_number(provider, server, small_pages, same_second):
    client = client_for(provider)

    pages = read(provider, client, project(provider, client, same_second), "owned_open")

    assert sorted(task_ids(pages)) == sorted(in_scope(server, same_second, "ana", "owned_open"))
    assert {page.snapshot for page in pages} == {"keyset"}
    queries = [(entry["query"].get("page"), entry["status"]) for entry in issues_requests(server)]
    assert queries == [(None, 200), ("2", 200), ("3", 200), (None, 304), ("2", 304), ("3", 304)]


def test_pages_by_number_that_shifted_make_the_read_inconsistent(provider, server, small_pages, same_second):
    client = client_for(provider)
    first = server.state.issues_in(same_second)[0]

    done = []

    def close_one_after_the_first_page(entry):
        if entry["path"].endswith("/issues") and not done:
            done.append(entry)
            server.state.clock.advance(2)
            server.state.update_issue(same_second, first.number, state="closed")

    server.on_request(close_one_after_the_first_page)

    pages = read(provider, client, project(provider, client, same_second), "owned_open")

    assert len({page.snapshot for page in pages}) == 2  # the engine reads such a project again
    assert pages[-1].snapshot == "shifted" and pages[-1].tasks == []


# --- Enterprise Server ---------------------------------------------------------------------------------
def test_an_enterprise_server_base_url_works_for_every_call(provider, server):
    installation = {"base_url": server.enterprise_base_url, "repositories": ["acme-corp"]}
    client = provider.client(ANA.token, installation=installation)

    account = provider.check_token(ANA.token, installation=installation)
    web = project(provider, client, WEB, installation)
    pages = read(provider, client, web, "owned_open")
    again = read(provider, client, web, "owned_open", cursor_state=pages[-1].cursor)

    assert account.username == "ana" and account.project_names == [BILLING, WEB]
    assert set(task_ids(pages)) == in_scope(server, WEB, "ana", "owned_open")
    assert again[0].not_modified
    assert all(entry["path"].startswith("/api/v3/") for entry in server.request_log.entries())
    assert web.url == f"{server.root_url}/{WEB}"


def test_the_client_sends_the_token_only_to_the_configured_server(provider, server):
    client = provider.client(ANA.token, installation={"base_url": server.enterprise_base_url})

    assert client.base_url == server.enterprise_base_url and client.max_attempts > 1
    assert provider.client(ANA.token, interactive=True).max_attempts == 1
