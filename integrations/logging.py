import logging
import re

WEBHOOK_SECRET = re.compile(r"(/integrations/webhooks/[\w-]+/)[^/\s\"?]+")


class MaskWebhookSecrets(logging.Filter):
    """Request logs print paths; a webhook's path carries its secret, which stays out of the logs."""

    def filter(self, record):
        message = record.getMessage()
        if "/integrations/webhooks/" in message:
            record.msg, record.args = WEBHOOK_SECRET.sub(r"\1…", message), None
        return True
