"""What every provider's company settings form shares: a base URL that is only ever http(s)."""

from typing import Any

from django import forms

from .values import safe_url


class BaseUrlField(forms.URLField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and not safe_url(value):
            raise forms.ValidationError("Use an http:// or https:// address.")
        return value.rstrip("/")


class ProviderSettingsForm(forms.Form):
    """A company integration's installation settings; `cleaned_data` is stored as they are."""
