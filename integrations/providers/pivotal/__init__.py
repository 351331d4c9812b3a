"""Pivotal Tracker (API v5): client, provider, settings form, webhooks, templates and emulator in one package."""
