"""Today's total keeps ticking in the person's unit (static/js/durations.js), in a real browser."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tracking.models import TimeEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("duration_format", "shape"), [("hm", r"\d+:\d\d h"), ("decimal", r"\d+\.\d\d h")])
def test_todays_running_total_ticks_in_the_persons_unit(live_server, member, browser, duration_format, shape):
    member.user.duration_format = duration_format
    member.user.save()
    now = timezone.now()
    TimeEntry.objects.create(
        company=member.company, membership=member, source="web", started_at=now - timedelta(minutes=3)
    )
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", member.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-duration-since]")

    page.wait_for_timeout(1500)  # a tick or two

    total = page.inner_text("[data-duration-since]")
    assert re.fullmatch(shape, total), total
    assert "min" not in total and errors == []
