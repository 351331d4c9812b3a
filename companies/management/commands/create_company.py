import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from companies import services


class Command(BaseCommand):
    help = "Creates a company and its owner, without prompts (for scripts and self-hosters)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Company name")
        parser.add_argument("--slug", help="Company address (default: derived from the name)")
        parser.add_argument("--time-zone", default="UTC")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--owner-password", help="Default: a random password, printed once")

    def handle(self, *args, **options):
        password = options["owner_password"] or secrets.token_urlsafe(12)
        try:
            owner = services.create_company(
                name=options["name"],
                slug=options["slug"] or slugify(options["name"])[:60],
                time_zone=options["time_zone"],
                owner_name=options["owner_name"] or options["owner_email"],
                owner_email=options["owner_email"],
                owner_password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        created = f"Created {owner.company} ({owner.company.slug}) owned by {owner.user.email}"
        self.stdout.write(self.style.SUCCESS(created))
        if not options["owner_password"]:
            self.stdout.write(f"Owner password: {password}")
