"""The company's GitHub installation settings: which GitHub (github.com or an Enterprise Server)
and which of its repositories the sync reads."""

import re
from typing import Any

from django import forms
from django.conf import settings

from ..settings_forms import BaseUrlField, ProviderSettingsForm
from .client import normalise_base_url

MAX_REPOSITORY_LINES = 100
# GitHub's rules: an account (user or organisation) is 1-39 letters, digits or single hyphens
# inside, and Enterprise Managed Users add an underscore and a short code ("ana_acme"); a
# repository name is 1-100 letters, digits, ".", "-" or "_", but not "." or "..".
OWNER_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_])){0,38}")
REPOSITORY_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,100}")


def parse_repository_entry(line: str) -> str:
    """`owner/repo` or `owner` (a whole organisation or account), or ValueError."""
    owner, slash, name = line.partition("/")
    if not OWNER_PATTERN.fullmatch(owner):
        raise ValueError("not an account or organisation name")
    if slash and (not REPOSITORY_PATTERN.fullmatch(name) or name in (".", "..")):
        raise ValueError("not a repository name")
    return line


class RepositoryListField(forms.CharField):
    """A textarea of `owner/repo` or `org` lines, cleaned to a sorted list without repeats
    (GitHub's names are case-insensitive: the first spelling stays)."""

    widget = forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocapitalize": "none"})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    # A list, where CharField cleans to text: the stored setting is the list of entries.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""  # CharField: "" for an empty value, never None
        entries: dict[str, str] = {}
        errors: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                entries.setdefault(parse_repository_entry(line).lower(), line)
            except ValueError:
                errors.append(f"Line {number}, “{line[:100]}”, is not owner/repository or an organisation name.")
        if errors:
            raise forms.ValidationError(errors[:5])
        if len(entries) > MAX_REPOSITORY_LINES:
            raise forms.ValidationError(
                f"List at most {MAX_REPOSITORY_LINES} repositories or organisations; name an organisation "
                "to take all of its repositories."
            )
        return [entries[key] for key in sorted(entries)]


class GitHubSettingsForm(ProviderSettingsForm):
    base_url = BaseUrlField(
        label="API base URL",
        initial=lambda: settings.GITHUB_API_URL,
        help_text="https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3.",
    )
    repositories = RepositoryListField(
        label="Repositories",
        required=False,
        help_text="One a line: owner/repository, or an organisation's name for all of its repositories. "
        f"At most {MAX_REPOSITORY_LINES} lines. Empty: every repository each person's token can see.",
    )

    field_order = ["base_url", "repositories"]

    def clean_base_url(self) -> str:
        try:
            return normalise_base_url(self.cleaned_data["base_url"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
