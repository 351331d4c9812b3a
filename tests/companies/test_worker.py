from datetime import timedelta

import pytest
from django.utils import timezone

from companies.models import Invitation
from companies.tasks import purge_expired_invitations
from tests.worker import running_worker, wait_until
from timedoctor.celery import app as celery_app


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_the_hourly_invitation_purge(owner):
    old = timezone.now() - timedelta(days=30)
    Invitation.objects.create(company=owner.company, email="late@acme.example", token_hash="a" * 64, expires_at=old)
    fresh = Invitation.objects.create(
        company=owner.company,
        email="soon@acme.example",
        token_hash="b" * 64,
        expires_at=timezone.now() + timedelta(days=3),
    )

    with running_worker():
        purge_expired_invitations.delay()
        wait_until(
            lambda: not Invitation.objects.filter(email="late@acme.example").exists(),
            timeout=60,
            message="the worker to purge the expired invitation",
        )

    assert list(Invitation.objects.all()) == [fresh]


@pytest.mark.django_db
def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()

    for name, entry in celery_app.conf.beat_schedule.items():
        assert entry["task"] in celery_app.tasks, name
