"""The company's Pivotal installation settings."""

from ..settings_forms import BaseUrlField, ProviderSettingsForm


class PivotalSettingsForm(ProviderSettingsForm):
    base_url = BaseUrlField(
        label="API base URL",
        help_text="Pivotal Tracker's API v5, or a Pivotal-compatible server's (the emulator's, for instance).",
    )

    field_order = ["base_url"]
