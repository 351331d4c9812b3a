from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.models import CompanyIntegration, PendingLink, UserIntegration


class Command(BaseCommand):
    help = (
        "Re-encrypts every stored token with the newest key (the first of FIELD_ENCRYPTION_KEYS). "
        "Afterwards the older keys can be removed from FIELD_ENCRYPTION_KEYS."
    )

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in (CompanyIntegration, UserIntegration):
                # Reading decrypts with whichever key fits; saving encrypts with the newest.
                for row in model.objects.select_for_update().exclude(token_last4="").only("pk", "token"):
                    row.save(update_fields=["token"])
                    total += 1
            # Tokens waiting for a confirmation (15 minutes at most): the expired ones go.
            PendingLink.objects.expired().delete()
            for row in PendingLink.objects.select_for_update().only("pk", "token"):
                row.save(update_fields=["token"])
                total += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} token(s) with the newest key."))
