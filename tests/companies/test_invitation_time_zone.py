"""A newcomer who joins by invitation says where they are (their browser's zone is pre-selected):
times are then shown in their zone; the company's zone, or none, means they follow the company's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Membership
from companies.services import invite_member

pytestmark = pytest.mark.django_db
NEW_PERSON = {
    "full_name": "Ben Okafor",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@pytest.fixture
def link(owner, company):
    company.time_zone = "Europe/Madrid"
    company.save()
    _, raw = invite_member(company, email="ben@acme.example", role="user", invited_by=owner)
    return reverse("accept-invitation", args=[raw])


def joined():
    return Membership.objects.select_related("user").get(user__email="ben@acme.example")


def test_the_invitation_page_asks_the_browser_for_the_newcomers_zone(link):
    html = Client().get(link).content.decode()

    assert re.search(r'<select name="time_zone"[^>]* data-detect-browser-zone', html)
    assert '<option value="" selected>Same as Acme Corp (Europe/Madrid)</option>' in html
    assert '<script src="/static/js/timezone.js" defer></script>' in html


def test_a_newcomer_elsewhere_keeps_their_zone(link):
    Client().post(link, {**NEW_PERSON, "time_zone": "America/Bogota"})

    assert joined().user.time_zone == "America/Bogota"


@pytest.mark.parametrize("time_zone", ["Europe/Madrid", ""])
def test_a_newcomer_in_the_companys_zone_follows_the_company(link, time_zone):
    Client().post(link, {**NEW_PERSON, "time_zone": time_zone})

    assert joined().user.time_zone == ""


def test_a_zone_that_does_not_exist_is_refused_and_nobody_joins(link):
    response = Client().post(link, {**NEW_PERSON, "time_zone": "Mars/Olympus"})

    assert response.status_code == 200 and "time_zone" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="ben@acme.example").exists()
