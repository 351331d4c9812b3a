import pytest
from django.core.management import CommandError, call_command

from companies.models import Company, Membership

pytestmark = pytest.mark.django_db


def test_create_company_makes_a_company_and_its_owner_without_prompts(capsys):
    call_command(
        "create_company",
        "--name",
        "Hooli",
        "--owner-email",
        "gavin@hooli.example",
        "--owner-name",
        "Gavin Belson",
        "--owner-password",
        "a-long-unusual-passphrase",
    )

    owner = Membership.objects.get(company__slug="hooli")
    assert owner.role == "owner" and owner.user.check_password("a-long-unusual-passphrase")
    assert "Created Hooli" in capsys.readouterr().out


def test_create_company_prints_a_generated_password_when_none_is_given(capsys):
    call_command("create_company", "--name", "Hooli", "--owner-email", "gavin@hooli.example")

    password = capsys.readouterr().out.split("Owner password: ")[1].strip()
    assert Membership.objects.get().user.check_password(password)


def test_create_company_refuses_a_taken_slug(company):
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_company", "--name", "Acme", "--slug", "acme", "--owner-email", "x@y.example")
    assert Company.objects.count() == 1


def test_add_member_adds_a_person_with_a_role(company, capsys):
    call_command(
        "add_member", "--company", "acme", "--email", "Ben@Acme.example", "--role", "manager", "--name", "Ben Okafor"
    )

    membership = Membership.objects.get(user__email="ben@acme.example")
    assert membership.company == company and membership.role == "manager"
    assert "Password: " in capsys.readouterr().out


def test_add_member_refuses_an_existing_member_and_an_unknown_company(member):
    with pytest.raises(CommandError, match="already a member"):
        call_command("add_member", "--company", "acme", "--email", "ana@acme.example", "--role", "user")
    with pytest.raises(CommandError, match="No company"):
        call_command("add_member", "--company", "nowhere", "--email", "z@z.example", "--role", "user")
    assert Membership.objects.count() == 1
