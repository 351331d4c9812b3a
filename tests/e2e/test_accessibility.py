"""Usable on a phone, by keyboard and by screen reader, in a real browser (Debian's Chromium driven by
Playwright) against a live server and the Pivotal and GitHub emulators:

- axe-core (the npm package pinned in package-lock.json, injected into each page) finds no serious or
  critical violation on any page of the app, for every role, at desktop and at phone width;
- no page scrolls sideways 390 px wide;
- the seven steps of the README's Pivotal walk-through work by keyboard alone (Tab, Enter, Space), the
  focus always visible and never dropped to <body> when the switch answers in place;
- without JavaScript, the API docs link their schema and a queued sync says to reload;
- the task picker's empty state names each person's real next step (with Django's test client).

The pages come from the URL names: a GET page that is neither visited here nor listed as not a page
fails the test, so a new page cannot escape the check. Screenshots of the pages this work changed, at
desktop and phone width, are saved under var/screenshots/a11y/ and their paths printed."""

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from companies.models import Membership
from companies.services import invite_member, request_signup, set_managers
from companies.tenancy import SESSION_KEY
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from tests.e2e.a11y import DESKTOP, PHONE, SHOTS, axe_problems, focused, screenshot, sideways_overflow, with_axe
from tracking.models import TimeEntry
from tracking.services.time_entries import delete_entry

PERSON = {person.username: person for person in DEMO_PEOPLE}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py
ROLES = {"owner": "olivia", "admin": "adam", "manager": "maya", "user": "ana"}


def browser_test(test):
    """Drives Chromium against the live server (whose requests see the test's rows: a transaction
    per test would hide them). The empty-state tests at the end use Django's test client."""
    return pytest.mark.browser(pytest.mark.django_db(transaction=True)(test))


# Every page, by URL name: the roles that reach it ("anonymous": signed out) and, for a URL with
# arguments, a function of the test's world giving each set of arguments, with the status the page
# answers when it is not 200 (an unusable link answers 410).
EVERYONE = tuple(ROLES)
ADMINS = ("owner", "admin")
ANONYMOUS = ("anonymous",)
PAGES = {
    "dashboard": (EVERYONE, None),
    "reports:timesheet": (EVERYONE, None),
    "reports:projects": (EVERYONE, None),
    "reports:entries": (EVERYONE, None),
    "companies:members": (("owner", "admin", "manager"), None),
    "companies:audit-log": (ADMINS, None),
    "companies:settings": (ADMINS, None),
    "companies:preferences": (EVERYONE, None),
    "api-tokens": (EVERYONE, None),
    "integrations:company-list": (ADMINS, None),
    "integrations:company-detail": (ADMINS, lambda world, role: [("pivotal",), ("github",)]),
    "integrations:company-enabled": (ADMINS, lambda world, role: [("pivotal",)]),
    "integrations:mine": (EVERYONE, None),
    "edit-entry": (EVERYONE, lambda world, role: [(world[ROLES[role]].own_entry.code,)]),
    "login": (ANONYMOUS, None),
    "signup": (ANONYMOUS, None),
    "signup-confirm": (ANONYMOUS, lambda world, role: [(world["signup_token"],), ("no-such-token", 410)]),
    "accept-invitation": (ANONYMOUS, lambda world, role: [(world["invitation_token"],), ("no-such-token", 410)]),
    "password_reset": (ANONYMOUS, None),
    "password_reset_done": (ANONYMOUS, None),
    "password_reset_confirm": (ANONYMOUS, lambda world, role: [world["reset_link"], ("MQ", "no-such-token")]),
    "password_reset_complete": (ANONYMOUS, None),
    "api:docs": (ANONYMOUS, None),
}
# Parts of pages axe does not check: Swagger UI, drawn by its own script, nests buttons in its
# operation headers and colours its method badges below 4.5:1 (swagger-api/swagger-ui#9576 and #7350,
# open upstream). The page's own parts (its no-JavaScript fallback) are checked.
AXE_EXCLUDE = {"api:docs": ["#swagger-ui"]}

# The pages this work changed, photographed at desktop and phone width during the axe pass.
SHOTS_OF = {
    ("owner", "dashboard"),
    ("user", "dashboard"),
    ("owner", "companies:members"),
    ("owner", "companies:audit-log"),
    ("owner", "integrations:company-list"),
    ("owner", "integrations:company-detail pivotal"),
    ("user", "integrations:mine"),
    ("user", "reports:timesheet"),
    ("anonymous", "login"),
}

