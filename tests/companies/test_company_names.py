"""Names go into email headers and CSV cells: control characters (line breaks, tabs…) are refused in
company and person names, by the settings page, the invitation page and the commands alike."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from companies.models import Company

pytestmark = pytest.mark.django_db
SETTINGS = reverse("companies:settings")


@pytest.mark.parametrize(
    "name", ["Acme\r\nBcc: everyone@example.com", "Acme\nCorp", "Acme\tCorp", "Acme\x00", "Acme\u2028Corp"]
)
def test_the_settings_page_refuses_a_company_name_with_control_characters(client_for, admin, company, name):
    response = client_for(admin).post(SETTINGS, {"name": name, "time_zone": "UTC"})

    assert response.status_code == 200 and "no line breaks" in response.content.decode()
    company.refresh_from_db()
    assert company.name == "Acme Corp"


def test_names_in_any_script_with_punctuation_are_kept(client_for, admin, company):
    client_for(admin).post(SETTINGS, {"name": "Müller & Söhne — 東京 (Ελλάς) کاری‌ها", "time_zone": "UTC"})

    company.refresh_from_db()
    assert company.name == "Müller & Söhne — 東京 (Ελλάς) کاری‌ها"


def test_only_admins_change_the_name_and_an_outsider_changes_only_their_own(
    client_for, member, outsider, company, other_company
):
    assert client_for(member).post(SETTINGS, {"name": "Hacked", "time_zone": "UTC"}).status_code == 403
    client_for(outsider).post(SETTINGS, {"name": "Globex Two", "time_zone": "UTC"})

    company.refresh_from_db()
    other_company.refresh_from_db()
    assert company.name == "Acme Corp" and other_company.name == "Globex Two"


def test_the_commands_refuse_control_characters_too(company):
    with pytest.raises(CommandError, match="no line breaks"):
        call_command("create_company", "--name", "Initech\r\nX", "--owner-email", "boss@initech.example")
    with pytest.raises(CommandError, match="no line breaks"):
        call_command(
            "add_member", "--company", "acme", "--email", "dev@acme.example", "--role", "user", "--name", "Dev\nOps"
        )
    assert not Company.objects.filter(slug="initech-x").exists()
