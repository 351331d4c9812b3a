"""Time zones: which names are valid, and which ones the forms offer.

- **Valid** is any IANA name this machine's tz database knows (`zoneinfo.available_timezones()`),
  older aliases such as ``US/Eastern`` included, so a company or person saved elsewhere keeps
  working. The names are checked by `validate_time_zone`, never frozen into the models as `choices`
  (migrations would then depend on the tzdata of the machine that made them).
- **Offered** are the canonical zones: one per region of a country, as the tz database lists them in
  its ``zone.tab`` (about 420: ``Europe/Madrid``, ``Asia/Kolkata``, ``Europe/Kyiv``…, none of the ~180
  backward-compatible aliases such as ``Asia/Calcutta`` or ``US/Pacific``, no ``Etc/GMT+5``), plus
  ``UTC``. ``zone.tab`` is read where `zoneinfo` reads the zones (the system's TZPATH, then the
  `tzdata` package); without one, every ``Region/City`` name is offered.
"""

import functools
import zoneinfo
from importlib import resources
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

UTC = "UTC"
# Areas of the tz database, as the lists name them.
REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific Ocean",
}
# Names that exist on some machines only: `localtime` is a link to the machine's own setting, and
# `Factory` means "no zone set".
NOT_ZONES = {"localtime", "Factory", "posixrules"}


@functools.cache
def valid_names():
    return frozenset(zoneinfo.available_timezones() - NOT_ZONES)


def validate_time_zone(value):
    if value not in valid_names():
        raise ValidationError(
            "“%(value)s” is not a time zone. Choose one from the list, such as Europe/Madrid.",
            code="invalid_time_zone",
            params={"value": value},
        )


def _tz_file(name):
    """The text of one of the tz database's tables (zone.tab, iso3166.tab), or None."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def _table(text):
    return [line.split("\t") for line in (text or "").splitlines() if line and not line.startswith("#")]


@functools.cache
def canonical_zones():
    """{name: country} of the zones the lists offer (country is "" for UTC and without zone.tab)."""
    countries = {row[0]: row[1].strip() for row in _table(_tz_file("iso3166.tab")) if len(row) >= 2}
    listed = {row[2].strip(): countries.get(row[0], "") for row in _table(_tz_file("zone.tab")) if len(row) >= 3}
    names = valid_names()
    zones = {name: country for name, country in listed.items() if name in names}
    if not zones:  # no zone.tab on this machine: every Region/City name
        zones = {name: "" for name in names if name.split("/")[0] in REGIONS}
    return {UTC: "", **zones}


def is_canonical(name):
    return name in canonical_zones()


def _offset(name, now):
    offset = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def label(name, now=None):
    """`Madrid, Spain (UTC+02:00)`, `Knox (Indiana), United States (UTC-05:00)`, `UTC`: a list's
    label starts with the city, so typing a city's first letters in a closed list finds it."""
    if name == UTC:
        return "UTC (Coordinated Universal Time)"
    now = now or timezone.now()
    parts = name.split("/")
    city = parts[-1].replace("_", " ")
    if len(parts) > 2:
        city = f"{city} ({' / '.join(part.replace('_', ' ') for part in parts[1:-1])})"
    country = canonical_zones().get(name, "")
    place = f"{city}, {country}" if country and country != city else city
    return f"{place} ({_offset(name, now)})"


def grouped_choices(*, keep=(), now=None):
    """The canonical zones as select choices grouped by region, UTC first. Names in `keep` (a value
    already saved, say `US/Eastern`) are offered too, under "Other names", so saving a form does not
    change them. The labels' offsets are those of the current quarter hour (every DST change happens
    on one), computed once for it."""
    now = now or timezone.now()
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return _grouped_choices(tuple(name for name in keep if name), quarter)


@functools.lru_cache(maxsize=8)
def _grouped_choices(keep, now):
    groups = {}
    for name in canonical_zones():
        if name != UTC:
            groups.setdefault(name.split("/")[0], []).append((name, label(name, now)))
    choices = [(UTC, label(UTC))]
    for area in sorted(groups, key=lambda area: REGIONS.get(area, area)):
        choices.append((REGIONS.get(area, area), sorted(groups[area], key=lambda choice: choice[1].casefold())))
    others = [
        (name, f"{name} ({_offset(name, now)})")
        for name in keep
        if name and not is_canonical(name) and name in valid_names()
    ]
    if others:
        choices.append(("Other names", others))
    return choices
