"""Nothing is lost silently (issue 12, §3), in a real browser (Debian's Chromium driven by Playwright)
against the live server: a deleted entry comes back with Undo or from "Recently deleted", an entry is
edited on the web, the audit log shows both, turning the company integration off asks first and
members see why theirs paused, and reloading after creating a desktop app token creates no second
one. Screenshots at desktop and phone width go to var/screenshots/trust/."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import CompanyIntegration
from tests.e2e.browser_pages import Screenshots, signed_in_page
from tracking.models import AppToken, TimeEntry
from tracking.services.time_entries import delete_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DASHBOARD = reverse("dashboard")
# Zones between which one has its daytime now, whatever the hour: entries "earlier today" stay today.
DAYTIME_ZONES = ("UTC", "Asia/Tokyo", "America/New_York")


@pytest.fixture
def shots():
    return Screenshots("trust")


@pytest.fixture
def acme(company):
    """Acme allows time by hand (and so editing and deleting it), in a zone where it is daytime now."""
    company.allow_manual_time = True
    company.time_zone = next(zone for zone in DAYTIME_ZONES if 8 <= timezone.now().astimezone(ZoneInfo(zone)).hour < 20)
    company.save()
    return company


def earlier_today(membership, *, from_minutes_ago, to_minutes_ago, note=""):
    now = timezone.now().replace(second=0, microsecond=0)
    return TimeEntry.objects.create(
        company=membership.company,
        membership=membership,
        source=TimeEntry.Source.WEB,
        started_at=now - timedelta(minutes=from_minutes_ago),
        ended_at=now - timedelta(minutes=to_minutes_ago),
        note=note,
    )


def dashboard(browser, live_server, membership):
    page = signed_in_page(browser, live_server, membership)
    page.goto(live_server.url + DASHBOARD)
    return page


def today_total(page):
    return page.inner_text("#today h2")


# --- Deleting, undoing, restoring ----------------------------------------------------------------


def test_a_deleted_entry_comes_back_with_undo(browser, live_server, acme, member, shots):
    earlier_today(member, from_minutes_ago=120, to_minutes_ago=90)
    call = earlier_today(member, from_minutes_ago=50, to_minutes_ago=20, note="client call")
    page = dashboard(browser, live_server, member)
    before = today_total(page)

    page.locator(f"#entry-{call.code} button:has-text('Delete')").click()
    page.wait_for_selector("#today .message:has-text('Entry deleted.')")
    after_delete = today_total(page)
    gone_from_the_list = page.locator(f"#entry-{call.code}").count() == 0
    listed_as_deleted = page.locator(f"#recently-deleted #deleted-{call.code}").is_visible()
    shots.both_widths(page, "01-entry-deleted-with-undo")
    page.click("#today .message button:has-text('Undo')")
    page.wait_for_selector("#today .message:has-text('Entry restored.')")

    assert gone_from_the_list and listed_as_deleted and after_delete != before
    assert "client call" in page.inner_text(f"#entry-{call.code}") and today_total(page) == before
    assert not page.locator("#recently-deleted").is_visible()  # nothing deleted is left
    assert TimeEntry.objects.live().filter(pk=call.pk, note="client call").exists()
    assert page.errors == []


def test_an_entry_deleted_earlier_is_restored_from_recently_deleted(browser, live_server, acme, member, shots):
    call = earlier_today(member, from_minutes_ago=50, to_minutes_ago=20, note="client call")
    delete_entry(call, acting=member)  # yesterday's tab, say: its Undo is gone
    page = dashboard(browser, live_server, member)
    assert "Nothing tracked yet today." in page.inner_text("#today")
    deleted_row = page.locator(f"#recently-deleted #deleted-{call.code}")
    assert deleted_row.is_visible() and "client call" in deleted_row.inner_text()
    shots.both_widths(page, "02-recently-deleted")

    deleted_row.locator("button:has-text('Restore')").click()
    page.wait_for_selector(f"#today #entry-{call.code}")

    assert "Entry restored." in page.inner_text("#today") and not page.locator("#recently-deleted").is_visible()
    page.reload()
    assert "client call" in page.inner_text(f"#entry-{call.code}")
    assert page.errors == []


# --- Editing, and the audit log ------------------------------------------------------------------


def edit_in_the_browser(page, entry, *, minutes_later, note):
    """Opens the entry's Edit page from today's list, moves its end and changes its note, saves."""
    page.locator(f"#entry-{entry.code} a:has-text('Edit')").click()
    page.wait_for_selector("#edit-entry")
    zone = ZoneInfo(entry.company.time_zone)
    new_end = entry.ended_at + timedelta(minutes=minutes_later)
    page.fill("input[name=ended_at]", new_end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=note]", note)
    page.click("#edit-entry button:has-text('Save')")
    page.wait_for_url(f"**{DASHBOARD}")
    return new_end


def test_an_entry_is_edited_on_the_web_and_the_change_shows(browser, live_server, acme, member, shots):
    call = earlier_today(member, from_minutes_ago=50, to_minutes_ago=20, note="client call")
    page = dashboard(browser, live_server, member)
    before = today_total(page)
    page.locator(f"#entry-{call.code} a:has-text('Edit')").click()
    page.wait_for_selector("#edit-entry")
    shots.both_widths(page, "03-edit-an-entry")
    page.go_back()

    new_end = edit_in_the_browser(page, call, minutes_later=10, note="client call, and the follow-up")

    row = page.inner_text(f"#entry-{call.code}")
    assert "Entry updated." in page.inner_text("main") and "client call, and the follow-up" in row
    assert new_end.astimezone(ZoneInfo(acme.time_zone)).strftime("%H:%M") in row and today_total(page) != before
    call.refresh_from_db()
    assert call.ended_at == new_end and call.source == TimeEntry.Source.MANUAL  # edited times are manual time
    assert page.errors == []


def test_the_audit_log_shows_who_edited_and_who_deleted_time(browser, live_server, acme, member, owner, shots):
    call = earlier_today(member, from_minutes_ago=50, to_minutes_ago=20, note="client call")
    ana = dashboard(browser, live_server, member)
    edit_in_the_browser(ana, call, minutes_later=5, note="client call")
    ana.locator(f"#entry-{call.code} button:has-text('Delete')").click()
    ana.wait_for_selector("#today .message:has-text('Entry deleted.')")

    olivia = signed_in_page(browser, live_server, owner)
    olivia.goto(live_server.url + reverse("companies:audit-log"))
    log = olivia.locator("#audit-log tbody tr").all_inner_texts()
    shots.both_widths(olivia, "04-audit-log-of-time")

    changed = [row for row in log if "changed their time entry of" in row]
    deleted = [row for row in log if "deleted their time entry of" in row]
    assert len(changed) == 1 and len(deleted) == 1, log
    assert "Ana Ruiz" in changed[0] and "→" in changed[0] and "Ana Ruiz" in deleted[0]
    assert log.index(deleted[0]) < log.index(changed[0])  # newest first
    assert ana.errors == [] and olivia.errors == []


# --- Turning the company integration off ------------------------------------------------------


def test_turning_it_off_asks_first_naming_how_many_it_stops_and_members_see_why(
    browser, live_server, link, pivotal_on, shots
):
    link("ana")
    link("ben")  # with Olivia's own (on by default): three people sync
    owner = signed_in_page(browser, live_server, pivotal_on["olivia"])
    owner.goto(live_server.url + reverse("integrations:company-detail", args=["pivotal"]))
    confirm = owner.locator("button:has-text('Turn it off for everyone')")
    assert not confirm.is_visible()  # one click does not stop anyone

    owner.click("summary:has-text('Turn it Off')")
    asked = owner.inner_text(".turn-off")
    shots.both_widths(owner, "05-turn-it-off-asks-first")
    still_on = CompanyIntegration.objects.get(provider="pivotal").is_enabled
    confirm.click()
    owner.wait_for_selector(".message:has-text('Pivotal Tracker is off for Acme Corp')")

    assert still_on and "This stops the sync of 3 people of Acme Corp" in asked
    assert owner.locator(".message-success").count() == 0  # stopping everyone is not a success-green moment
    assert not CompanyIntegration.objects.get(provider="pivotal").is_enabled
    ana = signed_in_page(browser, live_server, pivotal_on["ana"])
    ana.goto(live_server.url + DASHBOARD)
    banner = ana.inner_text(".integration-banner")
    ana.goto(live_server.url + reverse("integrations:mine"))
    panel = ana.inner_text("#personal-pivotal")
    shots.both_widths(ana, "06-member-sees-why-it-paused")
    assert "Pivotal Tracker is turned off for Acme Corp: your stories do not sync" in banner
    assert "Paused: Olivia Owner turned Pivotal Tracker off for Acme Corp on" in panel
    assert "Waiting for the company integration" in panel and "Active:" not in panel
    assert ana.locator("#personal-pivotal button[role=switch]").get_attribute("aria-checked") == "false"
    assert owner.errors == [] and ana.errors == []


# --- Redirect after POST ----------------------------------------------------------------------------


def test_reloading_after_creating_a_desktop_app_token_creates_no_second_one(browser, live_server, member, shots):
    page = signed_in_page(browser, live_server, member)
    page.goto(live_server.url + reverse("api-tokens"))
    page.fill("input[name=name]", "Laptop")
    with page.expect_navigation():
        page.click("button:has-text('Create')")
    shown = page.inner_text("code.new-token")
    shots.both_widths(page, "07-desktop-app-token-created")

    reloaded = page.reload()

    assert reloaded.request.method == "GET" and reloaded.ok  # the POST was answered by a redirect
    assert AppToken.objects.filter(membership=member).count() == 1
    assert page.locator("code.new-token").count() == 0 and shown not in page.content()  # shown once only
    assert page.locator("#app-tokens tbody tr", has_text="Laptop").count() == 1
    assert page.errors == []
