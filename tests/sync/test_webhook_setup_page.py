"""The company page tells admins how to point each provider's webhook at us: the payload URL, and
for GitHub a signing secret shown once and stored encrypted."""

import pytest
from django.db import connection
from django.urls import reverse

from integrations.models import CompanyIntegration

pytestmark = pytest.mark.django_db


def test_the_github_page_shows_the_payload_url_and_makes_a_secret_shown_only_once(client_for, github_on):
    owner = client_for(github_on["olivia"])
    integration = CompanyIntegration.objects.get(provider="github")
    page = owner.get(reverse("integrations:company-detail", args=["github"])).content.decode()

    made = owner.post(reverse("integrations:company-webhook-secret", args=["github"]))
    later = owner.get(reverse("integrations:company-detail", args=["github"])).content.decode()

    url = reverse("sync:webhook", args=["github", integration.webhook_secret])
    assert url in page and "<code>issues</code>" in page and "Make the secret" in page
    integration.refresh_from_db()
    secret = integration.webhook_signing_secret
    assert made.status_code == 200 and secret and secret in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    assert secret not in later and "never shown again" in later
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT webhook_signing_secret FROM integrations_companyintegration WHERE id = %s", [integration.pk]
        )
        assert secret not in cursor.fetchone()[0]  # encrypted at rest


def test_only_admins_make_a_webhook_secret_and_outsiders_see_nothing(client_for, github_on, outsider):
    member = client_for(github_on["ana"]).post(reverse("integrations:company-webhook-secret", args=["github"]))
    foreign = client_for(outsider).post(reverse("integrations:company-webhook-secret", args=["github"]))

    assert member.status_code == 403
    # The outsider acts on their own company, which has no GitHub integration: nothing of Acme's changes.
    assert foreign.status_code == 302 and not CompanyIntegration.objects.get(provider="github").webhook_signing_secret


def test_pivotal_signs_nothing_so_its_page_offers_no_secret(client_for, pivotal_on):
    owner = client_for(pivotal_on["olivia"])

    page = owner.get(reverse("integrations:company-detail", args=["pivotal"])).content.decode()
    refused = owner.post(reverse("integrations:company-webhook-secret", args=["pivotal"]))

    assert "Project settings → Webhooks" in page and "Make the secret" not in page
    assert refused.status_code == 302 and not CompanyIntegration.objects.get(provider="pivotal").webhook_signing_secret
