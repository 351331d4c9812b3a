from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from integrations.models import UserIntegration
from tracking.models import SyncRun
from tracking.tasks import sync_user_integration


class Command(BaseCommand):
    help = ("Syncs Pivotal Tracker stories into tasks now, in the foreground, with the same code the Celery "
            "workers run: for one person (--email) or every active person of a company.")

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Company slug")
        parser.add_argument("--email", help="Only this member")

    def handle(self, *args, company, email, **options):
        company_row = Company.objects.filter(slug=company).first()
        if company_row is None:
            raise CommandError(f"No company with the address “{company}”.")
        personals = (UserIntegration.objects.for_company(company_row).active()
                     .filter(company_integration__provider="pivotal").select_related("membership__user"))
        if email:
            personals = personals.filter(membership__user__email__iexact=email)
        if not personals:
            raise CommandError("Nobody to sync: no active Pivotal integration matches "
                               "(is the company integration on, and the person's switch ON?).")
        for personal in personals:
            outcome = sync_user_integration.apply(args=[personal.pk, SyncRun.Trigger.COMMAND]).get()
            run = personal.sync_runs.first()
            line = f"{personal.membership.user.email}: {outcome}"
            if run:
                line += f" (new {run.created_count}, updated {run.updated_count}, closed {run.closed_count})"
                if run.error:
                    line += f" — {run.error}"
            self.stdout.write(line)
