"""Creating a desktop app token posts, then redirects: the token is shown once on the page the
redirect leads to, never in a URL, and reloading creates no second token. Every other form of the
tracking pages redirects after its POST too."""

import re

import pytest
from django.urls import reverse

from tracking.models import AppToken, TimeEntry
from tracking.services.app_tokens import hash_token
from tracking.views import NEW_TOKEN_SESSION_KEY

from .entry_helpers import entry, frozen_now, manual_on

pytestmark = pytest.mark.django_db
__all__ = ["frozen_now", "manual_on"]
TOKENS = reverse("api-tokens")


def shown_token(html):
    found = re.search(r'class="new-token">([^<]+)<', html)
    return found.group(1) if found else None


def test_creating_a_token_redirects_and_reloading_creates_no_second_one(client_for, member):
    client = client_for(member)

    created = client.post(TOKENS, {"name": "Work laptop"})
    shown = client.get(created.url)
    reloaded = client.get(created.url)

    raw = shown_token(shown.content.decode())
    assert created.status_code == 302 and created.url == TOKENS
    assert AppToken.objects.count() == 1 and AppToken.objects.get().token_hash == hash_token(raw)
    assert shown_token(reloaded.content.decode()) is None and "Work laptop" in reloaded.content.decode()


def test_the_raw_token_is_never_in_a_url_and_leaves_the_session_once_shown(client_for, member):
    client = client_for(member)

    created = client.post(TOKENS, {"name": "Laptop"})
    waiting = dict(client.session).get(NEW_TOKEN_SESSION_KEY)
    shown = client.get(created.url)

    raw = shown_token(shown.content.decode())
    assert raw and raw.startswith("tdk_") and raw not in created.url and raw not in created.content.decode()
    assert waiting["raw"] == raw and NEW_TOKEN_SESSION_KEY not in client.session
    assert "no-store" in shown["Cache-Control"]


def test_the_new_token_is_shown_only_in_the_company_it_was_created_for(client_for, member):
    from companies.tenancy import SESSION_KEY
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(user=member.user, role="user")
    client = client_for(member)
    client.post(TOKENS, {"name": "Laptop"})
    session = client.session
    session[SESSION_KEY] = str(elsewhere.code)  # switched company before the page was shown
    session.save()

    assert shown_token(client.get(TOKENS).content.decode()) is None


def test_a_name_too_long_is_refused_in_place_and_creates_nothing(client_for, member):
    response = client_for(member).post(TOKENS, {"name": "x" * 101})

    assert response.status_code == 400 and not AppToken.objects.exists()
    assert "at most 100 characters" in response.content.decode()


def test_every_tracking_form_redirects_after_its_post(client_for, member, frozen_now, manual_on):
    """Without htmx, each POST of the tracking pages answers a redirect, so a reload never repeats it."""
    mine = entry(member, "08:00", "09:00")
    client = client_for(member)
    token = AppToken.objects.create(membership=member, name="Old", token_hash="0" * 64, prefix="tdk_0000")
    posts = [
        (reverse("timer-start"), {"task": ""}),
        (reverse("timer-stop"), {}),
        (reverse("manual-entry"), {"task": "", "date": "2025-03-06", "start": "06:00", "end": "07:00"}),
        (
            reverse("edit-entry", args=[mine.code]),
            {"started_at": "2025-03-06T08:00", "ended_at": "2025-03-06T09:30", "task": "", "note": ""},
        ),
        (reverse("delete-entry", args=[mine.code]), {}),
        (reverse("restore-entry", args=[mine.code]), {}),
        (TOKENS, {"name": "New"}),
        (reverse("revoke-api-token", args=[token.code]), {}),
    ]

    answers = [(url, client.post(url, data).status_code) for url, data in posts]

    assert answers == [(url, 302) for url, _ in posts]
    assert TimeEntry.objects.live().count() == 3
