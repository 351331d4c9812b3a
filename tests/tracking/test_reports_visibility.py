"""Who sees whose time: owners and admins everyone, a manager their people and themselves, a user
themselves. Never anyone else, whatever the URL says; another company's ids are form errors."""

import re

import pytest
from django.urls import reverse

from companies.models import Membership
from tests.factories import MembershipFactory
from tracking.reports.visibility import visible_people

from .report_fixtures import (
    ENTRIES,
    ENTRIES_CSV,
    PROJECTS,
    PROJECTS_CSV,
    TIMESHEET,
    TIMESHEET_CSV,
    WEEK,
    csv_rows,
    scenario,
    table_rows,
    timesheet_numbers,
)

pytestmark = pytest.mark.django_db
__all__ = ["scenario"]
PAGES = [TIMESHEET, PROJECTS, ENTRIES]
CSVS = [TIMESHEET_CSV, PROJECTS_CSV, ENTRIES_CSV]
EVERYONE = {"Olivia Owner", "Adam Admin", "Maya Manager", "Ana Ruiz", "Ben Okafor", "Chloe Martin"}
WITH_TIME = {"Ana Ruiz", "Ben Okafor", "Chloe Martin", "Maya Manager"}


def people_in(client, path):
    """Everyone named anywhere in a report: its rows, its chart legend and its filter choices."""
    html = client.get(f"{path}?{WEEK}").content.decode()
    return {name for name in EVERYONE | {"Otto Outsider"} if name in html}


def people_in_csv(client, path):
    return {row[0] if path != PROJECTS_CSV else row[5] for row in csv_rows(client.get(f"{path}?{WEEK}"))[1:]} & (
        EVERYONE | {"Otto Outsider"}
    )


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_see_everyone_including_deactivated_members(client_for, scenario, role):
    client = client_for(getattr(scenario, role))

    for path in PAGES:
        assert people_in(client, path) >= WITH_TIME
    assert set(timesheet_numbers(client.get(f"{TIMESHEET}?{WEEK}").content.decode())) == EVERYONE | {"All people"}
    for path in CSVS:
        assert people_in_csv(client, path) == (EVERYONE if path == TIMESHEET_CSV else WITH_TIME)


def test_a_manager_sees_the_people_assigned_to_them_and_themselves(client_for, scenario):
    client = client_for(scenario.manager)
    mine = {"Maya Manager", "Ana Ruiz", "Chloe Martin"}

    for path in PAGES:
        assert people_in(client, path) == mine
    for path in CSVS:
        assert people_in_csv(client, path) == mine
    assert timesheet_numbers(client.get(f"{TIMESHEET}?{WEEK}").content.decode())["All people"][-1] == "13.50"


def test_a_user_sees_only_their_own_time(client_for, scenario):
    client = client_for(scenario.ana)

    for path in PAGES:
        assert people_in(client, path) == {"Ana Ruiz"}
    for path in CSVS:
        assert people_in_csv(client, path) == {"Ana Ruiz"}
    assert timesheet_numbers(client.get(f"{TIMESHEET}?{WEEK}").content.decode())["All people"][-1] == "11.00"


def test_a_user_is_not_offered_a_choice_of_people(client_for, scenario):
    html = client_for(scenario.ana).get(f"{TIMESHEET}?{WEEK}").content.decode()

    assert 'name="people"' not in html


def test_the_people_filter_offers_exactly_the_people_one_may_see(client_for, scenario):
    html = client_for(scenario.manager).get(f"{TIMESHEET}?{WEEK}").content.decode()
    select = re.search(r'<select name="people".*?</select>', html, re.S).group(0)

    assert re.findall(r">([^<]+)</option>", select) == ["Ana Ruiz", "Chloe Martin (deactivated)", "Maya Manager"]


@pytest.mark.parametrize("path", PAGES + CSVS)
def test_a_manager_cannot_filter_on_an_unassigned_person_even_by_editing_the_url(client_for, scenario, path):
    response = client_for(scenario.manager).get(f"{path}?{WEEK}&people={scenario.ben.code}")
    body = response.content.decode()

    assert response.status_code == 400
    assert f"You cannot see the time of this person, or there is no such person: {scenario.ben.code}." in body
    assert "1.75" not in body and "Push notifications" not in body


def test_a_manager_cannot_export_an_unassigned_person(client_for, scenario):
    response = client_for(scenario.manager).get(f"{TIMESHEET_CSV}?{WEEK}&people={scenario.ben.code}")

    assert response.status_code == 400 and not response.streaming
    assert response["Content-Type"].startswith("text/plain")
    assert "Ben" not in response.content.decode()


