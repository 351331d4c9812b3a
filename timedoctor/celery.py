"""The Celery application. Settings come from Django's settings under the CELERY_ prefix.

A task is treated as Django treats a request: before and after it, database connections that are
broken, or older than CONN_MAX_AGE, are closed (`close_old_connections`), and the others are kept
for the next task (see CELERY_DB_REUSE_MAX in settings). Eager tasks run inside their caller's
request or test, whose connection is left alone.

Each worker process freezes what it inherited at start (`gc.freeze()`, as timedoctor/wsgi.py does for
the web): the garbage collector's full passes during a sync then scan the sync's objects only.
"""

import gc
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timedoctor.settings")

app = Celery("timedoctor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(task=None, **kwargs):
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_process_init.connect
def freeze_long_lived_objects(**kwargs):
    gc.collect()
    gc.freeze()
