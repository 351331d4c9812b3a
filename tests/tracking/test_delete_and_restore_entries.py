"""Deleting time is a soft delete with an Undo and a "Recently deleted" list: deleted time counts
nowhere (today's list, reports, CSV, API, week summary), and restoring brings it back unless its
time is taken by then."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tracking.models import TimeEntry

from .api_helpers import api_client
from .entry_helpers import WEEK, at, entry, frozen_now, manual_on
from .report_fixtures import csv_rows, timesheet_numbers

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on"]
DASHBOARD = reverse("dashboard")


def today_total(html):
    return re.search(r'<h2>Today <span class="muted">· (.*?)</span></h2>', html, re.S).group(1)


def week_hours(html):
    return re.search(r'This week <span class="muted">· ([\d.]+) h', html).group(1)


def test_deleted_time_counts_nowhere_and_undo_brings_it_all_back(client_for, member, frozen_now, manual_on):
    """The 2.5 hours of the issue: deleted, gone from every total, and back after Undo."""
    entry(member, "08:00", "09:00")
    lost = entry(member, "09:00", "11:30", source=TimeEntry.Source.MANUAL, note="client call")
    client, api = client_for(member), api_client(member)
    range_query = {"start": at("00:00").isoformat(), "end": at("23:59").isoformat()}

    def everything():
        dashboard = client.get(DASHBOARD).content.decode()
        return {
            "today": today_total(dashboard),
            "week": week_hours(dashboard),
            "timesheet": timesheet_numbers(client.get(f"{reverse('reports:timesheet')}?{WEEK}").content.decode())[
                "Ana Ruiz"
            ][-1],
            "csv": csv_rows(client.get(f"{reverse('reports:entries-csv')}?{WEEK}"))[1:],
            "api": [row["id"] for row in api.get(reverse("api:entries"), range_query).json()],
        }

    before = everything()
    deleted = client.post(reverse("delete-entry", args=[lost.code]), follow=True)
    after_delete = everything()
    undo_url = reverse("restore-entry", args=[lost.code])
    undone = client.post(undo_url, follow=True)
    after_undo = everything()

    assert before["today"] == "3.50 h" and before["week"] == "3.50" and before["timesheet"] == "3.50"
    assert len(before["csv"]) == 2 and str(lost.code) in before["api"]
    assert deleted.status_code == 200 and "Entry deleted." in deleted.content.decode()
    assert after_delete["today"] == "1.00 h" and after_delete["week"] == "1.00"
    assert after_delete["timesheet"] == "1.00" and len(after_delete["csv"]) == 1
    assert str(lost.code) not in after_delete["api"]
    assert "Entry restored." in undone.content.decode()
    assert after_undo == before
    lost.refresh_from_db()
    assert lost.deleted_at is None and lost.note == "client call" and lost.source == "manual"


def test_the_deleted_message_offers_undo_as_a_post_form_that_works_without_javascript(
    client_for, member, frozen_now, manual_on
):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member, enforce_csrf_checks=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(DASHBOARD).content.decode()).group(1)

    page = client.post(
        reverse("delete-entry", args=[gone.code]), {"csrfmiddlewaretoken": token}, follow=True
    ).content.decode()
    message = re.search(r'<li class="message message-success">(.*?)</li>', page, re.S).group(1)
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', message).group(1)
    undone = client.post(reverse("restore-entry", args=[gone.code]), {"csrfmiddlewaretoken": form_token})

    assert "Entry deleted." in message and 'method="post"' in message
    assert f'action="{reverse("restore-entry", args=[gone.code])}"' in message and ">Undo</button>" in message
    assert undone.status_code == 302 and TimeEntry.objects.live().filter(pk=gone.pk).exists()


def test_with_htmx_delete_and_undo_swap_todays_list_in_place(client_for, member, frozen_now, manual_on):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member)

    deleted = client.post(reverse("delete-entry", args=[gone.code]), HTTP_HX_REQUEST="true").content.decode()
    restored = client.post(reverse("restore-entry", args=[gone.code]), HTTP_HX_REQUEST="true").content.decode()

    assert deleted.lstrip().startswith('<section class="card" id="today">') and "<html" not in deleted
    assert "Entry deleted." in deleted and 'hx-post="' + reverse("restore-entry", args=[gone.code]) in deleted
    assert "Nothing tracked yet today." in deleted
    assert '<section class="card" id="recently-deleted" hx-swap-oob="true">' in deleted
    assert 'id="week-summary" hx-swap-oob="true"' in deleted
    assert "Entry restored." in restored and f'id="entry-{gone.code}"' in restored
    assert '<section class="card" id="recently-deleted" hx-swap-oob="true" hidden>' in restored


def test_recently_deleted_lists_my_own_entries_of_the_last_seven_days_with_a_restore_button(
    client_for, member, manager, frozen_now, manual_on
):
    mine = entry(member, "09:00", "10:00", day="2025-03-01", note="from saturday")
    old = entry(member, "09:00", "10:00", day="2025-02-20", note="long ago")
    theirs = entry(manager, "09:00", "10:00", note="not mine")
    TimeEntry.objects.filter(pk=mine.pk).update(deleted_at=frozen_now - timedelta(days=2), deleted_by=member)
    TimeEntry.objects.filter(pk=old.pk).update(deleted_at=frozen_now - timedelta(days=8), deleted_by=member)
    TimeEntry.objects.filter(pk=theirs.pk).update(deleted_at=frozen_now - timedelta(hours=1), deleted_by=manager)

    html = client_for(member).get(DASHBOARD).content.decode()
    section = re.search(r'<section class="card" id="recently-deleted">(.*?)</section>', html, re.S).group(1)

    assert "from saturday" in section and "Sat 1 Mar" in section and "2\xa0days ago" in section
    assert "long ago" not in section and "not mine" not in section
    assert f'action="{reverse("restore-entry", args=[mine.code])}"' in section and ">Restore</button>" in section


def test_the_recently_deleted_list_is_hidden_while_empty_and_absent_without_manual_time(
    client_for, member, company, frozen_now
):
    client = client_for(member)
    absent = client.get(DASHBOARD).content.decode()
    company.allow_manual_time = True
    company.save()
    empty = client.get(DASHBOARD).content.decode()

    assert 'id="recently-deleted"' not in absent
    assert '<section class="card" id="recently-deleted" hidden>' in empty


def test_restoring_is_refused_with_a_clear_message_when_its_time_is_taken(client_for, member, frozen_now, manual_on):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member)
    client.post(reverse("delete-entry", args=[gone.code]))
    client.post(reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "09:30", "end": "10:30"})

    page = client.post(reverse("restore-entry", args=[gone.code]), follow=True).content.decode()

    assert "This entry cannot be restored: its time now overlaps another of your entries." in page
    assert TimeEntry.objects.get(pk=gone.pk).deleted_at is not None
    assert TimeEntry.objects.live().count() == 1


def test_deleted_time_frees_its_slot_for_new_time(client_for, member, frozen_now, manual_on):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member)
    client.post(reverse("delete-entry", args=[gone.code]))

    added = client.post(reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "09:00", "end": "10:00"})

    assert added.status_code == 302 and TimeEntry.objects.live().count() == 1


def test_a_managers_report_does_not_count_their_peoples_deleted_time(
    client_for, member, manager, frozen_now, manual_on
):
    member.managers.add(manager)
    entry(member, "08:00", "09:00")
    gone = entry(member, "09:00", "11:30")
    client_for(member).post(reverse("delete-entry", args=[gone.code]))

    manager_client = client_for(manager)
    numbers = timesheet_numbers(manager_client.get(f"{reverse('reports:timesheet')}?{WEEK}").content.decode())
    entries_csv = csv_rows(manager_client.get(f"{reverse('reports:entries-csv')}?{WEEK}"))

    assert numbers["Ana Ruiz"][-1] == "1.00" and numbers["All people"][-1] == "1.00"
    assert len(entries_csv) == 2


@pytest.mark.parametrize("view", ["delete-entry", "restore-entry"])
def test_a_colleague_and_an_outsider_get_404_for_my_entry_and_nothing_changes(
    client_for, member, admin, outsider, frozen_now, manual_on, view
):
    mine = entry(member, "09:00", "10:00")
    if view == "restore-entry":
        TimeEntry.objects.filter(pk=mine.pk).update(deleted_at=frozen_now, deleted_by=member)
    before = TimeEntry.objects.filter(pk=mine.pk).values_list("deleted_at", flat=True).get()

    answers = [client_for(someone).post(reverse(view, args=[mine.code])).status_code for someone in (admin, outsider)]
    mine_answer = client_for(member).post(reverse(view, args=[mine.code])).status_code

    assert answers == [404, 404] and mine_answer == 302
    assert TimeEntry.objects.filter(pk=mine.pk).values_list("deleted_at", flat=True).get() != before


def test_deleting_and_restoring_need_the_company_to_allow_time_by_hand(client_for, member, company, frozen_now):
    kept = entry(member, "09:00", "10:00")
    client = client_for(member)

    page = client.post(reverse("delete-entry", args=[kept.code]), follow=True).content.decode()

    assert "does not allow adding or editing time by hand" in page
    assert TimeEntry.objects.live().filter(pk=kept.pk).exists()


def test_deleting_twice_or_restoring_a_live_entry_changes_nothing(client_for, member, frozen_now, manual_on):
    gone = entry(member, "09:00", "10:00")
    client = client_for(member)

    client.post(reverse("delete-entry", args=[gone.code]))
    first = TimeEntry.objects.get(pk=gone.pk).deleted_at
    again = client.post(reverse("delete-entry", args=[gone.code]))
    client.post(reverse("restore-entry", args=[gone.code]))
    restored_again = client.post(reverse("restore-entry", args=[gone.code]))

    assert first is not None and again.status_code == 302 and restored_again.status_code == 302
    assert TimeEntry.objects.live().filter(pk=gone.pk).exists()


def test_the_running_row_shows_its_duration_at_render_time_and_ticks_with_the_clock(client_for, member, frozen_now):
    entry(member, "08:00", "09:00")
    running = entry(member, "10:58", None, source=TimeEntry.Source.WEB)

    html = client_for(member).get(DASHBOARD).content.decode()
    row = re.search(rf'<tr id="entry-{running.code}">(.*?)</tr>', html, re.S).group(1)

    assert f'<span data-timer-started="{running.started_at.isoformat()}">1:02:00</span>' in row
    assert 'data-duration-finished="3600"' in html
    assert f'data-duration-since="{running.started_at.isoformat()}"' in html
    assert 'data-duration-format="decimal"' in html
    assert "2.03 h" in today_total(html)  # 2 h 02 min