def test_a_manager_cannot_reach_an_unassigned_persons_time_through_their_task(client_for, scenario):
    client = client_for(scenario.manager)

    entries = client.get(f"{ENTRIES}?{WEEK}&task={scenario.push.code}").content.decode()
    export = csv_rows(client.get(f"{ENTRIES_CSV}?{WEEK}&task={scenario.push.code}"))
    projects = client.get(f"{PROJECTS}?{WEEK}&projects={scenario.mobile.pk}").content.decode()

    assert "No entries in this range for these filters." in entries and "Ben" not in entries
    assert export == [export[0]]
    assert "No time in this range for these filters." in projects


def test_a_user_cannot_ask_for_someone_elses_time(client_for, scenario):
    for person in (scenario.ben, scenario.manager, scenario.owner):
        response = client_for(scenario.ana).get(f"{ENTRIES_CSV}?{WEEK}&people={person.code}")

        assert response.status_code == 400
        assert "You cannot see the time of this person" in response.content.decode()


def test_a_user_may_name_themselves(client_for, scenario):
    response = client_for(scenario.ana).get(f"{TIMESHEET}?{WEEK}&people={scenario.ana.code}")

    assert response.status_code == 200
    assert timesheet_numbers(response.content.decode())["Ana Ruiz"][-1] == "11.00"


@pytest.mark.parametrize("path", PAGES + CSVS)
def test_ids_of_another_company_are_form_errors_never_data(client_for, scenario, path):
    client = client_for(scenario.owner)
    globex_project = scenario.globex_task.project

    for query, message in [
        (f"people={scenario.outsider.code}", "You cannot see the time of this person, or there is no such person"),
        (f"projects={globex_project.pk}", f"There is no such project in your company: {globex_project.pk}."),
        (f"task={scenario.globex_task.code}", f"There is no such task in your company: {scenario.globex_task.code}."),
    ]:
        response = client.get(f"{path}?{WEEK}&{query}")
        body = response.content.decode()

        assert response.status_code == 400, query
        assert message in body
        assert "Globex secret" not in body and "Otto" not in body


@pytest.mark.parametrize("path", PAGES)
def test_an_outsider_sees_only_their_own_companys_time(client_for, scenario, path):
    html = client_for(scenario.outsider).get(f"{path}?{WEEK}").content.decode()

    assert "Otto Outsider" in html and "5.00" in html
    assert not any(name in html for name in EVERYONE)
    assert "Website" not in html and "Login page" not in html


def test_an_outsiders_export_holds_only_their_own_companys_time(client_for, scenario):
    rows = csv_rows(client_for(scenario.outsider).get(f"{ENTRIES_CSV}?{WEEK}"))

    assert [row[0] for row in rows[1:]] == ["Otto Outsider"]


@pytest.mark.parametrize("path", PAGES + CSVS)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(f"{path}?{WEEK}")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("path", PAGES + CSVS)
def test_every_role_may_open_every_report(client_for, members, path):
    # No report is closed to a role (there is no 403 here): what each role sees is narrowed instead.
    for membership in members.values():
        assert client_for(membership).get(f"{path}?{WEEK}").status_code == 200


def test_a_deactivated_member_is_signed_out_instead_of_seeing_reports(client_for, member):
    client = client_for(member)
    Membership.objects.filter(pk=member.pk).update(is_active=False)

    response = client.get(TIMESHEET)

    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_visibility_is_decided_in_one_place(scenario):
    assert (
        set(visible_people(scenario.owner))
        == set(visible_people(scenario.admin))
        == {scenario.owner, scenario.admin, scenario.manager, scenario.ana, scenario.ben, scenario.chloe}
    )
    assert set(visible_people(scenario.manager)) == {scenario.manager, scenario.ana, scenario.chloe}
    assert set(visible_people(scenario.ana)) == {scenario.ana}
    assert set(visible_people(scenario.outsider)) == {scenario.outsider}
    assert not visible_people(None).exists()


def test_a_manager_assigned_to_a_member_of_another_company_still_sees_only_their_own(scenario):
    # Should a stray cross-company link ever exist, the company scope still holds.
    scenario.outsider.managers.add(scenario.manager)

    assert scenario.outsider not in set(visible_people(scenario.manager))


def test_a_manager_who_also_has_managers_is_listed_once(client_for, scenario):
    other_manager = MembershipFactory(company=scenario.company, role="manager", user__full_name="Max Manager")
    scenario.manager.managers.add(other_manager)

    people = list(visible_people(scenario.manager))

    assert len(people) == len(set(people)) == 3
    rows = table_rows(client_for(scenario.manager).get(f"{TIMESHEET}?{WEEK}").content.decode(), "timesheet")
    assert [row[0] for row in rows[1:]] == ["Ana Ruiz", "Chloe Martin deactivated", "Maya Manager", "All people"]
