from django.core.management.base import BaseCommand
from django.db import transaction

from companies.models import Company, Membership, User
from integrations.providers.github.emulator.demo_data import DEMO_USERS_BY_LOGIN
from integrations.providers.pivotal.emulator.demo_data import DEMO_COMPANY_PEOPLE, DEMO_PEOPLE

DEMO_PASSWORD = "acme-demo-2026"
MANAGED_BY_MAYA = ("ana@acme.example", "ben@acme.example")


class Command(BaseCommand):
    help = (
        "Creates the demo company Acme Corp with an owner, an admin, a manager and three users whose emails "
        "match the emulators' demo people (Pivotal and GitHub), then prints how to sign in and each "
        "person's demo tokens. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password of every demo account")
        parser.add_argument("--pivotal-url", default="", help="Shown next to the tokens (the emulator's URL)")
        parser.add_argument("--github-url", default="", help="Shown next to the tokens (the emulator's URL)")

    @transaction.atomic
    def handle(self, *args, password, pivotal_url, github_url="", **options):
        company, _ = Company.objects.get_or_create(
            slug="acme", defaults={"name": "Acme Corp", "time_zone": "Europe/Madrid"}
        )
        memberships = {}
        for person in DEMO_COMPANY_PEOPLE:
            user = User.objects.filter(email__iexact=person.email).first() or User(email=person.email)
            user.full_name = person.name
            user.set_password(password)
            user.save()
            memberships[person.email], _ = Membership.objects.update_or_create(
                company=company, user=user, defaults={"role": person.role, "is_active": True}
            )
        maya = memberships["manager@acme.example"]
        for email in MANAGED_BY_MAYA:
            memberships[email].managers.add(maya)
        self._print_sign_in_details(company, password, pivotal_url, github_url)

    def _print_sign_in_details(self, company, password, pivotal_url, github_url):
        write = self.stdout.write
        write(self.style.SUCCESS(f"\nDemo company “{company.name}” is ready. Every account's password: {password}\n"))
        write(f"{'Role':<8} {'Name':<14} {'Email':<24} {'Pivotal API token':<34} GitHub personal access token")
        for person in DEMO_PEOPLE:
            role = person.role or "-"
            github = DEMO_USERS_BY_LOGIN.get(person.username)
            write(
                f"{role:<8} {person.name:<14} {person.email:<24} {person.api_token:<34} "
                f"{github.token if github else '-'}"
            )
        write("\nPaste a token in Company Integrations (owner or admin) or Your Integration (everyone).")
        write("Sam Stranger is not in the company: paste his token to see the wrong-account guard.")
        if pivotal_url:
            write(f"Pivotal Tracker emulator: {pivotal_url}")
        if github_url:
            write(f"GitHub emulator (the default API base URL of the GitHub page here): {github_url}")
