"""Editing an entry on the web: start, end, task and note, in the company's time zone, under the
same rules as every entry; new times or a new task make it manual time."""

import re

import pytest
from django.urls import reverse

from tracking.models import TimeEntry

from .api_helpers import make_task
from .entry_helpers import WEEK, at, entry, frozen_now, manual_on

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on"]


def edit_url(an_entry):
    return reverse("edit-entry", args=[an_entry.code])


def form_data(**overrides):
    return {"started_at": "2025-03-06T09:00", "ended_at": "2025-03-06T10:00", "task": "", "note": "", **overrides}


def test_the_form_shows_the_entry_in_the_company_time_zone(client_for, member, company, frozen_now, manual_on):
    company.time_zone = "Europe/Madrid"
    company.save()
    task = make_task(member, "Export CSV")
    mine = entry(member, "08:00", "09:30", task=task, note="standup")

    html = client_for(member).get(edit_url(mine)).content.decode()

    assert 'type="datetime-local"' in html
    assert 'value="2025-03-06T09:00"' in html and 'value="2025-03-06T10:30"' in html  # UTC+1 in March
    assert f'<option value="{task.code}" selected>Web App · Export CSV</option>' in html
    assert 'value="standup"' in html and "Europe/Madrid" in html


def test_changing_times_task_and_note_saves_them_and_makes_it_manual_time(client_for, member, frozen_now, manual_on):
    task = make_task(member, "Export CSV")
    mine = entry(member, "09:00", "10:00")

    response = client_for(member).post(
        edit_url(mine),
        form_data(started_at="2025-03-06T08:45", ended_at="2025-03-06T10:15", task=str(task.code), note="pairing"),
    )

    mine.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert (mine.started_at, mine.ended_at) == (at("08:45"), at("10:15"))
    assert mine.task == task and mine.note == "pairing" and mine.source == "manual"


def test_saving_the_form_as_shown_changes_nothing_not_even_the_seconds(client_for, member, frozen_now, manual_on):
    mine = TimeEntry.objects.create(
        company=member.company,
        membership=member,
        source="web",
        started_at=at("09:00").replace(second=17),
        ended_at=at("10:00").replace(second=42),
    )

    page = client_for(member).post(edit_url(mine), form_data(), follow=True).content.decode()

    mine.refresh_from_db()
    assert "Nothing was changed." in page
    assert (mine.started_at.second, mine.ended_at.second, mine.source) == (17, 42, "web")


def test_a_new_note_alone_keeps_the_entry_tracked_time(client_for, member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00", source=TimeEntry.Source.DESKTOP)

    client_for(member).post(edit_url(mine), form_data(note="reviewed the export"))

    mine.refresh_from_db()
    assert mine.note == "reviewed the export" and mine.source == "desktop"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ended_at": "2025-03-06T08:00"}, "The end must be after the start."),
        ({"started_at": "2025-03-05T08:00", "ended_at": "2025-03-06T10:00"}, "An entry can be at most 24 hours long."),
        ({"ended_at": "2025-03-06T12:30"}, "An entry cannot end more than 5 minutes in the future."),
        ({"ended_at": "2025-03-06T11:30"}, "This time overlaps another of your entries."),
        ({"task": "6f1c9a52-0000-4000-8000-000000000000"}, "There is no such task."),
        ({"task": "colleague"}, "This task was never assigned to you."),
    ],
)
def test_an_edit_breaking_a_rule_is_refused_with_its_message(
    client_for, member, manager, frozen_now, manual_on, changes, message
):
    if changes.get("task") == "colleague":
        changes = {"task": str(make_task(manager, "Their task").code)}
    mine = entry(member, "09:00", "10:00")
    entry(member, "11:00", "11:45")

    response = client_for(member).post(edit_url(mine), form_data(**changes))

    mine.refresh_from_db()
    assert response.status_code == 400 and message in response.content.decode()
    assert (mine.started_at, mine.ended_at, mine.task, mine.source) == (at("09:00"), at("10:00"), None, "desktop")


