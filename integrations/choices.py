"""Choices shared by the models and their querysets (managers.py), which models.py imports."""

from django.db import models


class Status(models.TextChoices):
    OK = "ok", "Working"
    TOKEN_REJECTED = "token_rejected", "Token rejected"
    ERROR = "error", "Error"
