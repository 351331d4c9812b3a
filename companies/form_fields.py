import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from . import time_zones

LARGEST_ID = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by integer id that refuses ids no database column can hold (SQLite
    raises OverflowError on them) with the field's ordinary "not a valid id" message."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                try:
                    valid = 0 < int(pk) <= LARGEST_ID
                except (TypeError, ValueError):
                    valid = False
                if not valid:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def refuse_control_characters(value):
    """Names go into email headers and CSV cells: no line breaks, tabs or other control characters
    (Unicode categories Cc, Zl and Zp)."""
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value):
        raise ValidationError(
            "Use letters, numbers, spaces and punctuation only (no line breaks, tabs or other control characters).",
            code="control_characters",
        )


class NameField(forms.CharField):
    """A name of a person or a company, shown in emails and exports."""

    default_validators = [refuse_control_characters]


class TimeZoneField(forms.ChoiceField):
    """A searchable list of the canonical time zones, grouped by region (companies/time_zones.py).

    `blank_label` adds a first choice with an empty value (a person's "same as the company").
    `detect_browser` asks static/js/timezone.js to pre-select the browser's zone. `keep(name)` also
    offers a name already saved that is not canonical (an older alias), so saving leaves it as it is.
    The script adds a search box above the list; without JavaScript the list works as it is."""

    def __init__(self, *, blank_label=None, detect_browser=False, **kwargs):
        self.blank_label = blank_label
        self.kept = ()
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=self._zone_choices, **kwargs)
        self.widget.attrs["data-time-zone-select"] = ""
        if detect_browser:
            self.widget.attrs["data-detect-browser-zone"] = ""

    def _zone_choices(self):
        choices = time_zones.grouped_choices(keep=self.kept)
        return [("", self.blank_label), *choices] if self.blank_label else choices

    def keep(self, name):
        self.kept = (name,) if name else ()
        self.choices = self._zone_choices

    def validate(self, value):
        super().validate(value)
        if value:
            time_zones.validate_time_zone(value)
