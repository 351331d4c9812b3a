"""Your preferences: each person's time zone (blank: the company's) and unit of hours, theirs in
every company they belong to, changed by a POST that is audited and redirects."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import AuditEvent
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PREFERENCES = reverse("companies:preferences")


def save(client, time_zone="", duration_format="decimal"):
    return client.post(PREFERENCES, {"time_zone": time_zone, "duration_format": duration_format})


def test_the_person_saves_their_zone_and_unit_and_is_redirected(client_for, member):
    client = client_for(member)

    response = save(client, "Asia/Tokyo", "hm")

    assert response.status_code == 302 and response.url == PREFERENCES
    member.user.refresh_from_db()
    assert (member.user.time_zone, member.user.duration_format) == ("Asia/Tokyo", "hm")
    page = client.get(PREFERENCES).content.decode()
    assert "Your preferences are saved." in page
    assert re.search(r'<option value="Asia/Tokyo" selected>', page)
    assert "Now: times in Asia/Tokyo" in page and "written 2:30." in page


def test_the_change_is_in_the_audit_log_of_the_company_it_was_made_in(client_for, member, company):
    save(client_for(member), "Europe/Madrid", "hm")

    event = AuditEvent.objects.get(action="person.preferences_changed")
    assert event.company == company and event.actor == member
    assert event.summary == "Ana Ruiz changed their preferences: times in Europe/Madrid, hours and minutes (2:30)"
    assert event.details == {"member": "ana@acme.example", "time_zone": "Europe/Madrid", "duration_format": "hm"}


def test_saving_what_is_already_saved_writes_no_audit_row(client_for, member):
    response = save(client_for(member), "", "decimal")

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="person.preferences_changed").exists()


def test_blank_means_the_companys_zone_and_the_page_says_which(client_for, member, company):
    company.time_zone = "America/New_York"
    company.save()

    page = client_for(member).get(PREFERENCES).content.decode()

    assert '<option value="" selected>Same as the company (America/New_York)</option>' in page
    assert "Now: times in America/New_York" in page and "written 2.50." in page


def test_a_colleague_changes_only_their_own_preferences(client_for, member, admin):
    save(client_for(admin), "Asia/Tokyo", "hm")

    member.user.refresh_from_db()
    admin.user.refresh_from_db()
    assert (member.user.time_zone, member.user.duration_format) == ("", "decimal")
    assert (admin.user.time_zone, admin.user.duration_format) == ("Asia/Tokyo", "hm")


def test_an_outsider_changes_only_their_own_and_nothing_lands_in_our_log(client_for, member, outsider, company):
    save(client_for(outsider), "Asia/Tokyo", "hm")

    member.user.refresh_from_db()
    assert member.user.time_zone == ""
    assert not AuditEvent.objects.filter(company=company).exists()
    assert AuditEvent.objects.get(action="person.preferences_changed").company == outsider.company


def test_the_preferences_follow_the_person_into_their_other_company(client_for, member, outsider):
    MembershipFactory(company=outsider.company, user=member.user)
    save(client_for(member), "Asia/Tokyo", "hm")
    client = client_for(member)

    client.post(reverse("companies:switch", args=[member.user.memberships.get(company=outsider.company).code]))
    page = client.get(PREFERENCES).content.decode()

    assert "Now: times in Asia/Tokyo" in page and "written 2:30." in page


@pytest.mark.parametrize(
    "data",
    [{"time_zone": "Mars/Olympus", "duration_format": "decimal"}, {"time_zone": "", "duration_format": "sexagesimal"}],
)
def test_a_zone_or_unit_that_does_not_exist_is_refused(client_for, member, data):
    response = client_for(member).post(PREFERENCES, data)

    assert response.status_code == 400 and response.context["form"].errors
    member.user.refresh_from_db()
    assert (member.user.time_zone, member.user.duration_format) == ("", "decimal")


def test_an_older_alias_already_saved_is_kept_and_offered(client_for, member):
    member.user.time_zone = "US/Eastern"
    member.user.save()

    page = client_for(member).get(PREFERENCES).content.decode()

    assert '<optgroup label="Other names">' in page and re.search(r'<option value="US/Eastern" selected>', page)


def test_anonymous_visitors_are_sent_to_sign_in_and_nobody_changes_anything_without_csrf(client_for, member):
    anonymous = Client().post(PREFERENCES, {"time_zone": "Asia/Tokyo", "duration_format": "hm"})
    forged = client_for(member, enforce_csrf_checks=True).post(
        PREFERENCES, {"time_zone": "Asia/Tokyo", "duration_format": "hm"}
    )

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert forged.status_code == 403
    member.user.refresh_from_db()
    assert member.user.time_zone == ""


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "user"])
def test_every_role_finds_the_page_in_the_left_menu(client_for, members, role):
    response = client_for(members[role]).get(reverse("dashboard"))

    assert "Your preferences" in [item.label for item in response.context["left_menu"]]
    assert f'<a href="{PREFERENCES}"' in response.content.decode()


def test_the_page_offers_the_browsers_zone_without_choosing_it_and_without_inline_script(client_for, member):
    page = client_for(member).get(PREFERENCES).content.decode()

    assert "data-browser-zone-hint hidden" in page and "data-detect-browser-zone" not in page
    assert '<script src="/static/js/timezone.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
