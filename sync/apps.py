from django.apps import AppConfig


class SyncConfig(AppConfig):
    """The sync engine: runs, cursors and claims, the Celery tasks, webhooks, and the status pages
    show. It sits above `integrations` and `tracking` and talks to providers only through
    `integrations.providers.base.Provider`."""

    name = "sync"
    verbose_name = "Sync"

    def ready(self):
        from . import receivers, tasks  # noqa: F401 - listens for integrations being switched on; registers tasks
