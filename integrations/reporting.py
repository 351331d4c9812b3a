import re

from django.views.debug import SafeExceptionReporterFilter


class SecretSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Keeps tokens out of error pages and error emails.

    Django already hides settings with secret-looking names and the POST parameters views mark as
    sensitive; this also hides every POST field named like a token, and every local variable of the
    frames where a provider token can live (our integration code and the HTTP libraries)."""

    # Django's own pattern (it also masks request headers such as HTTP_AUTHORIZATION, which carries
    # desktop app tokens), plus the settings whose values hold credentials under other names.
    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern + "|MAILERS|DATABASE", flags=re.I)
    SENSITIVE_MODULES = ("integrations.", "requests.", "urllib3.", "http.client")

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters or not hasattr(parameters, "copy"):
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if "token" in name.lower():
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        module = tb_frame.f_globals.get("__name__", "")
        if module.startswith(self.SENSITIVE_MODULES):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
