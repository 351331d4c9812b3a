from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking.models import AppToken, TimeEntry
from tracking.services.app_tokens import hash_token

from .api_helpers import make_task

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")


def test_the_dashboard_offers_my_tasks_grouped_by_project_with_links_to_the_stories(client_for, member, manager):
    make_task(member, "Export CSV")
    make_task(member, "Offline mode", project_name="Mobile")
    make_task(manager, "Not mine")

    html = client_for(member).get(DASHBOARD).content.decode()

    assert "<legend>Mobile</legend>" in html and "<legend>Web App</legend>" in html
    assert "Export CSV" in html and "Offline mode" in html and "Not mine" not in html
    assert 'href="https://www.pivotaltracker.com/story/show/1"' in html


def test_the_task_search_works_with_and_without_javascript(client_for, member):
    make_task(member, "Export CSV")
    make_task(member, "Offline mode", project_name="Mobile")
    client = client_for(member)

    without_js = client.get(DASHBOARD, {"q": "export"}).content.decode()
    with_htmx = client.get(reverse("timer-tasks"), {"q": "mobile"}, HTTP_HX_REQUEST="true").content.decode()

    assert "Export CSV" in without_js and "Offline mode" not in without_js
    assert "Offline mode" in with_htmx and "Export CSV" not in with_htmx and "<html" not in with_htmx


def test_start_and_stop_from_the_web_page(client_for, member):
    task = make_task(member)
    client = client_for(member)

    client.post(reverse("timer-start"), {"task": str(task.code)})
    running_page = client.get(DASHBOARD).content.decode()
    client.post(reverse("timer-stop"))

    entry = TimeEntry.objects.get()
    assert entry.task == task and entry.source == "web" and entry.ended_at is not None
    assert "data-timer-started" in running_page and "Stop" in running_page


def test_the_timer_swaps_in_place_with_htmx(client_for, member):
    response = client_for(member).post(reverse("timer-start"), {"task": ""}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card timer"')
    assert "No task" in html and "Stop" in html
    assert '<section class="card" id="today" hx-swap-oob="true">' in html  # today's list follows


def test_todays_entries_and_total_are_listed(client_for, member, company):
    company.time_zone = "Europe/Madrid"
    company.save()
    now = timezone.now()
    midnight = now.astimezone(ZoneInfo("Europe/Madrid")).replace(hour=0, minute=0, second=0, microsecond=0)
    # 90 minutes inside today in Madrid, whatever the hour the suite runs at (even just after midnight).
    start = now - timedelta(minutes=95) if now - midnight >= timedelta(minutes=95) else midnight
    TimeEntry.objects.create(
        company=company, membership=member, source="desktop", started_at=start, ended_at=start + timedelta(minutes=90)
    )

    html = client_for(member).get(DASHBOARD).content.decode()

    assert 'Today <span class="muted">· 1.50 h</span>' in html and "Desktop app" in html


def test_a_refused_start_says_why(client_for, member, outsider):
    foreign = make_task(outsider)

    page = client_for(member).post(reverse("timer-start"), {"task": str(foreign.code)}, follow=True)

    assert "There is no such task." in page.content.decode() and not TimeEntry.objects.exists()


def test_manual_time_is_offered_only_when_the_company_allows_it(client_for, member, company):
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    data = {"task": "", "date": yesterday, "start": "00:10", "end": "00:40", "note": "call"}
    client = client_for(member)

    hidden = "Add time by hand" not in client.get(DASHBOARD).content.decode()
    refused = client.post(reverse("manual-entry"), data)
    company.allow_manual_time = True
    company.save()
    accepted = client.post(reverse("manual-entry"), data)

    assert hidden and refused.status_code == 400 and "does not allow" in refused.content.decode()
    assert accepted.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.source == "manual" and entry.ended_at - entry.started_at == timedelta(minutes=30)


def test_a_manual_entry_breaking_a_rule_re_renders_with_the_message(client_for, member, company):
    company.allow_manual_time = True
    company.save()
    data = {"task": "", "date": timezone.now().date().isoformat(), "start": "10:00", "end": "09:00"}

    response = client_for(member).post(reverse("manual-entry"), data)

    assert response.status_code == 400 and "The end must be after the start." in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_an_app_token_is_shown_once_and_stored_hashed(client_for, member):
    client = client_for(member)

    created = client.post(reverse("api-tokens"), {"name": "Work laptop"}, follow=True).content.decode()
    listed = client.get(reverse("api-tokens")).content.decode()

    token = AppToken.objects.get()
    raw = created.split('class="new-token">')[1].split("<")[0]
    assert token.token_hash == hash_token(raw) and raw not in listed and token.prefix in listed
    assert "Work laptop" in listed


def test_revoking_an_app_token_signs_the_app_out(client_for, member):
    client = client_for(member)
    created = client.post(reverse("api-tokens"), {"name": "Laptop"}, follow=True).content.decode()
    raw = created.split('class="new-token">')[1].split("<")[0]

    client.post(reverse("revoke-api-token", args=[AppToken.objects.get().code]))

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(reverse("api:me")).status_code == 401


def test_nobody_revokes_someone_elses_token(client_for, member, manager):
    client_for(manager).post(reverse("api-tokens"), {"name": "Theirs"})

    response = client_for(member).post(reverse("revoke-api-token", args=[AppToken.objects.get().code]))

    assert response.status_code == 404 and AppToken.objects.get().revoked_at is None


def test_time_across_midnight_counts_only_its_part_inside_today(client_for, member, company):
    from datetime import datetime, time

    company.time_zone = "America/New_York"
    company.save()
    zone = ZoneInfo("America/New_York")
    midnight = datetime.combine(timezone.now().astimezone(zone).date(), time.min, tzinfo=zone)
    TimeEntry.objects.create(
        company=company,
        membership=member,
        source="desktop",
        started_at=midnight - timedelta(hours=2),
        ended_at=midnight + timedelta(minutes=45),
    )

    html = client_for(member).get(DASHBOARD).content.decode()

    assert 'Today <span class="muted">· 0.75 h</span>' in html


def test_a_refused_htmx_start_says_why_in_place(client_for, member, outsider):
    foreign = make_task(outsider)

    html = (
        client_for(member)
        .post(reverse("timer-start"), {"task": str(foreign.code)}, HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "There is no such task." in html
