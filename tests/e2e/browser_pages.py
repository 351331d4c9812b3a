"""Pages of a real browser signed in as a member (its session cookie, no sign-in form), their errors
kept, and screenshots at desktop and phone width saved under var/screenshots/<folder>/ with their
paths printed."""

from pathlib import Path

from django.conf import settings
from django.test import Client

from companies.tenancy import SESSION_KEY

ROOT = Path(__file__).resolve().parent.parent.parent
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in_page(browser, live_server, membership, viewport=DESKTOP):
    """A page of a new context signed in as this membership, working in its company. `page.errors`
    collects the page's uncaught errors and the console's errors."""
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = str(membership.code)
    session.save()
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            page.errors.append(message.text)
            if message.type == "error" and "status of 400" not in message.text
            else None
        ),
    )
    return page


class Screenshots:
    """Full-page screenshots of one page at desktop width and at 390 px, numbered in order."""

    def __init__(self, folder):
        self.folder = ROOT / "var" / "screenshots" / folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def both_widths(self, page, name):
        size = page.viewport_size
        paths = []
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            path = self.folder / f"{name}-{viewport['width']}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot: {path}")
            paths.append(path)
        page.set_viewport_size(size)
        return paths
