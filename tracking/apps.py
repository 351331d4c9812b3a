from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Time tracking"

    def ready(self):
        from .reports.csv_sql import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="tracking-sqlite-functions")
