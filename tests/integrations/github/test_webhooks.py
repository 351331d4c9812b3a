"""GitHub's webhook deliveries: signatures, and whom and what each event is about. The `issues`
events are the emulator's real deliveries, POSTed to a tiny local receiver."""

import http.server
import json
import queue
import threading
from types import SimpleNamespace

import pytest
from django.http.request import HttpHeaders
from requests.structures import CaseInsensitiveDict

from integrations import registry
from integrations.providers.base import ActivityRefs
from integrations.providers.github.webhooks import signature
from tests.integrations.github.emulator_helpers import BILLING, USERS, WEB

SECRET = "It's a Secret to Everybody"
NOTHING = ActivityRefs(frozenset(), frozenset())


def ids(*logins):
    return {str(USERS[login].id) for login in logins}


def django_headers(headers):
    """Headers as a Django view sees them (`request.headers`): case-insensitive."""
    return HttpHeaders({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()})


class Receiver:
    """Collects the deliveries POSTed to it, as (headers, raw body)."""

    def __init__(self):
        self.deliveries = queue.Queue()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries.put((django_headers(dict(self.headers.items())), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/github/webhook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    def take_all(self, github):
        assert github.wait_for_deliveries()
        taken = []
        while not self.deliveries.empty():
            taken.append(self.deliveries.get())
        return taken

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(server):
    receiver = Receiver()
    server.state.add_webhook(receiver.url, secret=SECRET, org="acme-corp")
    yield receiver
    receiver.close()


@pytest.fixture
def provider():
    return registry.get("github")


@pytest.fixture
def integration():
    return SimpleNamespace(webhook_signing_secret=SECRET)


def delivered(server, receiver, provider, integration):
    """Every delivery so far, each checked as the view checks it, as (action, refs)."""
    results = []
    for headers, body in receiver.take_all(server):
        assert provider.verify_webhook(headers, body, integration)
        payload = json.loads(body)
        results.append((payload["action"], provider.parse_webhook(headers, payload)))
    return results


def issue_titled(server, repo, start):
    return next(issue for issue in server.state.issues_in(repo) if issue.title.startswith(start))


# --- Signatures -------------------------------------------------------------------------------------
def test_a_real_delivery_is_verified_with_the_companys_secret(server, receiver, provider, integration):
    server.state.create_issue(WEB, "Webhook me", user="ana")

    ((headers, body),) = receiver.take_all(server)

    assert headers["x-github-event"] == "issues"
    assert provider.verify_webhook(headers, body, integration)
    assert not provider.verify_webhook(headers, body, SimpleNamespace(webhook_signing_secret="another secret"))


def test_a_tampered_body_fails_verification(server, receiver, provider, integration):
    server.state.create_issue(WEB, "Webhook me", user="ana")
    ((headers, body),) = receiver.take_all(server)

    assert not provider.verify_webhook(headers, body.replace(b"Webhook me", b"Webhook us"), integration)
    assert not provider.verify_webhook(headers, body + b" ", integration)


def test_githubs_documented_example_signature_verifies(provider):
    headers = django_headers(
        {"X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}
    )

    assert provider.verify_webhook(headers, b"Hello, World!", SimpleNamespace(webhook_signing_secret=SECRET))


@pytest.mark.parametrize(
    "sent",
    [
        None,  # not signed
        "",
        "sha1=" + "0" * 40,  # the legacy SHA-1 header's format
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",  # no "sha256="
        "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1é",
    ],
)
def test_a_missing_or_wrong_signature_fails_verification(provider, integration, sent):
    headers = django_headers({} if sent is None else {"X-Hub-Signature-256": sent})

    assert not provider.verify_webhook(headers, b"Hello, World!", integration)


@pytest.mark.parametrize("secret", ["", None])
def test_without_a_secret_nothing_verifies(provider, secret):
    headers = django_headers({"X-Hub-Signature-256": signature("", b"{}")})

    assert not provider.verify_webhook(headers, b"{}", SimpleNamespace(webhook_signing_secret=secret))


def test_the_signature_header_is_found_whatever_its_case(provider, integration):
    body = b'{"zen": "Keep it logically awesome."}'

    headers = CaseInsensitiveDict({"x-hub-signature-256": signature(SECRET, body)})

    assert provider.verify_webhook(headers, body, integration)


# --- Issues events, as the emulator delivers them ----------------------------------------------------
def test_an_opened_issue_is_about_its_assignees_and_whoever_opened_it(server, receiver, provider, integration):
    issue = server.state.create_issue(WEB, "Webhook me", user="maya", assignees=["ana", "ben"])

    assert delivered(server, receiver, provider, integration) == [
        ("opened", ActivityRefs(frozenset(ids("ana", "ben", "maya")), frozenset({str(issue.id)})))
    ]


def test_an_assignment_is_about_the_new_assignee_too(server, receiver, provider, integration):
    issue = issue_titled(server, WEB, "Keyboard shortcuts")  # assigned to nobody

    server.state.update_issue(WEB, issue.number, assignees=["chloe"], sender="maya")

    assert delivered(server, receiver, provider, integration) == [
        ("assigned", ActivityRefs(frozenset(ids("chloe", "maya")), frozenset({str(issue.id)})))
    ]


def test_an_unassignment_is_about_the_person_no_longer_assigned(server, receiver, provider, integration):
    issue = issue_titled(server, WEB, "Dark mode")  # Ana and Ben

    server.state.update_issue(WEB, issue.number, assignees=["ben"], sender="maya")

    assert delivered(server, receiver, provider, integration) == [
        ("unassigned", ActivityRefs(frozenset(ids("ana", "ben", "maya")), frozenset({str(issue.id)})))
    ]


def test_a_closed_issue_is_about_its_assignees(server, receiver, provider, integration):
    issue = issue_titled(server, WEB, "Two-factor")  # Ana

    server.state.update_issue(WEB, issue.number, state="closed", state_reason="not_planned", sender="adam")

    assert delivered(server, receiver, provider, integration) == [
        ("closed", ActivityRefs(frozenset(ids("ana", "adam")), frozenset({str(issue.id)})))
    ]


def test_a_transfer_is_about_the_old_issue_and_the_new_one(server, receiver, provider, integration):
    old = issue_titled(server, WEB, "Two-factor")  # Ana, who can see billing-api too

    new = server.state.transfer_issue(WEB, old.number, BILLING, sender="olivia")

    transferred, opened = delivered(server, receiver, provider, integration)
    assert transferred == (
        "transferred",
        ActivityRefs(frozenset(ids("ana", "olivia")), frozenset({str(old.id), str(new.id)})),
    )
    assert opened == ("opened", ActivityRefs(frozenset(ids("ana", "olivia")), frozenset({str(new.id)})))


def test_a_deleted_issue_is_about_the_people_it_was_assigned_to(server, receiver, provider, integration):
    issue = issue_titled(server, WEB, "Dark mode")  # Ana and Ben

    server.state.delete_issue(WEB, issue.number, sender="olivia")

    assert delivered(server, receiver, provider, integration) == [
        ("deleted", ActivityRefs(frozenset(ids("ana", "ben", "olivia")), frozenset({str(issue.id)})))
    ]


# --- Other events ----------------------------------------------------------------------------------------
def test_a_ping_is_about_nothing(provider):
    payload = {
        "zen": "Design for failure.",
        "hook_id": 401,
        "hook": {"type": "Organization", "id": 401, "events": ["issues", "repository"]},
        "organization": {"login": "acme-corp", "id": 5001},
        "sender": {"login": "olivia", "id": 1001},
    }

    assert provider.parse_webhook(django_headers({"X-GitHub-Event": "ping"}), payload) == NOTHING


@pytest.mark.parametrize("action", ["renamed", "transferred", "privatized", "archived", "deleted"])
def test_a_repository_event_is_valid_and_about_no_one_in_particular(provider, action):
    payload = {"action": action, "repository": {"id": 700001, "full_name": WEB}, "sender": {"id": 1001}}
    if action == "renamed":
        payload["changes"] = {"repository": {"name": {"from": "web"}}}

    assert provider.parse_webhook(django_headers({"X-GitHub-Event": "repository"}), payload) == NOTHING


@pytest.mark.parametrize("event", ["push", "pull_request", ""])
def test_events_we_do_not_sync_from_are_about_nothing(provider, event):
    headers = django_headers({"X-GitHub-Event": event} if event else {})

    assert provider.parse_webhook(headers, {"action": "opened", "number": 3}) == NOTHING


def test_the_event_header_is_found_whatever_its_case(provider):
    payload = {"action": "edited", "issue": {"id": 7, "assignees": []}, "sender": {"id": 1001}}

    refs = provider.parse_webhook(HttpHeaders({"HTTP_X_GITHUB_EVENT": "issues"}), payload)

    assert refs == ActivityRefs(frozenset({"1001"}), frozenset({"7"}))


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("issues", ["not", "an", "object"]),
        ("ping", "text"),
        ("issues", {"action": "opened"}),
        ("issues", {"action": "opened", "issue": {"id": "7"}}),
        ("issues", {"action": "opened", "issue": {"id": True}}),
        ("issues", {"action": "opened", "issue": {"id": 7, "assignees": {"id": 1}}}),
        ("issues", {"action": "opened", "issue": {"id": 7, "assignees": [{"id": 1.5}]}}),
        ("issues", {"action": "assigned", "issue": {"id": 7}, "assignee": {"login": "ana"}}),
        ("issues", {"action": "opened", "issue": {"id": 7}, "sender": {"id": None}}),
        ("issues", {"action": "transferred", "issue": {"id": 7}, "changes": {"new_issue": {"id": "8"}}}),
        ("repository", {"action": "renamed", "repository": {"id": "700001"}}),
    ],
)
def test_a_malformed_payload_is_refused(provider, event, payload):
    with pytest.raises(ValueError):
        provider.parse_webhook(django_headers({"X-GitHub-Event": event}), payload)
