"""Control endpoints under `/__emulator__/`: JSON in and out, no token, never in the request log.

    GET    /__emulator__                                    this list
    GET    /__emulator__/state                              summary of the data, faults, counts
    GET    /__emulator__/requests                           the request log (never tokens)
    DELETE /__emulator__/requests
    GET    /__emulator__/faults
    POST   /__emulator__/faults                             {"kind", "path"?, "method"?, "count"?, "status"?,
                                                            "retry_after"?, "reset_in"?, "seconds"?}
    DELETE /__emulator__/faults
    POST   /__emulator__/reset                              {"dataset": "demo" | "empty"};
                                                            clears faults, log, deliveries
    POST   /__emulator__/clock                              {"set"?: ISO time, "advance_seconds"?: n, "real"?: true}
    POST   /__emulator__/rate_limit                         {"login"?, "limit"?, "remaining"?, "reset_in"?}
    POST   /__emulator__/users                              {"login", "name"?, "email"?, "token"?, "id"?,
                                                            "is_email_public"?}
    POST   /__emulator__/users/{login}/revoke_token
    POST   /__emulator__/users/{login}/rotate_token
    POST   /__emulator__/orgs                               {"login", "name"?, "description"?,
                                                            "members"?: {login: role}}
    PUT    /__emulator__/orgs/{org}/members/{login}         {"role"?: "admin" | "member"}
    DELETE /__emulator__/orgs/{org}/members/{login}
    POST   /__emulator__/repos                              {"full_name": "owner/name", "private"?, "description"?,
                                                            "collaborators"?}
    PUT    /__emulator__/repos/{owner}/{repo}/collaborators/{login}    {"permission"?}
    DELETE /__emulator__/repos/{owner}/{repo}/collaborators/{login}
    POST   /__emulator__/repos/{owner}/{repo}/issues        {"title", "body"?, "user"?, "labels"?, "assignees"?,
                                                            "state"?, "state_reason"?, "html_url"?, "created_at"?,
                                                            "updated_at"?}
    PATCH  /__emulator__/repos/{owner}/{repo}/issues/{n}    {"title"?, "body"?, "state"?, "state_reason"?, "labels"?,
                                                            "assignees"?, "html_url"?, "comments"?, "sender"?}
    POST   /__emulator__/repos/{owner}/{repo}/issues/{n}/transfer      {"to": "owner/name", "sender"?}
    DELETE /__emulator__/repos/{owner}/{repo}/issues/{n}    {"sender"?}
    POST   /__emulator__/repos/{owner}/{repo}/pulls         {"title", "body"?, "user"?, "labels"?, "assignees"?,
                                                            "draft"?}
    GET    /__emulator__/hooks
    POST   /__emulator__/hooks                              {"url", "secret"?, "events"?: ["issues"],
                                                            "org"? | "repo"?: "owner/name"}
    DELETE /__emulator__/hooks/{id}
    GET    /__emulator__/deliveries                         webhook deliveries, oldest first
    DELETE /__emulator__/deliveries

Issues and pull requests answer in the API's JSON shape; unknown names give 404, bad values 400.
"""

from __future__ import annotations

import threading

from integrations.providers.emulator_kit import control as kit
from integrations.providers.emulator_kit.clock import parse_iso
from integrations.providers.emulator_kit.control import only_fields, parse_times, require_fields
from integrations.providers.emulator_kit.web import Request, Response, json_response

from .presenters import issue_out, me_out, org_out, repo_out
from .rendering import Urls
from .state import GitHubState

NAME = r"[^/]+"
REPO = rf"/repos/(?P<owner>{NAME})/(?P<repo>{NAME})"
ISSUE = REPO + r"/issues/(?P<number>\d+)"
USER_FIELDS = {"login", "name", "email", "token", "id", "is_email_public", "site_admin"}
ORG_FIELDS = {"login", "name", "description", "id", "members", "default_repository_permission"}
REPO_FIELDS = {"full_name", "private", "description", "id", "collaborators", "labels"}
ISSUE_CREATE_FIELDS = {
    "title",
    "body",
    "user",
    "labels",
    "assignees",
    "state",
    "state_reason",
    "comments",
    "html_url",
    "created_at",
    "updated_at",
    "closed_at",
    "id",
}
PULL_FIELDS = {"title", "body", "user", "labels", "assignees", "draft", "created_at", "updated_at"}
HOOK_FIELDS = {"url", "secret", "events", "org", "repo"}
DATE_FIELDS = ("created_at", "updated_at", "closed_at")