# Pages reached only by sending a form: (label, who, where, what they do there).
FLOWS = [
    (
        "integrations:mine-confirm",
        "ben",
        "integrations:mine",
        lambda page: (
            page.fill("#personal-pivotal input[name=token]", PERSON["sam"].api_token),
            page.click("#personal-pivotal button[role=switch]"),
            page.wait_for_selector("#confirm-link"),
        ),
    ),
    (
        "integrations:company-confirm",
        "adam",
        "integrations:company-detail",
        lambda page: (
            page.fill(".replace-company-token input[name=token]", PERSON["sam"].api_token),
            page.click("button:has-text('Replace the token')"),
            page.wait_for_selector("#confirm-link"),
        ),
    ),
    (
        "companies:invite (refused)",
        "olivia",
        "companies:members",
        lambda page: (
            page.fill("input[name=email]", "ana@acme.example"),
            page.click("button:has-text('Send invitation')"),
            page.wait_for_selector("text=already a member"),
        ),
    ),
]
FLOW_ARGS = {"integrations:company-detail": ["pivotal"]}

# URL names that are not pages of their own: POST-only actions, fragments htmx swaps into a page,
# files, the JSON API, and the pages answered to a form (visited through FLOWS).
NOT_PAGES = {
    "logout",
    "timer-tasks",
    "timer-start",
    "timer-stop",
    "manual-entry",
    "delete-entry",
    "restore-entry",
    "revoke-api-token",
    "companies:invite",
    "companies:change-role",
    "companies:set-managers",
    "companies:deactivate",
    "companies:reactivate",
    "companies:revoke-invitation",
    "companies:logo",
    "companies:switch",
    "integrations:company-confirm",
    "integrations:company-confirm-link",
    "integrations:company-confirm-cancel",
    "integrations:company-enable",
    "integrations:company-token",
    "integrations:company-disable",
    "integrations:company-remove-token",
    "integrations:company-scope",
    "integrations:company-settings",
    "integrations:company-webhook-rotate",
    "integrations:company-webhook-secret",
    "integrations:mine-confirm",
    "integrations:mine-confirm-link",
    "integrations:mine-confirm-cancel",
    "integrations:mine-token",
    "integrations:mine-switch",
    "integrations:mine-remove-token",
    "sync:sync-now",
    "sync:sync-status",
    "sync:webhook",
    "reports:timesheet-csv",
    "reports:projects-csv",
    "reports:entries-csv",
    "api:me",
    "api:tasks",
    "api:timer",
    "api:timer-start",
    "api:timer-stop",
    "api:entries",
    "api:upload",
    "api:entry",
    "api:entry-restore",
    "api:schema",
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


# --- The browser and the company -------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """One Chromium (Debian's package) for the whole module; each person gets a context of their own.
    Playwright's sync API keeps an event loop on this thread meanwhile, which Django would take for
    async code calling the database: it is not (the loop only drives the browser)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (.ci/run does it)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
    if allowed is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE")
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


@pytest.fixture
def acme(link, pivotal_on, github, emulator, company):
    """Acme with a person of every role: Pivotal on, Ana's and Olivia's stories synced, time tracked
    (today, earlier, by hand and deleted), Ana managed by Maya, an invitation pending."""
    company.allow_manual_time = True
    company.save()
    members = pivotal_on
    link("ana")  # its sync runs at once (eager Celery tasks in the tests)
    set_managers(members["ana"], [members["maya"]], acting=members["olivia"])
    _, invitation_token = invite_member(
        company, email="newcomer@acme.example", role=Membership.Role.USER, invited_by=members["olivia"]
    )
    now = timezone.now().replace(microsecond=0)
    for person in ("olivia", "adam", "maya", "ana"):
        membership = members[person]
        task = membership.tasks.first()
        for days, hours in ((0, 2), (1, 3), (3, 1)):
            start = now - timedelta(days=days, hours=hours + 1)
            TimeEntry.objects.create(
                company=company,
                membership=membership,
                task=task,
                started_at=start,
                ended_at=start + timedelta(hours=hours),
                source=TimeEntry.Source.WEB,
            )
        manual = TimeEntry.objects.create(
            company=company,
            membership=membership,
            started_at=now - timedelta(hours=9),
            ended_at=now - timedelta(hours=8, minutes=30),
            source=TimeEntry.Source.MANUAL,
            note="Planning with a rather long note that goes on and on",
        )
        gone = TimeEntry.objects.create(
            company=company,
            membership=membership,
            started_at=now - timedelta(hours=12),
            ended_at=now - timedelta(hours=11),
            source=TimeEntry.Source.MANUAL,
        )
        delete_entry(gone, acting=membership)
        membership.own_entry = manual
    request_signup(
        {
            "company_name": "Initech",
            "slug": "",
            "time_zone": "UTC",
            "full_name": "Ivy Initech",
            "email": "ivy@initech.example",
        }
    )
    reset = members["ben"].user
    return members | {
        "invitation_token": invitation_token,
        "signup_token": re.search(r"/accounts/signup/([^/\s]+)/", mail.outbox[-1].body).group(1),
        "reset_link": (urlsafe_base64_encode(force_bytes(reset.pk)), default_token_generator.make_token(reset)),
    }


def signed_in(browser, live_server, membership, viewport, **options):
    """A browser context signed in as this membership (its session cookie), working in its company."""
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = str(membership.code)
    session.save()
    context = with_axe(browser.new_context(viewport=viewport, **options))
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    return context


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def pages_for(role, world):
    """(URL name, label, path, expected status) of every page this role reaches."""
    for name, (roles, arguments) in PAGES.items():
        if role not in roles:
            continue
        for args in arguments(world, role) if arguments else [()]:
            status = args[-1] if args and isinstance(args[-1], int) else 200
            args = args[:-1] if status != 200 else args
            yield name, " ".join([name, *(str(arg)[:12] for arg in args)]), reverse(name, args=args), status


def visit_every_page(browser, live_server, members, viewport, check, *, shots=False):
    """Opens every page for every role (and signed out) at this size; `check(page, url_name)` answers a
    list of problems. Answers "role page: problem" lines. With `shots`, photographs the SHOTS_OF pages."""
    problems = []
    for role in ("anonymous", *ROLES):
        if role == "anonymous":
            context = with_axe(browser.new_context(viewport=viewport))
        else:
            context = signed_in(browser, live_server, members[ROLES[role]], viewport)
        page = new_page(context)
        for name, label, path, status in pages_for(role, members):
            response = page.goto(live_server.url + path)
            assert response.status == status, f"{role} {label}: {response.status} at {path}"
            problems += [f"{role} {label}: {problem}" for problem in check(page, name)]
            if shots and (role, label) in SHOTS_OF:
                screenshot(page, f"{viewport['width']}-{role}-{re.sub(r'[^a-z]+', '-', label)}")
        assert page.errors == [], page.errors
        context.close()
    for label, person, start, act in FLOWS:
        context = signed_in(browser, live_server, members[person], viewport)
        page = new_page(context)
        page.goto(live_server.url + reverse(start, args=FLOW_ARGS.get(start, ())))
        act(page)
        problems += [f"{person} {label}: {problem}" for problem in check(page, label)]
        if shots:
            screenshot(page, f"{viewport['width']}-{person}-{re.sub(r'[^a-z]+', '-', label).strip('-')}")
        assert page.errors == [], page.errors
        context.close()
    return problems


# --- The tests -------------------------------------------------------------------------------------


def test_every_page_is_visited_or_named_as_not_a_page():
    names = set(url_names())

    assert names - set(PAGES) - NOT_PAGES == set(), "a new page: add it to PAGES (or to NOT_PAGES)"
    assert set(PAGES) | NOT_PAGES <= names, "PAGES or NOT_PAGES names a URL that no longer exists"


@browser_test
def test_no_page_has_serious_or_critical_axe_violations_for_any_role(browser, live_server, acme):
    def check(page, name):
        return axe_problems(page, exclude=AXE_EXCLUDE.get(name, ()))

    problems = []
    for viewport in (DESKTOP, PHONE):
        problems += [
            f"{viewport['width']} px · {line}"
            for line in visit_every_page(browser, live_server, acme, viewport, check, shots=True)
        ]

    assert problems == [], "axe-core found:\n" + "\n".join(problems)


@browser_test
def test_no_page_scrolls_sideways_on_a_phone_for_any_role(browser, live_server, acme):
    def overflow(page, name):
        found, problems = sideways_overflow(page), []
        if found["extra"]:
            problems.append(f"{found['extra']} px too wide: {', '.join(found['culprits']) or 'no single culprit'}")
        if found["clipped"]:
            problems.append(f"not a table, yet scrolls inside its card: {', '.join(found['clipped'])}")
        return problems

    problems = visit_every_page(browser, live_server, acme, PHONE, overflow)

    assert problems == [], "pages that scroll sideways at 390 px:\n" + "\n".join(problems)


# --- By keyboard alone -------------------------------------------------------------------------


def tab_to(page, wanted, what, *, limit=80):
    """Presses Tab until the focused element matches `wanted` (a function of `focused(page)`), checking
    at every stop that the focus is on an element (never <body>) and visibly marked."""
    for _ in range(limit):
        now = focused(page)
        if now["tag"] != "body" and wanted(now):
            assert now["visible"], f"the focus on {what} is not visible: {now}"
            return now
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["tag"] != "body", f"Tab dropped the focus to <body> on the way to {what}"
        assert now["visible"], f"no visible focus on {now} on the way to {what}"
    raise AssertionError(f"{what} never took the focus within {limit} Tabs")


def keyboard_sign_in(browser, live_server, email, viewport):
    page = new_page(browser.new_context(viewport=viewport))
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, lambda f: f["name"] == "username", "the email field")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["name"] == "password", "the password field")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def open_company_menu_item(page, label):
    """Tab from the top of a page: the skip link first, then the company menu, opened with Space."""
    skip = tab_to(page, lambda f: True, "the first focusable element")
    assert skip["href"] == "#main" and skip["text"] == "Skip to the content", f"the first Tab stop is {skip}"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('summary.company-logo')"), focused(page)
    page.keyboard.press("Space")
    assert page.locator("#company-menu").evaluate("menu => menu.open")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == label, f"{label} in the company menu")
    page.keyboard.press("Enter")