def test_a_time_that_a_dst_change_skips_is_refused(client_for, member, company, frozen_now, manual_on):
    company.time_zone = "Europe/Madrid"
    company.save()
    mine = entry(member, "09:00", "10:00", day="2025-03-29")  # Saturday; 02:00–03:00 is skipped on Sunday 30

    response = client_for(member).post(
        edit_url(mine), form_data(started_at="2025-03-30T02:30", ended_at="2025-03-30T04:00")
    )

    assert response.status_code == 400 and "it may be ambiguous or it may not exist" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_colleague_and_an_outsider_get_404_and_only_the_owner_edits(
    client_for, member, admin, outsider, frozen_now, manual_on, method
):
    mine = entry(member, "09:00", "10:00", note="mine")
    data = form_data(note="changed") if method == "post" else None

    answers = [getattr(client_for(someone), method)(edit_url(mine), data).status_code for someone in (admin, outsider)]
    owner_answer = getattr(client_for(member), method)(edit_url(mine), data).status_code

    assert answers == [404, 404] and owner_answer == (302 if method == "post" else 200)
    assert TimeEntry.objects.get(pk=mine.pk).note == ("changed" if method == "post" else "mine")


def test_the_edit_page_does_not_exist_when_the_company_does_not_allow_time_by_hand(client_for, member, frozen_now):
    mine = entry(member, "09:00", "10:00")

    assert client_for(member).get(edit_url(mine)).status_code == 404


def test_a_deleted_entry_cannot_be_edited(client_for, member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    TimeEntry.objects.filter(pk=mine.pk).update(deleted_at=frozen_now, deleted_by=member)

    assert client_for(member).get(edit_url(mine)).status_code == 404


def test_a_running_timer_is_not_edited_here(client_for, member, frozen_now, manual_on):
    running = entry(member, "11:00", None, source=TimeEntry.Source.WEB)

    page = client_for(member).get(edit_url(running), follow=True).content.decode()

    assert "Stop the timer before changing its times or its task." in page


def test_the_form_goes_back_to_a_local_page_it_came_from_and_never_elsewhere(client_for, member, frozen_now, manual_on):
    mine = entry(member, "09:00", "10:00")
    client = client_for(member)
    back = f"{reverse('reports:entries')}?{WEEK}"

    local = client.post(edit_url(mine), {**form_data(note="a"), "next": back})
    foreign = client.post(edit_url(mine), {**form_data(note="b"), "next": "https://evil.example/"})

    assert local.url == back and foreign.url == reverse("dashboard")


def test_todays_list_and_the_entries_report_link_to_editing_my_own_entries_only(
    client_for, member, admin, frozen_now, manual_on
):
    mine = entry(member, "09:00", "10:00")
    theirs = entry(admin, "09:00", "10:00")

    dashboard = client_for(member).get(reverse("dashboard")).content.decode()
    report = client_for(admin).get(f"{reverse('reports:entries')}?{WEEK}").content.decode()

    assert f'href="{edit_url(mine)}"' in dashboard
    assert re.search(rf'href="{edit_url(theirs)}\?next=/reports/entries/%3F', report)
    assert edit_url(mine) not in report  # an admin sees Ana's entry, but edits only their own


def test_an_entry_on_a_task_no_longer_offered_keeps_it_when_only_the_note_changes(
    client_for, member, frozen_now, manual_on
):
    closed = make_task(member, "Shipped story", active=False, is_open=False)
    mine = entry(member, "09:00", "10:00", task=closed)
    client = client_for(member)

    shown = client.get(edit_url(mine)).content.decode()
    client.post(edit_url(mine), form_data(task=str(closed.code), note="wrap-up"))

    mine.refresh_from_db()
    assert "Web App · Shipped story (no longer offered)" in shown
    assert mine.task == closed and mine.note == "wrap-up" and mine.source == "desktop"
