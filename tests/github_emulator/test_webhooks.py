"""Webhook deliveries: real POSTs of GitHub's `issues` event, signed with the hook's secret,
received here by a tiny HTTP server; each payload matches GitHub's webhook schema."""

import hashlib
import hmac
import http.server
import json
import queue
import threading
import uuid

import pytest

from integrations.providers.github.emulator import signature_256

from .helpers import BILLING, MOBILE, WEB
from .schemas import assert_valid_webhook

SECRET = "It's a Secret to Everybody"


class Receiver:
    """Collects the deliveries POSTed to it; answers `status` (204 by default)."""

    def __init__(self):
        self.deliveries: queue.Queue = queue.Queue()
        self.status = 204
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries.put((self.path, self.headers, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/github/webhook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    def take(self, count: int, timeout: float = 5) -> list[tuple]:
        return [self.deliveries.get(timeout=timeout) for _ in range(count)]

    def payloads(self, github) -> list[dict]:
        """Every payload delivered so far, after the emulator's queue drained; schema-checked."""
        assert github.wait_for_deliveries()
        items = []
        while not self.deliveries.empty():
            _path, headers, body = self.deliveries.get()
            payload = json.loads(body)
            assert_valid_webhook(headers["X-GitHub-Event"], payload)
            items.append(payload)
        return items

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def org_hook(github, receiver):
    return github.state.add_webhook(receiver.url, secret=SECRET, org="acme-corp")


def actions(payloads):
    return [payload["action"] for payload in payloads]


def test_opening_an_issue_delivers_a_signed_issues_event(github, receiver, org_hook):
    github.state.create_issue(WEB, "Webhook me", user="ana", labels=["bug"])

    ((path, headers, body),) = receiver.take(1)
    payload = json.loads(body)

    assert path == "/github/webhook"
    assert headers["X-GitHub-Event"] == "issues"
    assert uuid.UUID(headers["X-GitHub-Delivery"])
    assert headers["User-Agent"].startswith("GitHub-Hookshot/")
    assert headers["Content-Type"] == "application/json"
    assert headers["X-GitHub-Hook-ID"] == str(org_hook.id)
    assert headers["X-GitHub-Hook-Installation-Target-Type"] == "organization"
    assert headers["X-Hub-Signature-256"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert (payload["action"], payload["issue"]["title"], payload["repository"]["full_name"]) == (
        "opened",
        "Webhook me",
        WEB,
    )
    assert (payload["sender"]["login"], payload["organization"]["login"]) == ("ana", "acme-corp")
    assert_valid_webhook("issues", payload)


def test_the_signature_is_githubs_example_hmac_and_a_wrong_secret_does_not_match(github, receiver, org_hook):
    assert signature_256(SECRET, b"Hello, World!") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"  # GitHub's documented example
    )
    github.state.update_issue(WEB, 6, title="Invite team members by email or link")

    ((_path, headers, body),) = receiver.take(1)

    assert hmac.compare_digest(headers["X-Hub-Signature-256"], signature_256(SECRET, body))
    assert not hmac.compare_digest(headers["X-Hub-Signature-256"], signature_256("wrong", body))


def test_one_update_sends_each_change_as_github_does(github, receiver, org_hook):
    github.state.update_issue(
        WEB,
        6,
        title="Invite by email",
        body="New body",
        state="closed",
        labels=["enhancement", "ux"],
        assignees=["ben"],
        sender="maya",
    )

    payloads = receiver.payloads(github)

    assert actions(payloads) == ["edited", "closed", "labeled", "unlabeled", "assigned", "unassigned"]
    assert payloads[0]["changes"] == {"title": {"from": "Invite team members by email"}, "body": {"from": ""}}
    assert payloads[1]["issue"]["state"] == "closed" and payloads[1]["issue"]["state_reason"] == "completed"
    assert (payloads[2]["label"]["name"], payloads[3]["label"]["name"]) == ("ux", "onboarding")
    assert (payloads[4]["assignee"]["login"], payloads[5]["assignee"]["login"]) == ("ben", "ana")
    assert {payload["sender"]["login"] for payload in payloads} == {"maya"}


def test_reopening_sends_reopened(github, receiver, org_hook):
    github.state.update_issue(WEB, 1, state="open")

    assert actions(receiver.payloads(github)) == ["reopened"]


def test_a_transfer_sends_transferred_to_the_old_repository_and_opened_to_the_new(github, receiver, org_hook):
    new = github.state.transfer_issue(WEB, 6, MOBILE, sender="olivia")

    transferred, opened = receiver.payloads(github)

    assert (transferred["action"], transferred["repository"]["full_name"]) == ("transferred", WEB)
    assert transferred["changes"]["new_issue"]["number"] == new.number
    assert transferred["changes"]["new_repository"]["full_name"] == MOBILE
    assert (opened["action"], opened["repository"]["full_name"], opened["issue"]["number"]) == (
        "opened",
        MOBILE,
        new.number,
    )


def test_a_deletion_sends_deleted_with_the_issue_as_it_was(github, receiver, org_hook):
    github.state.delete_issue(WEB, 6, sender="olivia")

    (deleted,) = receiver.payloads(github)

    assert (deleted["action"], deleted["issue"]["number"], deleted["sender"]["login"]) == ("deleted", 6, "olivia")


def test_a_repository_hook_hears_only_its_repository(github, receiver):
    github.state.add_webhook(receiver.url, secret=SECRET, repo=BILLING)
    github.state.create_issue(WEB, "Not for billing", user="ana")
    github.state.create_issue(BILLING, "For billing", user="ana")

    payloads = receiver.payloads(github)

    assert [payload["issue"]["title"] for payload in payloads] == ["For billing"]


def test_pull_requests_send_no_issues_events(github, receiver, org_hook):
    github.state.create_pull_request(WEB, "A pull request", user="ben", assignees=["ben"])

    assert receiver.payloads(github) == []


def test_a_hook_without_a_secret_sends_no_signature(github, receiver):
    github.state.add_webhook(receiver.url, repo=WEB)
    github.state.create_issue(WEB, "Unsigned", user="ana")

    ((_path, headers, _body),) = receiver.take(1)

    assert "X-Hub-Signature-256" not in headers


def test_the_delivery_log_records_successes_and_failures(github, control, receiver):
    control.post("/hooks", {"url": receiver.url, "secret": SECRET, "repo": WEB})
    control.post("/hooks", {"url": "http://127.0.0.1:9/nothing-listens-here", "repo": WEB})
    issue = github.state.create_issue(WEB, "Logged", user="ana")
    assert github.wait_for_deliveries()
    receiver.status = 500
    github.state.update_issue(WEB, issue.number, state="closed")
    assert github.wait_for_deliveries()

    delivered, unreachable, refused, _ = control.get("/deliveries").json()["deliveries"]

    assert (delivered["status"], delivered["status_code"], delivered["action"]) == ("delivered", 204, "opened")
    assert (delivered["repository"], delivered["issue_number"]) == (WEB, issue.number)
    assert unreachable["status"] == "failed" and unreachable["status_code"] is None and unreachable["error"]
    assert (refused["status"], refused["status_code"], refused["action"]) == ("failed", 500, "closed")
    assert control.delete("/deliveries").status_code == 204
    assert control.get("/deliveries").json()["deliveries"] == []


def test_hooks_can_be_listed_and_removed_through_control(github, control, receiver):
    hook = control.post("/hooks", {"url": receiver.url, "secret": SECRET, "org": "acme-corp"}).json()

    assert control.get("/hooks").json()["hooks"] == [hook]
    assert (hook["has_secret"], hook["events"]) == (True, ["issues"])
    assert "secret" not in hook
    assert control.delete(f"/hooks/{hook['id']}").status_code == 204
    github.state.create_issue(WEB, "Nobody listens", user="ana")
    assert receiver.payloads(github) == []


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://x"},
        {"url": "http://x", "org": "acme-corp", "repo": WEB},
        {"url": "http://x"},
        {"url": "http://x", "repo": WEB, "events": ["push"]},
    ],
)
def test_a_hook_that_makes_no_sense_is_refused(control, body):
    assert control.post("/hooks", body).status_code == 400
