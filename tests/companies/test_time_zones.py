"""Time zones are validated, not enumerated: the models and migrations hold no list of names (which
would change with the machine's tzdata), and the forms offer the canonical zones, by region."""

import re
import zoneinfo
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from companies import time_zones
from companies.models import Company, User
from companies.services import create_company
from companies.time_zones import validate_time_zone

pytestmark = pytest.mark.django_db
SIGNUP = reverse("signup")
SETTINGS = reverse("companies:settings")
LEGACY_ALIASES = [
    "US/Eastern",
    "US/Pacific",
    "Asia/Calcutta",
    "Europe/Kiev",
    "America/Buenos_Aires",
    "GB",
    "Etc/GMT+5",
    "Etc/UTC",
    "EST5EDT",
    "localtime",
    "Factory",
]


def options(html, name="time_zone"):
    """[(group label or None, value, label, is_selected)] of a select."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    found, group = [], None
    for token in re.finditer(
        r'<optgroup label="([^"]*)">|</optgroup>|<option value="([^"]*)"( selected)?>([^<]*)', select.group(1)
    ):
        if token.group(0).startswith("<optgroup"):
            group = token.group(1)
        elif token.group(0) == "</optgroup>":
            group = None
        else:
            found.append((group, token.group(2), token.group(4), bool(token.group(3))))
    return found


def migrated_field(model, name):
    state = MigrationLoader(connection).project_state()
    return state.models["companies", model].fields[name]


@pytest.mark.parametrize("model", ["company", "user"])
def test_the_migration_state_has_no_list_of_zones_only_the_validator(model):
    field = migrated_field(model, "time_zone")

    assert field.choices is None
    assert validate_time_zone in field.validators


def test_the_models_and_migrations_agree_even_with_another_tz_database(monkeypatch):
    fewer = {"UTC", "Europe/Madrid"}
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: fewer)
    time_zones.valid_names.cache_clear()
    try:
        call_command("makemigrations", "companies", "--check", "--dry-run", stdout=StringIO())  # SystemExit if not
        assert Company._meta.get_field("time_zone").choices is None
    finally:
        time_zones.valid_names.cache_clear()


def test_the_validator_refuses_a_zone_that_does_not_exist():
    with pytest.raises(ValidationError) as refused:
        validate_time_zone("Mars/Olympus")

    assert refused.value.code == "invalid_time_zone"
    assert "“Mars/Olympus” is not a time zone" in refused.value.messages[0]


def test_the_validator_accepts_canonical_names_and_the_older_aliases_saved_elsewhere():
    for name in ["UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires", "US/Eastern", "Asia/Calcutta"]:
        validate_time_zone(name)


@pytest.mark.parametrize("name", ["localtime", "Factory", "", "../../etc/passwd"])
def test_the_validator_refuses_names_that_only_some_machines_have_or_none_have(name):
    with pytest.raises(ValidationError):
        validate_time_zone(name)


def test_a_company_or_a_person_with_an_unknown_zone_does_not_validate(company, member):
    company.time_zone = "Mars/Olympus"
    member.user.time_zone = "Mars/Olympus"

    with pytest.raises(ValidationError) as company_refused:
        company.full_clean()
    with pytest.raises(ValidationError) as person_refused:
        member.user.full_clean()

    assert "time_zone" in company_refused.value.error_dict and "time_zone" in person_refused.value.error_dict


def test_creating_a_company_refuses_an_unknown_zone():
    with pytest.raises(ValidationError) as refused:
        create_company(
            name="Initech",
            slug="initech",
            time_zone="Mars/Olympus",
            owner_name="Peter",
            owner_email="peter@initech.example",
            owner_password="x" * 12,
        )

    assert "time_zone" in refused.value.error_dict
    assert not Company.objects.filter(slug="initech").exists() and not User.objects.exists()


def test_the_canonical_zones_are_the_tz_databases_own_list_with_utc_and_no_aliases():
    zones = time_zones.canonical_zones()

    assert "UTC" in zones and 350 < len(zones) < 500  # about 420, against ~600 names with the aliases
    assert {"Europe/Madrid", "Europe/Kyiv", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Europe/Oslo"} <= set(
        zones
    )
    assert not set(LEGACY_ALIASES) & set(zones)
    assert not [name for name in zones if name.startswith("Etc/")]
    assert zones["Europe/Madrid"] == "Spain"


def test_sign_up_offers_the_canonical_zones_grouped_by_region_and_utc_without_javascript():
    html = Client().get(SIGNUP).content.decode()
    offered = options(html)
    values = {value for _, value, _, _ in offered}

    assert values == set(time_zones.canonical_zones())
    assert not set(LEGACY_ALIASES) & values
    assert [value for _, value, _, selected in offered if selected] == ["UTC"]
    assert offered[0][:2] == (None, "UTC")
    groups = [group for group, *_ in offered[1:]]
    assert set(groups) == {
        "Africa",
        "Americas",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic Ocean",
        "Australia",
        "Europe",
        "Indian Ocean",
        "Pacific Ocean",
    }
    assert groups == sorted(groups)  # each region once, in order
    madrid = next(option for option in offered if option[1] == "Europe/Madrid")
    assert madrid[0] == "Europe" and re.fullmatch(r"Madrid, Spain \(UTC\+0[12]:00\)", madrid[2])


def test_sign_up_asks_the_script_to_pick_the_browsers_zone_without_any_inline_script():
    html = Client().get(SIGNUP).content.decode()

    assert re.search(r'<select name="time_zone"[^>]* data-detect-browser-zone', html)
    assert '<script src="/static/js/timezone.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)  # the CSP forbids inline scripts


def test_after_a_refused_sign_up_the_list_keeps_the_zone_the_person_chose():
    html = (
        Client()
        .post(
            SIGNUP,
            {"company_name": "", "time_zone": "Asia/Tokyo", "full_name": "Peter", "email": "peter@initech.example"},
        )
        .content.decode()
    )

    assert [value for _, value, _, selected in options(html) if selected] == ["Asia/Tokyo"]
    assert "data-detect-browser-zone" not in html


@pytest.mark.parametrize("name", ["US/Eastern", "Mars/Olympus"])
def test_sign_up_refuses_a_zone_it_does_not_offer(name):
    response = Client().post(
        SIGNUP,
        {
            "company_name": "Initech",
            "slug": "",
            "time_zone": name,
            "full_name": "Peter",
            "email": "peter@initech.example",
        },
    )

    assert response.status_code == 200 and "time_zone" in response.context["form"].errors
    assert not Company.objects.exists()


def test_company_settings_offer_the_same_list(client_for, admin):
    html = client_for(admin).get(SETTINGS).content.decode()

    assert {value for _, value, _, _ in options(html)} == set(time_zones.canonical_zones())
    assert "data-detect-browser-zone" not in html  # a company's zone is chosen, not guessed
    assert '<script src="/static/js/timezone.js" defer></script>' in html


def test_a_company_saved_with_an_older_alias_keeps_it_when_its_settings_are_saved(client_for, admin, company):
    company.time_zone = "US/Eastern"
    company.save()
    client = client_for(admin)

    offered = options(client.get(SETTINGS).content.decode())
    client.post(SETTINGS, {"name": "Acme Renamed", "time_zone": "US/Eastern"})

    assert ("Other names", "US/Eastern") in [option[:2] for option in offered]
    assert [value for _, value, _, selected in offered if selected] == ["US/Eastern"]
    company.refresh_from_db()
    assert (company.name, company.time_zone) == ("Acme Renamed", "US/Eastern")


def test_company_settings_refuse_a_zone_that_does_not_exist_and_others_cannot_change_ours(
    client_for, admin, member, outsider, company
):
    refused = client_for(admin).post(SETTINGS, {"name": "Acme Corp", "time_zone": "Mars/Olympus"})
    colleague = client_for(member).post(SETTINGS, {"name": "Acme Corp", "time_zone": "Asia/Tokyo"})
    client_for(outsider).post(SETTINGS, {"name": "Globex", "time_zone": "Asia/Tokyo"})

    assert refused.status_code == 200 and "time_zone" in refused.context["form"].errors
    assert colleague.status_code == 403
    company.refresh_from_db()
    outsider.company.refresh_from_db()
    assert company.time_zone == "UTC" and outsider.company.time_zone == "Asia/Tokyo"


def test_without_the_tz_databases_list_every_region_city_name_is_offered(monkeypatch):
    monkeypatch.setattr(time_zones, "_tz_file", lambda name: None)
    time_zones.canonical_zones.cache_clear()
    try:
        zones = time_zones.canonical_zones()
    finally:
        time_zones.canonical_zones.cache_clear()

    assert "UTC" in zones and "Europe/Madrid" in zones
    assert not [name for name in zones if name != "UTC" and name.split("/")[0] not in time_zones.REGIONS]


def test_a_label_names_the_city_its_country_and_the_offset_of_the_day():
    from datetime import UTC, datetime

    winter, summer = datetime(2025, 1, 15, tzinfo=UTC), datetime(2025, 7, 15, tzinfo=UTC)

    assert time_zones.label("Europe/Madrid", winter) == "Madrid, Spain (UTC+01:00)"
    assert time_zones.label("Europe/Madrid", summer) == "Madrid, Spain (UTC+02:00)"
    assert time_zones.label("America/Indiana/Knox", winter) == "Knox (Indiana), United States (UTC-06:00)"
    assert time_zones.label("Asia/Kathmandu", winter) == "Kathmandu, Nepal (UTC+05:45)"
    assert time_zones.label("Asia/Singapore", winter) == "Singapore (UTC+08:00)"
