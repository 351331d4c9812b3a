"""The whole journey in a real browser (Debian's Chromium driven by Playwright) against a live server,
a real Celery worker and the Pivotal emulator. A screenshot of each step is saved under
var/screenshots/journey/ and its path printed, so CI's log says where to look."""

import re
import time
from pathlib import Path

import pytest
from django.core import mail

from integrations.providers.github.emulator.demo_data import DEMO_USERS_BY_LOGIN
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from tests.worker import running_worker

PERSON = {person.username: person for person in DEMO_PEOPLE}
GITHUB = DEMO_USERS_BY_LOGIN
SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots" / "journey"
PASSWORD = "a-long-journey-passphrase"

pytestmark = [pytest.mark.worker, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Journey:
    def __init__(self, browser, base_url):
        self.browser, self.base_url, self.step = browser, base_url, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def person(self):
        page = self.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        return page

    def shot(self, page, name):
        self.step += 1
        path = SHOTS / f"{self.step:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        assert page.errors == [], page.errors

    def sign_in(self, page, email):
        page.goto(f"{self.base_url}/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

    def open_company_menu(self, page, item):
        page.click("summary.company-logo")
        page.click(f".company-menu a:has-text('{item}')")


def invitation_link(email):
    message = next(message for message in reversed(mail.outbox) if message.to == [email])
    return re.search(r"http://\S+/invitations/\S+/", message.body).group(0)


def accept(journey, link, name, base_url):
    page = journey.person()
    page.goto(base_url + link[link.index("/invitations/") :])
    page.fill("input[name=full_name]", name)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("button[type=submit]")
    return page


def wait_for_tasks(page, base_url, selector, what):
    deadline = time.monotonic() + 60
    while True:
        page.goto(f"{base_url}/")
        if page.locator(selector).count():
            return
        assert time.monotonic() < deadline, f"{what} never became tasks"
        time.sleep(1)


def test_the_whole_journey_from_sign_up_to_the_timesheet(browser, live_server, emulator, github, settings):
    settings.SITE_URL = live_server.url
    journey = Journey(browser, live_server.url)
    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url, "GITHUB_API_URL": github.base_url}):
        # The owner signs up.
        owner = journey.person()
        owner.goto(f"{live_server.url}/accounts/signup/")
        owner.fill("input[name=company_name]", "Journey Inc")
        owner.select_option("select[name=time_zone]", "Europe/Madrid")
        owner.fill("input[name=full_name]", "Olivia Owner")
        owner.fill("input[name=email]", "owner@acme.example")
        owner.click("button[type=submit]")
        owner.wait_for_selector("text=Check your email")
        link = re.search(r"http://\S+(/accounts/signup/\S+/)", mail.outbox[-1].body).group(1)
        owner.goto(live_server.url + link)
        owner.fill("input[name=password1]", PASSWORD)
        owner.fill("input[name=password2]", PASSWORD)
        owner.click("button[type=submit]")
        owner.wait_for_selector("text=Journey Inc is ready")
        journey.shot(owner, "signed-up")

        # Company menu → Company Integrations → Pivotal Tracker → token → Turn it On → confirmation.
        journey.open_company_menu(owner, "Company Integrations")
        owner.wait_for_selector("text=Pivotal Tracker")
        journey.shot(owner, "company-integrations")
        owner.click("#integration-pivotal a.button:has-text('Set up')")
        owner.fill("input[name=token]", PERSON["olivia"].api_token)
        journey.shot(owner, "pivotal-token-pasted")
        owner.click("button:has-text('Turn it On')")
        owner.wait_for_selector("text=Pivotal Tracker is now")
        assert "Olivia Owner" in owner.content()
        journey.shot(owner, "confirmation")

        # The owner invites a user and a manager, and gives the user to the manager.
        owner.goto(f"{live_server.url}/members/")
        for email, role in (("ana@acme.example", "user"), ("manager@acme.example", "manager")):
            owner.fill("input[name=email]", email)
            owner.select_option("select[name=role]", role)
            owner.click("button:has-text('Send invitation')")
            owner.wait_for_selector(f"text=Invitation sent to {email}")
        journey.shot(owner, "invitations-sent")

        ana = accept(journey, invitation_link("ana@acme.example"), "Ana Ruiz", live_server.url)
        ana.wait_for_selector("text=You joined Journey Inc")
        journey.shot(ana, "user-joined")
        maya = accept(journey, invitation_link("manager@acme.example"), "Maya Manager", live_server.url)
        maya.wait_for_selector("text=You joined Journey Inc")
        owner.goto(f"{live_server.url}/members/")
        ana_row = owner.locator("tr", has_text="ana@acme.example")
        ana_row.locator("input[name=managers]").check()
        ana_row.locator("button:has-text('Save')").click()
        owner.wait_for_selector("text=Managers of Ana Ruiz updated")

        # The user first pastes a token of someone else's account (Sam Stranger was signed in to
        # Pivotal in her browser) and flips the switch: nothing is saved, a page names both accounts.
        journey.open_company_menu(ana, "Your Integration")
        ana.fill("#personal-pivotal input[name=token]", PERSON["sam"].api_token)
        ana.click("#personal-pivotal button[role=switch]")
        ana.wait_for_selector("text=This token belongs to Sam Stranger")
        assert "not to you, Ana Ruiz, ana@acme.example" in ana.inner_text("#confirm-link")
        assert PERSON["sam"].api_token not in ana.content() + ana.url
        journey.shot(ana, "mismatch-confirmation")
        ana.click("button:has-text('Cancel: do not save it')")
        ana.wait_for_selector("text=Nothing was saved")

        # Then she pastes her own token and flips the switch ON: one step; the sync box follows
        # without a reload, and her stories appear.
        ana.fill("#personal-pivotal input[name=token]", PERSON["ana"].api_token)
        journey.shot(ana, "token-pasted-beside-the-switch")
        ana.click("#personal-pivotal button[role=switch]")
        ana.wait_for_selector("#personal-pivotal button[role=switch][aria-checked=true]")
        assert ana.locator("text=Nothing was saved").count() == 0  # the old message went with the old state
        ana.wait_for_selector("#personal-pivotal .switch-state:has-text('Active: your Pivotal Tracker stories sync')")
        ana.wait_for_selector("#sync-pivotal .badge:has-text('Succeeded')", timeout=60_000)
        journey.shot(ana, "switched-on")
        wait_for_tasks(ana, live_server.url, ".task-option input[type=radio][value]:not([value=''])", "Ana's stories")
        journey.shot(ana, "tasks-appeared")

        # She starts and stops the web timer.
        ana.locator(".task-option input[type=radio]").first.check()
        ana.click("#timer button:has-text('Start')")
        ana.wait_for_selector("text=Tracking")
        time.sleep(2)
        journey.shot(ana, "timer-running")
        ana.click("#timer button:has-text('Stop')")
        ana.wait_for_selector("#today td")
        journey.shot(ana, "timer-stopped")

        # The manager sees her time on the timesheet, and the entry behind it.
        maya.goto(f"{live_server.url}/reports/")
        ana_line = maya.locator("tr", has_text="Ana Ruiz")
        ana_line.wait_for()
        journey.shot(maya, "manager-timesheet")
        ana_line.locator("a").first.click()
        maya.wait_for_selector("td:has-text('Web timer')")
        assert "Ana Ruiz" in maya.content()
        journey.shot(maya, "manager-entries")

        # GitHub Issues too: the owner turns it on, Ana links her GitHub account, her issues appear and
        # she tracks time on one.
        journey.open_company_menu(owner, "Company Integrations")
        owner.click("#integration-github a.button:has-text('Set up')")
        owner.fill("input[name=token]", GITHUB["olivia"].token)
        journey.shot(owner, "github-token-pasted")
        owner.click("button:has-text('Turn it On')")
        owner.wait_for_selector("text=GitHub Issues is now")
        assert "Olivia Owner" in owner.content() and "acme-corp/web-app" in owner.content()
        journey.shot(owner, "github-confirmation")
        journey.open_company_menu(ana, "Your Integration")
        ana.fill("#personal-github input[name=token]", GITHUB["ana"].token)
        ana.click("#personal-github button[role=switch]")
        ana.wait_for_selector("#personal-github button[role=switch][aria-checked=true]")
        ana.wait_for_selector(
            "#personal-github .panel-notice:has-text('Switched ON with the GitHub Issues account Ana Ruiz')"
        )
        journey.shot(ana, "github-switched-on")
        wait_for_tasks(ana, live_server.url, "fieldset:has(legend:has-text('acme-corp/')) .task-option", "Ana's issues")
        journey.shot(ana, "github-tasks-appeared")
        ana.locator("fieldset:has(legend:has-text('acme-corp/')) .task-option input[type=radio]").first.check()
        ana.click("#timer button:has-text('Start')")
        ana.wait_for_selector("text=open the issue")
        time.sleep(1)
        ana.click("#timer button:has-text('Stop')")
        ana.wait_for_selector("#today td")
        journey.shot(ana, "github-time-tracked")

        # The owner turns the company integration off: the user's switch is gated.
        owner.goto(f"{live_server.url}/integrations/company/pivotal/")
        owner.click("summary:has-text('Turn it Off')")
        owner.click("button:has-text('Turn it off for everyone')")
        owner.wait_for_selector("text=is off for Journey Inc")
        journey.shot(owner, "company-off")
        ana.goto(f"{live_server.url}/integrations/mine/")
        assert ana.locator("#personal-pivotal button[role=switch]").is_disabled()
        assert "An owner or admin must turn it on" in ana.content()
        journey.shot(ana, "user-gated")
