import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def company_menu_labels(response):
    return [item.label for item in response.context["company_menu"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", ["Company Integrations", "Your Integration"]),
        ("admin", ["Company Integrations", "Your Integration"]),
        ("manager", ["Your Integration"]),
        ("user", ["Your Integration"]),
    ],
)
def test_the_company_menu_offers_company_integrations_only_to_owners_and_admins(client_for, members, role, expected):
    response = client_for(members[role]).get(reverse("dashboard"))

    assert company_menu_labels(response) == expected
    html = response.content.decode()
    assert 'id="company-menu"' in html and "Acme Corp" in html
    assert ("Company Integrations" in html) == ("Company Integrations" in expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "owner",
            ["Dashboard", "Reports", "Members", "Audit log", "Company settings", "Desktop app", "Your preferences"],
        ),
        (
            "admin",
            ["Dashboard", "Reports", "Members", "Audit log", "Company settings", "Desktop app", "Your preferences"],
        ),
        ("manager", ["Dashboard", "Reports", "Members", "Desktop app", "Your preferences"]),
        ("user", ["Dashboard", "Reports", "Desktop app", "Your preferences"]),
    ],
)
def test_the_left_menu_shows_what_the_role_may_open(client_for, members, role, expected):
    response = client_for(members[role]).get(reverse("dashboard"))

    assert [item.label for item in response.context["left_menu"]] == expected


def test_the_logo_is_shown_at_the_top_of_the_menu_once_uploaded(client_for, owner, company):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    png = buffer.getvalue()
    client = client_for(owner)
    client.post(
        reverse("companies:settings"),
        {"name": "Acme Corp", "time_zone": "UTC", "logo": SimpleUploadedFile("logo.png", png, "image/png")},
    )

    company.refresh_from_db()
    assert company.logo.name.startswith("company-logos/")
    assert 'src="/company/logo/?v=' in client.get(reverse("dashboard")).content.decode()
    served = client.get(reverse("companies:logo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    stored = Image.open(BytesIO(b"".join(served.streaming_content)))
    assert (stored.format, stored.size) == ("PNG", (8, 8))  # re-encoded, same picture


def test_a_company_without_a_logo_shows_its_initials(client_for, member):
    html = client_for(member).get(reverse("dashboard")).content.decode()

    assert '<span class="logo-initials" aria-hidden="true">AC</span>' in html
    assert client_for(member).get(reverse("companies:logo")).status_code == 404


def test_a_person_in_two_companies_switches_between_them(client_for, member, outsider):
    from tests.factories import MembershipFactory

    second = MembershipFactory(company=outsider.company, user=member.user)
    client = client_for(member)
    assert "Globex" in client.get(reverse("dashboard")).content.decode()

    client.post(reverse("companies:switch", args=[second.code]))

    assert client.get(reverse("dashboard")).context["company"] == outsider.company


def test_nobody_switches_into_a_company_they_do_not_belong_to(client_for, member, outsider):
    client = client_for(member)

    response = client.post(reverse("companies:switch", args=[outsider.code]))

    assert response.status_code == 404
    assert client.get(reverse("dashboard")).context["company"] == member.company
