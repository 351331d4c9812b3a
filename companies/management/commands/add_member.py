import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies import services
from companies.models import Company, Membership, User


class Command(BaseCommand):
    help = "Adds a person to a company with a role, without prompts. Creates the account if needed."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Company slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Membership.Role.values)
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="For a new account; default: a random password, printed once")

    def handle(self, *args, **options):
        company = Company.objects.filter(slug=options["company"]).first()
        if company is None:
            raise CommandError(f"No company with the address “{options['company']}”.")
        is_new_account = not User.objects.filter(email__iexact=options["email"]).exists()
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            membership = services.add_member(
                company,
                email=options["email"],
                role=options["role"],
                full_name=options["name"] or options["email"],
                password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        added = f"Added {membership.user.email} to {company} as {membership.get_role_display()}"
        self.stdout.write(self.style.SUCCESS(added))
        if is_new_account and not options["password"]:
            self.stdout.write(f"Password: {password}")
