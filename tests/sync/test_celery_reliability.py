"""Celery is set up so that a killed worker loses nothing and nothing runs twice by accident."""

from django.conf import settings

from sync.tasks import retry_countdown, sync_user_integration
from timedoctor.celery import app

# Redis redelivers an unacknowledged message after this long; what we configure for Redis.
REDIS_VISIBILITY_TIMEOUT = 60 * 60


def test_tasks_are_acknowledged_late_and_requeued_when_the_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_time_limits_and_retry_delays_stay_below_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", REDIS_VISIBILITY_TIMEOUT)
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility
    # A retry is a new message with an ETA: Redis would redeliver it early if the ETA passed visibility.
    assert settings.SYNC_RETRY_BACKOFF_CAP_SECONDS < visibility
    assert (
        max(retry_countdown(retries) for retries in range(settings.SYNC_MAX_RETRIES + 1))
        <= settings.SYNC_RETRY_BACKOFF_CAP_SECONDS
    )
    # A claim held by a live sync is refreshed after every page, well before it is called stale.
    slowest_page = (
        settings.PIVOTAL_TIMEOUT_SECONDS * settings.PIVOTAL_MAX_ATTEMPTS
        + settings.PIVOTAL_RETRY_CAP_SECONDS * (settings.PIVOTAL_MAX_ATTEMPTS - 1)
    )
    assert slowest_page < settings.SYNC_LOCK_STALE_SECONDS < app.conf.task_time_limit


def test_retries_back_off_exponentially_with_jitter_and_honour_retry_after():
    early = [retry_countdown(0) for _ in range(50)]
    later = [retry_countdown(4) for _ in range(50)]

    assert max(early) <= 4 and min(later) >= 32 and len(set(early)) > 1
    assert retry_countdown(0, retry_after=90) >= 90


def test_the_sync_task_gives_up_after_a_bounded_number_of_retries():
    assert sync_user_integration.max_retries == settings.SYNC_MAX_RETRIES <= 10


def test_task_messages_are_json_so_they_carry_ids_not_objects():
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
