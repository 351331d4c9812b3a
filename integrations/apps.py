from django.apps import AppConfig
from django.conf import settings


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        from . import checks, crypto, registry  # noqa: F401 - registers the system checks

        registry.load()
        # Fail at start-up, not at the first token, when a key is malformed.
        crypto.build_fernet(settings.FIELD_ENCRYPTION_KEYS)
