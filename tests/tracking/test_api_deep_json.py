"""JSON nested deeper than the bound (timedoctor/json_limits.py) is a 400 with the API's error body,
never a RecursionError (500); ordinary nesting still parses."""

import json

import pytest
from django.urls import NoReverseMatch, reverse

from timedoctor import json_limits
from tracking.models import TimeEntry

from .api_helpers import api_client, item

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000 + "]" * 100_000
JUST_TOO_DEEP = '{"entries": [' + "[" * 40 + "]" * 40 + "]}"


@pytest.mark.parametrize("url", [reverse("api:upload"), reverse("api:timer-start")])
@pytest.mark.parametrize("body", [DEEP, '{"entries": ' + DEEP + "}", JUST_TOO_DEEP])
def test_deeply_nested_json_is_a_400_with_the_api_error_body(member, url, body):
    response = api_client(member).post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "json_too_deep"
    assert "nested more than 32 levels" in response.json()["error"]["message"]
    assert not TimeEntry.objects.exists()


def test_deep_json_in_an_entry_change_is_a_400(member, settings):
    member.company.allow_manual_time = True
    member.company.save()
    client = api_client(member)
    entry_id = client.post(reverse("api:upload"), {"entries": [item()]}, format="json").json()["results"][0]["id"]

    response = client.patch(
        reverse("api:entry", args=[entry_id]), '{"note": ' + DEEP + "}", content_type="application/json"
    )

    assert response.status_code == 400 and response.json()["error"]["code"] == "json_too_deep"


def test_an_ordinary_batch_still_parses(member):
    body = json.dumps({"entries": [item(), item(start_minutes_ago=60)]})

    response = api_client(member).post(reverse("api:upload"), body, content_type="application/json")

    assert response.status_code == 200 and response.json()["created"] == 2


def test_malformed_json_keeps_its_own_code(member):
    response = api_client(member).post(reverse("api:upload"), '{"entries": [', content_type="application/json")

    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"


def test_the_loader_refuses_too_deep_documents_with_a_value_error():
    assert json_limits.loads("[" * 32 + "]" * 32) is not None
    for text in ("[" * 33 + "]" * 33, DEEP, '{"a": ' * 50 + "1" + "}" * 50):
        with pytest.raises(ValueError, match="nested more than 32 levels"):
            json_limits.loads(text)


def webhook_url(*args):
    for name in ("sync:webhook",):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise NoReverseMatch("no webhook URL")


def test_deeply_nested_json_on_the_webhook_is_a_400(client, company):
    from integrations.models import CompanyIntegration

    integration = CompanyIntegration.objects.create(
        company=company, provider="pivotal", is_enabled=True, token="t" * 32, token_last4="tttt"
    )

    response = client.post(webhook_url("pivotal", integration.webhook_secret), DEEP, content_type="application/json")

    assert response.status_code == 400 and "error" in response.json()
