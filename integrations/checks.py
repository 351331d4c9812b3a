from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def check_stored_tokens_decrypt(app_configs, databases=None, **kwargs):
    """`manage.py check --database default` (and `migrate`) fail when the configured keys cannot
    decrypt the stored tokens, instead of the first sync failing later."""
    if not databases:
        return []
    from .crypto import UndecryptableSecret
    from .models import CompanyIntegration, UserIntegration

    errors = []
    for model in (CompanyIntegration, UserIntegration):
        try:
            sample = model.objects.exclude(token_last4="").only("token").first()
        except UndecryptableSecret:
            errors.append(
                Error(
                    f"Stored {model._meta.verbose_name} tokens cannot be decrypted with FIELD_ENCRYPTION_KEYS.",
                    hint="Put back the key they were encrypted with (after the new key), then run "
                    "`manage.py rotate_encryption_keys`.",
                    id="integrations.E001",
                )
            )
        except DatabaseError:
            return []  # not migrated yet
        else:
            del sample
    return errors
