"""Webhook deliveries: every issue change POSTs GitHub's `issues` event to the hooks of the
repository and of its org, from a background thread, signed like GitHub signs them.

Headers: `X-GitHub-Event: issues`, `X-GitHub-Delivery` (a uuid), `X-GitHub-Hook-ID`,
`X-GitHub-Hook-Installation-Target-ID`/`-Type`, `User-Agent: GitHub-Hookshot/<hex>` and, when the
hook has a secret, `X-Hub-Signature-256: sha256=<HMAC-SHA256 hex of the raw body>` (plus the
legacy SHA-1 `X-Hub-Signature`). Payloads are rendered when the change happens (under the
state's lock) and sent in order; GitHub does not retry failed deliveries, and neither does this.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable

from integrations.providers.emulator_kit.clock import log_timestamp
from integrations.providers.emulator_kit.web import encode_json

from .models import IssueEvent, Webhook
from .presenters import issue_out, org_out, repo_out, user_out
from .rendering import Urls, label_json
from .state import GitHubState

logger = logging.getLogger(__name__)

HOOKSHOT_USER_AGENT = "GitHub-Hookshot/e5a1b2c"
DELIVERY_TIMEOUT_SECONDS = 10
MAX_DELIVERIES = 1_000


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # GitHub does not follow redirects when delivering


# No proxies from the environment (deliveries go to the URL as given), no redirects.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def signature_256(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_payload(state: GitHubState, urls: Urls, event: IssueEvent) -> dict:
    """The body of GitHub's `issues` webhook event for one change."""
    payload = {"action": event.action, "issue": issue_out(state, urls, event.issue)}
    if event.changes is not None:
        payload["changes"] = event.changes
    if event.new_issue is not None:
        payload["changes"] = {
            "new_issue": issue_out(state, urls, event.new_issue),
            "new_repository": repo_out(state, urls, event.new_repo),
        }
    if event.label is not None:
        payload["label"] = label_json(urls, event.repo, event.label)
    if event.action in ("assigned", "unassigned"):
        payload["assignee"] = user_out(urls, event.assignee) if event.assignee else None
    payload["repository"] = repo_out(state, urls, event.repo)
    org = state.org(event.repo.owner)
    if org is not None:
        payload["organization"] = org_out(urls, org)
    payload["sender"] = user_out(urls, event.sender)
    return payload


class WebhookDispatcher:
    """Subscribes to the state; `urls()` gives the emulator's public URLs at delivery time."""

    def __init__(self, state: GitHubState, urls: Callable[[], Urls]):
        self.state = state
        self.urls = urls
        self._queue: queue.Queue = queue.Queue()
        self._log: deque[dict] = deque(maxlen=MAX_DELIVERIES)
        self._lock = threading.Condition()
        self._pending = 0
        self._next_id = 1
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.state.subscribe(self.on_event)
        self._thread = threading.Thread(target=self._run, name="github-emulator-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.state.unsubscribe(self.on_event)
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=DELIVERY_TIMEOUT_SECONDS + 1)
            self._thread = None

    def on_event(self, event: IssueEvent) -> None:
        hooks = [hook for hook in self.state.webhooks_for(event.repo) if hook.wants("issues")]
        if not hooks:
            return
        body = encode_json(event_payload(self.state, self.urls(), event))
        for hook in hooks:
            self._enqueue(hook, event, body)

    def deliveries(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._log]

    def clear(self) -> None:
        with self._lock:
            self._log.clear()

    def wait_until_idle(self, timeout: float = 5) -> bool:
        """Block until every queued delivery was attempted; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def _enqueue(self, hook: Webhook, event: IssueEvent, body: bytes) -> None:
        guid = str(uuid.uuid4())
        target_id, target_type = (
            (self.state.org(hook.org).id, "organization") if hook.org else (hook.repo_id, "repository")
        )
        headers = {
            "Content-Type": "application/json",
            "User-Agent": HOOKSHOT_USER_AGENT,
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": guid,
            "X-GitHub-Hook-ID": str(hook.id),
            "X-GitHub-Hook-Installation-Target-ID": str(target_id),
            "X-GitHub-Hook-Installation-Target-Type": target_type,
        }
        if hook.secret:
            headers["X-Hub-Signature"] = "sha1=" + hmac.new(hook.secret.encode(), body, hashlib.sha1).hexdigest()
            headers["X-Hub-Signature-256"] = signature_256(hook.secret, body)
        with self._lock:
            entry = {
                "id": self._next_id,
                "guid": guid,
                "hook_id": hook.id,
                "event": "issues",
                "action": event.action,
                "repository": event.repo.full_name,
                "issue_number": event.issue.number,
                "url": hook.url,
                "status": "pending",
                "status_code": None,
                "error": None,
                "delivered_at": None,
                "duration_ms": None,
            }
            self._next_id += 1
            self._log.append(entry)
            self._pending += 1
        self._queue.put((entry, hook.url, headers, body))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            entry, url, headers, body = item
            outcome = _post(url, headers, body)
            with self._lock:
                entry.update(outcome)
                self._pending -= 1
                self._lock.notify_all()


def _post(url: str, headers: dict, body: bytes) -> dict:
    started = time.monotonic()
    status_code, error = None, None
    try:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with _OPENER.open(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
            status_code = response.status
    except urllib.error.HTTPError as failure:
        status_code = failure.code
        failure.close()
    except (OSError, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    return {
        "status": "delivered" if status_code is not None and 200 <= status_code < 300 else "failed",
        "status_code": status_code,
        "error": error,
        "delivered_at": log_timestamp(),
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
