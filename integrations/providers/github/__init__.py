"""GitHub Issues: client, provider, settings form, webhooks, templates and emulator in one package."""