@browser_test
def test_the_seven_steps_work_by_keyboard_alone(browser, live_server, demo_members, emulator):
    # 1. The owner signs in; before any integration is on, the dashboard names her next step.
    owner = keyboard_sign_in(browser, live_server, "owner@acme.example", DESKTOP)
    assert owner.locator("[data-next-step=company]").is_visible()
    assert "Turn one on in Company Integrations" in owner.inner_text("#task-options")
    # 1–2. Company menu → Company Integrations; Pivotal Tracker → Set up.
    open_company_menu_item(owner, "Company Integrations")
    owner.wait_for_url("**/integrations/company/")
    tab_to(owner, lambda f: f["href"] == "/integrations/company/pivotal/", "Set up Pivotal Tracker")
    owner.keyboard.press("Enter")
    owner.wait_for_url("**/integrations/company/pivotal/")
    # 3–5. The token, then Turn it On (Space on the button): the confirmation names the account.
    tab_to(owner, lambda f: f["name"] == "token", "the API token field")
    owner.keyboard.type(PERSON["olivia"].api_token)
    tab_to(owner, lambda f: f["tag"] == "button" and f["text"] == "Turn it On", "Turn it On")
    owner.keyboard.press("Space")
    owner.wait_for_selector("text=Pivotal Tracker is now")
    assert "Olivia Owner" in owner.content()
    screenshot(owner, "keyboard-1280-company-enabled")

    # 6. Ana, on a phone: her dashboard says to link her account; company menu → Your Integration.
    ana = keyboard_sign_in(browser, live_server, "ana@acme.example", PHONE)
    assert ana.locator("[data-next-step=link]").is_visible()
    assert "Link your Pivotal Tracker account" in ana.inner_text("#task-options")
    open_company_menu_item(ana, "Your Integration")
    ana.wait_for_url("**/integrations/mine/")
    # The skip link jumps over the menus to the page's content.
    tab_to(ana, lambda f: f["href"] == "#main", "the skip link")
    ana.keyboard.press("Enter")
    assert ana.evaluate("document.activeElement.id") == "main"
    # 7. Paste her token, then Space on the switch: ON, and the focus stays on the new switch.
    tab_to(ana, lambda f: f["name"] == "token" and f["panel"] == "personal-pivotal", "Ana's Pivotal token field")
    ana.keyboard.type(PERSON["ana"].api_token)
    tab_to(ana, lambda f: f["id"] == "switch-button-pivotal", "the Pivotal switch")
    ana.keyboard.press("Space")
    ana.wait_for_selector("#personal-pivotal button[role=switch][aria-checked=true]")
    for _ in range(10):  # meanwhile the sync box below refreshes itself
        now = focused(ana)
        assert now.get("id") == "switch-button-pivotal" and now["visible"], f"after the switch the focus is on {now}"
        ana.wait_for_timeout(150)
    screenshot(ana, "keyboard-390-switched-on")

    # On a phone the left menu is folded behind "Menu", which the keyboard opens.
    ana.goto(f"{live_server.url}/")
    assert not ana.locator(".left-menu").is_visible()
    tab_to(ana, lambda f: f["tag"] == "summary" and f["text"].endswith("Menu"), "Menu")
    ana.keyboard.press("Enter")
    assert ana.locator(".left-menu a:has-text('Reports')").is_visible()
    screenshot(ana, "keyboard-390-menu-open")
    tab_to(ana, lambda f: f["text"] == "Reports", "Reports in the left menu")
    ana.keyboard.press("Enter")
    ana.wait_for_url("**/reports/")

    # Her stories are tasks now; Start swaps the timer card in place, and the focus stays in it.
    ana.goto(f"{live_server.url}/")
    assert ana.locator("[data-next-step]").count() == 0
    tab_to(ana, lambda f: f["tag"] == "button" and f["text"] == "Start", "Start")
    ana.keyboard.press("Enter")
    ana.wait_for_selector("#timer .badge:has-text('Tracking')")
    now = focused(ana)
    assert now["tag"] != "body" and now["panel"] == "timer" and now["visible"], f"after Start the focus is on {now}"
    assert ana.errors == [] and owner.errors == []


