"""The page tells the truth about state (issue 12, §4), in a real browser (Debian's Chromium driven by
Playwright) against the live server and the Pivotal emulator, with a real Celery worker where a sync
must run while the page watches: after a token is rejected nothing claims it syncs, the sync box
follows the switch without a reload and shows progress within a project, each empty state of the
dashboard names the real next step, a stale tab's Sync now says why it cannot, the running row of
Today's list ticks, and the timer's Start and Stop hand the keyboard focus to each other.
Screenshots at desktop and phone width go to var/screenshots/state/."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations import services
from integrations.providers.pivotal.emulator import DEMO_PEOPLE
from sync.models import SyncRun
from tests.e2e.browser_pages import Screenshots, signed_in_page
from tests.sync.conftest import run_sync
from tests.worker import running_worker
from tracking.models import TimeEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PERSON = {person.username: person for person in DEMO_PEOPLE}
MINE = reverse("integrations:mine")
DASHBOARD = reverse("dashboard")
# Every text the sync box of this provider shows, recorded as it changes (the box is swapped in place).
RECORD_THE_SYNC_BOX = """(provider) => {
    window.syncBoxTexts = [];
    window.drawnOnce = true;  // gone if the page reloads
    const record = () => {
        const box = document.getElementById("sync-" + provider);
        const text = box ? box.innerText : "";
        if (text && text !== window.syncBoxTexts[window.syncBoxTexts.length - 1]) window.syncBoxTexts.push(text);
    };
    new MutationObserver(record).observe(document.body, {childList: true, subtree: true, characterData: true});
    record();
}"""


@pytest.fixture
def shots():
    return Screenshots("state")


def open_page(browser, live_server, membership, path):
    page = signed_in_page(browser, live_server, membership)
    page.goto(live_server.url + path)
    return page


# --- Your Integration -------------------------------------------------------------------------


def test_after_a_token_is_rejected_nothing_claims_it_syncs_and_sync_now_does_not_lie(
    browser, live_server, emulator, link, pivotal_on, shots
):
    ana = link("ana")
    page = open_page(browser, live_server, pivotal_on["ana"], MINE)
    assert page.locator("#sync-now-pivotal").is_visible()  # this tab was opened while it synced
    emulator.state.revoke_token(PERSON["ana"].pivotal_id)
    assert run_sync(ana) == "token_rejected"
    runs = SyncRun.objects.count()

    with page.expect_navigation():  # the stale page is redrawn whole: the switch and the box agree
        page.click("#sync-now-pivotal")
    panel = page.inner_text("#personal-pivotal")
    shots.both_widths(page, "01-token-rejected")

    assert "rejected your token, so nothing syncs" in page.inner_text("main .messages")
    assert "Sync started" not in page.content() and SyncRun.objects.count() == runs
    assert "Active:" not in panel and "Stopped: Pivotal Tracker rejected your token" in panel
    assert page.locator("#personal-pivotal [data-state-badge]").inner_text() == "Token rejected"
    assert page.get_attribute("#switch-button-pivotal", "aria-checked") == "false"
    assert page.locator("#sync-now-pivotal").count() == 0 and "None: your token was rejected" in panel
    page.goto(live_server.url + DASHBOARD)
    assert "Pivotal Tracker rejected your token" in page.inner_text(".integration-banner")
    assert page.errors == []


def test_after_flipping_the_switch_the_sync_box_follows_without_a_reload(
    browser, live_server, emulator, pivotal_on, shots
):
    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url}):
        page = open_page(browser, live_server, pivotal_on["ana"], MINE)
        page.evaluate(RECORD_THE_SYNC_BOX, "pivotal")
        page.fill("#personal-pivotal input[name=token]", PERSON["ana"].api_token)

        page.click("#personal-pivotal button[role=switch]")
        page.wait_for_selector("#sync-pivotal .badge:has-text('Succeeded')", timeout=60_000)

    texts = page.evaluate("window.syncBoxTexts")
    shots.both_widths(page, "02-switched-on-and-synced")
    assert page.evaluate("window.drawnOnce === true"), "the page reloaded"
    assert any("Sync queued" in text or "Syncing" in text for text in texts), texts
    assert not any("Not yet" in text for text in texts), texts
    assert re.search(r"Tasks offered to you\s+8\b", texts[-1]), texts[-1]
    assert "Active: your Pivotal Tracker stories sync." in page.inner_text("#personal-pivotal .switch-state")
    assert page.errors == []


def test_the_progress_bar_moves_within_a_project(browser, live_server, emulator, pivotal_on, shots):
    # Four stories a page, each page slow: Ana's two projects take several polls each.
    emulator.faults.add("delay", path="/projects/*/stories", seconds=0.6, count=100)
    with running_worker(extra_env={"PIVOTAL_API_URL": emulator.base_url, "PIVOTAL_PAGE_SIZE": "4"}):
        page = open_page(browser, live_server, pivotal_on["ana"], MINE)
        page.evaluate(RECORD_THE_SYNC_BOX, "pivotal")
        page.fill("#personal-pivotal input[name=token]", PERSON["ana"].api_token)

        page.click("#personal-pivotal button[role=switch]")
        page.wait_for_selector("#sync-pivotal progress", timeout=60_000)
        shots.both_widths(page, "03-sync-progress")
        page.wait_for_selector("#sync-pivotal .badge:has-text('Succeeded')", timeout=60_000)

    seen = [
        int(value)
        for text in page.evaluate("window.syncBoxTexts")
        for value in re.findall(r"Syncing your stories… (\d+) %", text)
    ]
    between_projects = {0, 50, 100}  # what per-project steps alone would show for Ana's two projects
    assert seen == sorted(seen) and len(set(seen)) >= 3, seen
    assert set(seen) - between_projects, f"only per-project steps were shown: {seen}"
    assert page.errors == []


# --- The dashboard's empty state ------------------------------------------------------------------


def next_step(browser, live_server, membership, shots=None, name=""):
    page = open_page(browser, live_server, membership, DASHBOARD)
    box = page.locator("#task-options .next-step")
    step = box.get_attribute("data-next-step"), box.inner_text()
    if shots:
        shots.both_widths(page, name)
    assert page.errors == []
    page.context.close()
    return step


def test_each_empty_state_of_the_dashboard_names_the_real_next_step(
    browser, live_server, emulator, demo_members, shots
):
    olivia, ana, maya = demo_members["olivia"], demo_members["ana"], demo_members["maya"]
    # Nothing is on yet: the owner is sent to Company Integrations, a user is told who acts first.
    owners_step = next_step(browser, live_server, olivia, shots, "04-empty-nothing-on-owner")
    users_step = next_step(browser, live_server, ana)
    services.enable_company_integration(olivia.company, "pivotal", PERSON["olivia"].api_token, acting=olivia)
    # On for the company: Ana links hers; Maya, linked with nothing assigned, waits.
    to_link = next_step(browser, live_server, ana, shots, "05-empty-link-your-account")
    personal = services.save_user_token(maya, "pivotal", PERSON["maya"].api_token)
    services.enable_user_integration(personal, acting=maya)  # its first sync runs at once (eager)
    waiting = next_step(browser, live_server, maya, shots, "06-empty-linked-nothing-assigned")
    services.disable_user_integration(personal, acting=maya)
    switched_off = next_step(browser, live_server, maya)
    services.enable_user_integration(personal, acting=maya)
    emulator.state.revoke_token(PERSON["maya"].pivotal_id)
    run_sync(personal)
    rejected = next_step(browser, live_server, maya, shots, "07-empty-token-rejected")

    assert owners_step[0] == "company" and "Turn one on in Company Integrations" in owners_step[1]
    assert users_step[0] == "company" and "An owner or admin of Acme Corp turns one on first" in users_step[1]
    assert "Link your" not in owners_step[1] + users_step[1]
    assert to_link[0] == "link" and "Link your Pivotal Tracker account: paste your API token" in to_link[1]
    assert "GitHub" not in to_link[1]  # off for the company: nothing she can do about it
    assert waiting[0] == "wait" and "Your Pivotal Tracker integration is on" in waiting[1]
    assert "link your" not in waiting[1].lower()
    assert "Your Pivotal Tracker integration is switched off: switch it ON in Your Integration" in switched_off[1]
    assert "Pivotal Tracker rejected your token: paste a new API token in Your Integration" in rejected[1]


# --- A stale tab ----------------------------------------------------------------------------------


def test_a_stale_tabs_sync_now_while_the_company_is_off_says_so(browser, live_server, link, pivotal_on, shots):
    link("ana")
    page = open_page(browser, live_server, pivotal_on["ana"], MINE)
    services.disable_company_integration(
        services.company_integration_for(pivotal_on["ana"].company, "pivotal"), acting=pivotal_on["olivia"]
    )  # meanwhile, in the owner's tab

    with page.expect_navigation():
        page.click("#sync-now-pivotal")
    said = page.inner_text("main .messages")
    shots.both_widths(page, "08-stale-sync-now-company-off")

    assert "Pivotal Tracker is turned off for Acme Corp, so nothing syncs until an owner or admin turns it on" in said
    assert "switch your integration on first" not in page.content().lower() and "Sync started" not in page.content()
    assert SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).count() == 0
    assert page.locator("#sync-now-pivotal").count() == 0 and page.is_disabled("#switch-button-pivotal")
    assert "On, but waiting for the company integration" in page.inner_text("#personal-pivotal .switch-state")
    assert page.errors == []


# --- The timer ---------------------------------------------------------------------------------------


def test_the_running_row_of_todays_list_ticks(browser, live_server, member, shots):
    TimeEntry.objects.create(
        company=member.company,
        membership=member,
        source=TimeEntry.Source.WEB,
        started_at=timezone.now() - timedelta(minutes=3),
    )
    page = open_page(browser, live_server, member, DASHBOARD)
    row = page.locator("#today tr:has(.badge:has-text('running')) [data-timer-started]")
    first = row.inner_text()
    page.wait_for_timeout(2100)

    second = row.inner_text()
    shots.both_widths(page, "09-running-row-ticks")
    assert re.fullmatch(r"0:0[34]:\d\d", first) and re.fullmatch(r"0:0[34]:\d\d", second), (first, second)
    assert second > first
    assert page.errors == []


def test_start_hands_the_focus_to_stop_and_stop_back_to_start(browser, live_server, member):
    page = open_page(browser, live_server, member, DASHBOARD)
    focused = "() => document.activeElement.id"
    has_focus = "(id) => document.activeElement.id === id"

    page.focus("#timer-start-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#timer .badge:has-text('Tracking')")
    page.wait_for_function(has_focus, arg="timer-stop-button", timeout=5_000)
    after_start = page.evaluate(focused)
    page.keyboard.press("Enter")  # Stop, where the focus now is
    page.wait_for_selector("#timer .badge:has-text('Tracking')", state="detached")
    page.wait_for_function(has_focus, arg="timer-start-button", timeout=5_000)

    assert after_start == "timer-stop-button" and page.evaluate(focused) == "timer-start-button"
    assert TimeEntry.objects.filter(membership=member, ended_at__isnull=False).count() == 1
    assert page.errors == []
