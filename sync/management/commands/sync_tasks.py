from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from integrations import registry
from integrations.models import UserIntegration

from ...models import SyncRun
from ...tasks import sync_user_integration


class Command(BaseCommand):
    help = (
        "Syncs a provider's items into tasks now, in the foreground, with the same code the Celery workers "
        "run: for one person (--email) or every active person of a company, for one provider or all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Company slug")
        parser.add_argument(
            "--provider",
            choices=[provider.id for provider in registry.all()],
            help="Only this provider (default: every provider the company has on)",
        )
        parser.add_argument("--email", help="Only this member")

    def handle(self, *args, company, provider, email, **options):
        company_row = Company.objects.filter(slug=company).first()
        if company_row is None:
            raise CommandError(f"No company with the address “{company}”.")
        personals = (
            UserIntegration.objects.for_company(company_row)
            .active()
            .select_related("membership__user", "company_integration")
        )
        if provider:
            personals = personals.filter(company_integration__provider=provider)
        if email:
            personals = personals.filter(membership__user__email__iexact=email)
        if not personals:
            raise CommandError(
                "Nobody to sync: no active integration matches "
                "(is the company integration on, and the person's switch ON?)."
            )
        for personal in personals:
            outcome = sync_user_integration.apply(args=[personal.pk, SyncRun.Trigger.COMMAND]).get()
            run = personal.sync_runs.first()
            line = f"{personal.membership.user.email} ({personal.company_integration.provider}): {outcome}"
            if run:
                line += f" (new {run.created_count}, updated {run.updated_count}, closed {run.closed_count})"
                if run.error:
                    line += f" — {run.error}"
            self.stdout.write(line)