# --- Without JavaScript --------------------------------------------------------------------------


@browser_test
def test_without_javascript_the_api_docs_link_their_schema(browser, live_server):
    for viewport in (DESKTOP, PHONE):
        page = new_page(browser.new_context(viewport=viewport, java_script_enabled=False))
        page.goto(f"{live_server.url}/api/v1/docs/")
        link = page.locator(".api-docs-fallback a").first  # (Playwright's text= engine skips <noscript>)
        assert "This interactive reference needs JavaScript" in page.inner_text("body")
        assert link.is_visible() and link.get_attribute("href") == "/api/v1/schema/"
        schema = page.request.get(f"{live_server.url}/api/v1/schema/")
        assert schema.ok and "openapi:" in schema.text()
        screenshot(page, f"nojs-{viewport['width']}-api-docs")
        page.context.close()


@browser_test
def test_without_javascript_a_queued_sync_says_to_reload(browser, live_server, link, pivotal_on):
    from sync.models import SyncClaim

    ana = link("ana")
    SyncClaim.objects.update_or_create(
        user_integration=ana, defaults={"state": SyncClaim.State.QUEUED, "state_at": timezone.now()}
    )
    context = signed_in(browser, live_server, pivotal_on["ana"], PHONE, java_script_enabled=False)
    page = new_page(context)
    page.goto(f"{live_server.url}/integrations/mine/")

    box = page.inner_text("#sync-pivotal")  # (Playwright's text= engine skips <noscript>)
    assert "Sync queued" in box and "Reload the page to see when it starts" in box
    screenshot(page, "nojs-390-sync-queued")
    context.close()


