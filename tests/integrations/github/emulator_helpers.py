"""Names from the GitHub emulator's demo data, for the provider's tests."""

from integrations.providers.github.emulator import DEMO_USERS

USERS = {user.login: user for user in DEMO_USERS}
WEB, MOBILE, BILLING = "acme-corp/web-app", "acme-corp/mobile-app", "acme-corp/billing-api"
