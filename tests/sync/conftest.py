import pytest

from integrations import services
from integrations.models import UserIntegration
from integrations.providers.github.emulator import GitHubEmulatorServer, build_demo_state
from integrations.providers.github.emulator.demo_data import DEMO_USERS_BY_LOGIN
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from sync.models import SyncClaim
from sync.tasks import sync_user_integration
from tests.factories import MembershipFactory
from tracking.models import Task

PERSON = {person.username: person for person in DEMO_PEOPLE}
GITHUB_USERS = DEMO_USERS_BY_LOGIN


@pytest.fixture
def demo_members(company):
    """Acme's people with the emails of the emulator's demo people."""
    return {
        person.username: MembershipFactory(
            company=company, role=person.role, user__email=person.email, user__full_name=person.name
        )
        for person in DEMO_PEOPLE
        if person.role
    }


@pytest.fixture
def pivotal_on(emulator, demo_members):
    """Olivia (owner) turned Pivotal on; her own integration is active by default."""
    services.enable_company_integration(
        demo_members["olivia"].company, "pivotal", PERSON["olivia"].api_token, acting=demo_members["olivia"]
    )
    return demo_members


@pytest.fixture
def link(pivotal_on):
    """Links and switches on a demo person's own integration; returns it."""

    def make(username):
        membership = pivotal_on[username]
        personal = services.save_user_token(membership, "pivotal", PERSON[username].api_token)
        services.enable_user_integration(personal, acting=membership)
        return UserIntegration.objects.get(pk=personal.pk)

    return make


def claim(personal):
    """The personal integration's sync claim as it is now (idle, queued or running)."""
    return SyncClaim.objects.get_or_create(user_integration_id=personal.pk)[0]


def run_sync(personal, trigger="manual"):
    """The Celery task itself, run in this process (eagerly), as a worker would run it."""
    return sync_user_integration.apply(args=[personal.pk, trigger]).get()


def offered(membership):
    return set(Task.objects.offered_to(membership).values_list("external_id", flat=True))


def expected(emulator, username, *, include_accepted=False):
    """The stories the emulator says this person owns now, in projects they can see."""
    state, person_id = emulator.state, PERSON[username].pivotal_id
    return {
        str(story.id)
        for project in state.projects()
        if state.can_read_project(person_id, project.id)
        for story in state.stories_in(project.id)
        if person_id in story.owner_ids and (include_accepted or story.current_state != "accepted")
    }


def owned_story(emulator, username, *, state=None, project_id=None):
    """A story the person owns: open by default, or in the given state, optionally in one project."""
    person_id = PERSON[username].pivotal_id
    for project in emulator.state.projects():
        if project_id and project.id != project_id:
            continue
        for story in emulator.state.stories_in(project.id):
            if person_id not in story.owner_ids:
                continue
            if (story.current_state == state) if state else (story.current_state != "accepted"):
                return story
    raise LookupError(f"{username} owns no such story")


# --- GitHub ---------------------------------------------------------------------------------


@pytest.fixture
def github(settings):
    with GitHubEmulatorServer(build_demo_state()) as server:
        settings.GITHUB_API_URL = server.base_url
        yield server


@pytest.fixture
def github_on(github, demo_members):
    """Olivia (owner) turned GitHub on; her own integration is active by default."""
    services.enable_company_integration(
        demo_members["olivia"].company, "github", GITHUB_USERS["olivia"].token, acting=demo_members["olivia"]
    )
    return demo_members


@pytest.fixture
def link_github(github_on):
    def make(login):
        membership = github_on[login]
        personal = services.save_user_token(membership, "github", GITHUB_USERS[login].token)
        services.enable_user_integration(personal, acting=membership)
        return UserIntegration.objects.get(pk=personal.pk)

    return make


def offered_issues(membership):
    return set(Task.objects.offered_to(membership).filter(provider="github").values_list("external_id", flat=True))


def expected_issues(github, login, *, state="open"):
    """The issues (never pull requests) assigned to the person now, in repositories they can see."""
    user, emulator = github.state.user(login), github.state
    return {
        str(issue.id)
        for repo in emulator.repos_visible_to(login)
        for issue in emulator.issues_in(repo.full_name)
        if not issue.is_pull_request and user.id in issue.assignee_ids and (state == "all" or issue.state == state)
    }
