import unicodedata

from django import forms
from django.core.exceptions import ValidationError

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
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
        return super()._check_values(value)


def refuse_control_characters(value):
    """Names go into email headers and CSV cells: no line breaks, tabs or other control characters
    (Unicode categories Cc, Zl and Zp)."""
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value):
        raise ValidationError("Use letters, numbers, spaces and punctuation only (no line breaks, tabs or other "
                              "control characters).", code="control_characters")


class NameField(forms.CharField):
    """A name of a person or a company, shown in emails and exports."""

    default_validators = [refuse_control_characters]
