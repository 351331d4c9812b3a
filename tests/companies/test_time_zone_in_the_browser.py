"""static/js/timezone.js in a real browser (Debian's Chromium, Playwright) against a live server:
sign-up picks the browser's zone (an alias the browser reports finds its canonical name), the list
is searchable, UTC stays without JavaScript, and Your preferences offers the browser's zone."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(browser, url, **context):
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.goto(url)
    return page


def chosen(page):
    return page.eval_on_selector("select[name=time_zone]", "select => select.value")


# Chromium reports the last three by their older names (Asia/Calcutta, America/Buenos_Aires, Europe/Kiev),
# which the list does not offer: the script finds the canonical name the browser takes for the same zone.
@pytest.mark.parametrize(
    "browser_zone", ["Europe/Madrid", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Europe/Kyiv"]
)
def test_sign_up_pre_selects_the_browsers_time_zone(browser, live_server, browser_zone):
    page = open_page(browser, live_server.url + reverse("signup"), timezone_id=browser_zone)

    page.wait_for_function("document.querySelector('.time-zone-search')")

    assert chosen(page) == browser_zone
    assert page.errors == []  # the CSP let the script run, and it did not fail


def test_typing_a_country_in_the_search_box_narrows_the_list(browser, live_server):
    page = open_page(browser, live_server.url + reverse("signup"), timezone_id="UTC")

    page.fill(".time-zone-search", "norway")

    visible = page.eval_on_selector_all(
        "select[name=time_zone] option:not([hidden])", "options => options.map(option => option.value)"
    )
    assert visible == ["Europe/Oslo"] and chosen(page) == "Europe/Oslo"


def test_without_javascript_sign_up_offers_utc(browser, live_server):
    page = open_page(browser, live_server.url + reverse("signup"), timezone_id="Asia/Tokyo", java_script_enabled=False)

    assert chosen(page) == "UTC"


def test_your_preferences_offer_the_browsers_zone_without_choosing_it(browser, live_server, member):
    page = open_page(browser, live_server.url + reverse("login"), timezone_id="Asia/Tokyo")
    page.fill("input[name=username]", member.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("companies:preferences"))

    hint = page.locator("[data-browser-zone-hint]")
    hint.wait_for()

    assert chosen(page) == "" and "Tokyo, Japan" in hint.inner_text()
    page.click("[data-use-browser-zone]")
    page.check("input[name=duration_format][value=hm]")
    with page.expect_navigation():
        page.click("#preferences button[type=submit]")
    assert "Your preferences are saved." in page.content()
    member.user.refresh_from_db()
    assert (member.user.time_zone, member.user.duration_format) == ("Asia/Tokyo", "hm")
    assert page.errors == []


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user__email="ana@acme.example", user__full_name="Ana Ruiz")