# --- The task picker's empty state names the real next step -------------------------------------
# (Django's test client, no browser: in a test transaction no sync runs, so nobody has tasks.)


def next_step(client):
    html = client.get(reverse("dashboard")).content.decode()
    return re.search(r'<div class="next-step".*?</div>', html, re.S).group(0)


@pytest.mark.django_db
def test_with_no_integration_on_an_admin_is_told_to_turn_one_on(client_for, demo_members):
    text = next_step(client_for(demo_members["olivia"]))

    assert 'data-next-step="company"' in text and "Turn one on in" in text
    assert reverse("integrations:company-list") in text and "Link your" not in text


@pytest.mark.django_db
def test_with_no_integration_on_a_user_is_told_an_admin_turns_one_on_first(client_for, demo_members):
    text = next_step(client_for(demo_members["ana"]))

    assert "An owner or admin of Acme Corp turns one on first" in text
    assert "Link your" not in text and reverse("integrations:company-list") not in text


@pytest.mark.django_db
def test_once_the_company_is_on_a_user_is_told_to_link_her_account(client_for, pivotal_on):
    text = next_step(client_for(pivotal_on["ana"]))

    assert "Link your Pivotal Tracker account: paste your API token in" in text
    assert "GitHub" not in text  # off for the company: nothing she can do about it


@pytest.mark.django_db
def test_a_linked_user_is_not_told_to_link_but_to_wait_for_what_is_assigned(client_for, link, pivotal_on):
    link("ana")

    text = next_step(client_for(pivotal_on["ana"]))

    assert 'data-next-step="wait"' in text and "Your Pivotal Tracker integration is on" in text
    assert "Link your" not in text and "link your" not in text


@pytest.mark.django_db
def test_a_rejected_or_switched_off_integration_names_its_own_next_step(client_for, link, pivotal_on):
    from integrations.models import Status
    from integrations.services import disable_user_integration

    personal = link("ana")
    disable_user_integration(personal, acting=pivotal_on["ana"])
    assert "is switched off: switch it ON in" in next_step(client_for(pivotal_on["ana"]))

    type(personal).objects.filter(pk=personal.pk).update(status=Status.TOKEN_REJECTED)
    assert "Pivotal Tracker rejected your token: paste a new API token in" in next_step(client_for(pivotal_on["ana"]))