class ControlEndpoints(kit.ControlEndpoints):
    endpoints_doc = __doc__

    def __init__(self, app, reset_factory=None):
        super().__init__(app, reset_factory)
        self._local = threading.local()  # the URLs of the request being answered, per thread
        route = self.router.add
        route("POST", r"/rate_limit", self.set_rate_limit)
        route("POST", r"/users", self.add_user)
        route("POST", rf"/users/(?P<login>{NAME})/revoke_token", self.revoke_token)
        route("POST", rf"/users/(?P<login>{NAME})/rotate_token", self.rotate_token)
        route("POST", r"/orgs", self.add_org)
        route("PUT", rf"/orgs/(?P<org>{NAME})/members/(?P<login>{NAME})", self.set_org_member)
        route("DELETE", rf"/orgs/(?P<org>{NAME})/members/(?P<login>{NAME})", self.remove_org_member)
        route("POST", r"/repos", self.add_repo)
        route("PUT", REPO + rf"/collaborators/(?P<login>{NAME})", self.add_collaborator)
        route("DELETE", REPO + rf"/collaborators/(?P<login>{NAME})", self.remove_collaborator)
        route("POST", REPO + r"/issues", self.create_issue)
        route("PATCH", ISSUE, self.update_issue)
        route("POST", ISSUE + r"/transfer", self.transfer_issue)
        route("DELETE", ISSUE, self.delete_issue)
        route("POST", REPO + r"/pulls", self.create_pull_request)
        route("GET", r"/hooks", self.list_hooks)
        route("POST", r"/hooks", self.add_hook)
        route("DELETE", r"/hooks/(?P<hook_id>\d+)", self.remove_hook)
        route("GET", r"/deliveries", self.list_deliveries)
        route("DELETE", r"/deliveries", self.clear_deliveries)

    @property
    def state(self) -> GitHubState:
        return self.app.state

    @property
    def urls(self) -> Urls:
        return self._local.urls

    def handle(self, request: Request) -> Response:
        self._local.urls = Urls(f"http://{request.host}", f"http://{request.host}")
        return super().handle(request)

    def empty_state(self) -> GitHubState:
        return GitHubState()

    def demo_state_factory(self):
        from .demo_data import build_demo_state  # imported late: the demo data imports the state

        return build_demo_state

    def summary(self) -> dict:
        return {**super().summary(), "delivery_count": len(self._deliveries())}

    def forget_traffic(self) -> None:
        """A reset also clears the webhook deliveries."""
        super().forget_traffic()
        if self.app.webhooks is not None:
            self.app.webhooks.clear()

    # Rate limit --------------------------------------------------------------------------

    def set_rate_limit(self, body) -> Response:
        options = dict(only_fields(body, {"login", "limit", "remaining", "reset_in"}))
        login = options.pop("login", None)
        budget = self.state.rate_limits.set(login, **options)
        return json_response({"limit": self.state.rate_limits.limit, "budget": budget.as_json() if budget else None})

    # People, orgs, repositories --------------------------------------------------------

    def add_user(self, body) -> Response:
        require_fields(body, "login")
        values = dict(only_fields(body, USER_FIELDS))
        user = self.state.add_user(values.pop("login"), **values)
        return json_response({**me_out(self.state, self.urls, user), "token": user.token}, 201)

    def revoke_token(self, body, login: str) -> Response:
        self.state.revoke_token(login)
        return json_response({"login": login, "revoked": True})

    def rotate_token(self, body, login: str) -> Response:
        return json_response({"login": login, "token": self.state.rotate_token(login)})

    def add_org(self, body) -> Response:
        require_fields(body, "login")
        values = dict(only_fields(body, ORG_FIELDS))
        org = self.state.add_org(values.pop("login"), **values)
        return json_response(org_out(self.urls, org), 201)

    def set_org_member(self, body, org: str, login: str) -> Response:
        self.state.set_org_member(org, login, **only_fields(body, {"role"}))
        role = self.state.org(org).members[self.state.user(login).login]
        return json_response({"org": org, "login": login, "role": role})

    def remove_org_member(self, body, org: str, login: str) -> Response:
        self.state.remove_org_member(org, login)
        return Response(204)

    def add_repo(self, body) -> Response:
        require_fields(body, "full_name")
        values = dict(only_fields(body, REPO_FIELDS))
        repo = self.state.add_repo(values.pop("full_name"), **values)
        return json_response(repo_out(self.state, self.urls, repo, full=True), 201)

    def add_collaborator(self, body, owner: str, repo: str, login: str) -> Response:
        self.state.add_collaborator(f"{owner}/{repo}", login, **only_fields(body, {"permission"}))
        return Response(204)

    def remove_collaborator(self, body, owner: str, repo: str, login: str) -> Response:
        self.state.remove_collaborator(f"{owner}/{repo}", login)
        return Response(204)

    # Issues and pull requests -------------------------------------------------------------

    def create_issue(self, body, owner: str, repo: str) -> Response:
        _require_key(body, "title")
        values = _dates(only_fields(body, ISSUE_CREATE_FIELDS))
        issue = self.state.create_issue(f"{owner}/{repo}", values.pop("title"), **values)
        return json_response(issue_out(self.state, self.urls, issue), 201)

    def update_issue(self, body, owner: str, repo: str, number: str) -> Response:
        issue = self.state.update_issue(f"{owner}/{repo}", int(number), **body)
        return json_response(issue_out(self.state, self.urls, issue))

    def transfer_issue(self, body, owner: str, repo: str, number: str) -> Response:
        require_fields(body, "to")
        values = dict(only_fields(body, {"to", "sender"}))
        issue = self.state.transfer_issue(f"{owner}/{repo}", int(number), values.pop("to"), **values)
        return json_response(issue_out(self.state, self.urls, issue))

    def delete_issue(self, body, owner: str, repo: str, number: str) -> Response:
        self.state.delete_issue(f"{owner}/{repo}", int(number), **only_fields(body, {"sender"}))
        return Response(204)

    def create_pull_request(self, body, owner: str, repo: str) -> Response:
        _require_key(body, "title")
        values = _dates(only_fields(body, PULL_FIELDS))
        pull = self.state.create_pull_request(f"{owner}/{repo}", values.pop("title"), **values)
        return json_response(issue_out(self.state, self.urls, pull), 201)

    # Webhooks ----------------------------------------------------------------------------

    def list_hooks(self, body) -> Response:
        return json_response({"hooks": [_hook_json(self.state, hook) for hook in self.state.webhooks()]})

    def add_hook(self, body) -> Response:
        require_fields(body, "url")
        values = dict(only_fields(body, HOOK_FIELDS))
        hook = self.state.add_webhook(values.pop("url"), **values)
        return json_response(_hook_json(self.state, hook), 201)

    def remove_hook(self, body, hook_id: str) -> Response:
        self.state.remove_webhook(int(hook_id))
        return Response(204)

    def list_deliveries(self, body) -> Response:
        return json_response({"deliveries": self._deliveries()})

    def clear_deliveries(self, body) -> Response:
        if self.app.webhooks is not None:
            self.app.webhooks.clear()
        return Response(204)

    def _deliveries(self) -> list[dict]:
        return self.app.webhooks.deliveries() if self.app.webhooks is not None else []


def _hook_json(state: GitHubState, hook) -> dict:
    repo = state.repo_by_id(hook.repo_id) if hook.repo_id else None
    return {
        "id": hook.id,
        "url": hook.url,
        "events": hook.events,
        "active": hook.is_active,
        "has_secret": hook.secret is not None,
        "org": hook.org,
        "repo": repo.full_name if repo else None,
    }


def _require_key(body: dict, name: str) -> None:
    """For values that may be empty or hostile strings, such as titles."""
    if name not in body:
        raise ValueError(f"missing fields: {name}")


def _dates(values: dict) -> dict:
    return parse_times(values, DATE_FIELDS, parse_iso)
