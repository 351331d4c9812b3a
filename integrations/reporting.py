"""Keeps secrets (provider tokens, app tokens, webhook secrets, keys) out of error pages and error
emails, Django's debug page included, whatever module the failing frame belongs to.

Names alone are not enough: the ORM holds a token being saved in `values`, `objs`, `self`… So for
each report the secrets in play are first collected, by name (a variable, key or attribute called
like a token, secret or password, at any depth up to a few levels), by type (the plaintext of every
encrypted model field) and from the request and the settings. Then every frame variable that shows
one has it replaced, and the rendered page (HTML or text, exception message and request URL
included) is scrubbed once more, in the raw, repr-escaped, HTML-escaped and URL-quoted spellings.
"""

import copy
import re
import sys
import types
from collections.abc import Mapping
from urllib.parse import quote

from django.conf import LazySettings, settings
from django.db import models
from django.template.defaultfilters import pprint
from django.utils.datastructures import MultiValueDict
from django.utils.functional import LazyObject, empty
from django.utils.html import escape
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .fields import EncryptedTextField

SUBSTITUTE = "********************"
# Shorter strings are not treated as secrets (a 4-character token suffix, an empty password…).
MIN_SECRET_LENGTH = 8
SECRET_NAMES = re.compile(r"token|secret|passw|api_?key|authorization|credential|fernet|signature|cookie", re.I)
# How deep the collector looks inside a value, how many items of one container it reads, and how
# many values it looks at in all for one report.
MAX_DEPTH = 4
MAX_ITEMS = 200
BUDGET = 50_000
SCALARS = (int, float, bool, complex, type(None))
# Looked at for no secret: code, and the settings (their secrets are collected by name below).
NOT_INSPECTED = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
    LazySettings,
)


class _Collector:
    """Finds the secrets that values hold."""

    def __init__(self):
        self.found = set()
        self._seen = {}  # id → value: holding the value keeps its id from being reused meanwhile
        self._budget = BUDGET

    # Types are checked with type(), never isinstance(): isinstance() asks a lazy object for its
    # __class__, which evaluates it (request.user would run a query, in a transaction maybe broken).

    def add(self, value):
        if issubclass(type(value), bytes):
            value = value.decode(errors="ignore")
        if not issubclass(type(value), str):
            return
        parts = value.split()
        # "Bearer <token>", "Token <token>": the credential alone too.
        for candidate in (value, parts[1]) if len(parts) == 2 else (value,):
            if len(candidate) >= MIN_SECRET_LENGTH:
                self.found.add(candidate)

    def secret(self, value, depth=0):
        """Everything in a value found under a secret-looking name."""
        kind = type(value)
        if issubclass(kind, (str, bytes)):
            self.add(value)
        elif depth < MAX_DEPTH and issubclass(kind, (Mapping, list, tuple, set, frozenset)):
            items = value.values() if issubclass(kind, Mapping) else value
            if issubclass(kind, MultiValueDict):
                items = [item for values in value.lists() for item in values[1]]
            for item in list(items)[:MAX_ITEMS]:
                self.secret(item, depth + 1)
        else:
            self.inspect(value, depth)

    def named(self, name, value, depth):
        if type(name) is str and SECRET_NAMES.search(name):
            self.secret(value, depth)
        else:
            self.inspect(value, depth)

    def inspect(self, value, depth=0):
        """Secrets anywhere inside a value: under secret-looking names, or in encrypted fields."""
        if (
            depth > MAX_DEPTH
            or self._budget <= 0
            or issubclass(type(value), (str, bytes, *SCALARS, *NOT_INSPECTED))
            or id(value) in self._seen
        ):
            return
        self._budget -= 1
        self._seen[id(value)] = value
        try:
            self._inspect(value, depth)
        except Exception:  # noqa: BLE001 - a value that breaks on inspection holds nothing we can find
            pass

    def _inspect(self, value, depth):
        kind = type(value)
        if issubclass(kind, LazyObject):  # only what was already evaluated: no query from a report
            wrapped = object.__getattribute__(value, "_wrapped")
            if wrapped is not empty:
                self.inspect(wrapped, depth + 1)
            return
        if issubclass(kind, models.Model):
            for field in value._meta.concrete_fields:
                if issubclass(type(field), EncryptedTextField):
                    self.add(value.__dict__.get(field.attname))
        if issubclass(kind, MultiValueDict):
            for key, values in list(value.lists())[:MAX_ITEMS]:
                self.named(key, values, depth + 1)
        elif issubclass(kind, Mapping):
            for key, item in list(value.items())[:MAX_ITEMS]:
                self.named(key, item, depth + 1)
        elif issubclass(kind, (list, tuple, set, frozenset)):
            for item in list(value)[:MAX_ITEMS]:
                if type(item) is tuple and len(item) == 3 and issubclass(type(item[0]), EncryptedTextField):
                    self.add(item[2])  # the ORM's (field, model, value) triples of an UPDATE
                self.inspect(item, depth + 1)
        else:
            try:
                attributes = object.__getattribute__(value, "__dict__")
            except AttributeError:
                return
            for key, item in list(attributes.items())[:MAX_ITEMS]:
                self.named(key, item, depth + 1)

    def frame(self, frame):
        for name, value in list(frame.f_locals.items()):
            self.named(name, value, 0)


def _setting_secrets():
    values = [
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", []),
        *getattr(settings, "FIELD_ENCRYPTION_KEYS", []),
    ]
    values += [database.get("PASSWORD") for database in settings.DATABASES.values()]
    values += [mailer.get("OPTIONS", {}).get("password") for mailer in getattr(settings, "MAILERS", {}).values()]
    return values


def _frames_of(exception, tb=None):
    """Every frame of an exception's traceback, its causes' and contexts', and their callers."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        current = tb if tb is not None else exception.__traceback__
        tb = None
        if current is not None:
            outer = current.tb_frame.f_back
            while outer is not None:
                yield outer
                outer = outer.f_back
        while current is not None:
            yield current.tb_frame
            current = current.tb_next
        exception = exception.__cause__ or exception.__context__


def collect_secrets(request, frames=()):
    """The secrets a report could show: from the request, the settings and the given frames."""
    collector = _Collector()
    for value in _setting_secrets():
        collector.add(value)
    if request is not None:
        collector.inspect(request)
        meta = getattr(request, "META", {})
        for name in ("HTTP_AUTHORIZATION", "HTTP_X_TRACKERTOKEN", "HTTP_COOKIE"):
            collector.add(meta.get(name))
        match = getattr(request, "resolver_match", None)
        for name, value in (getattr(match, "kwargs", None) or {}).items():
            collector.named(name, value, 0)
    for frame in frames:
        collector.frame(frame)
    return frozenset(collector.found)


def _spellings(secret):
    quoted = repr(secret)[1:-1]
    return {secret, quoted, escape(secret), escape(quoted), quote(secret, safe="")}


def redact(text, secrets):
    """`text` with every spelling of every secret replaced by the substitute."""
    for secret in sorted(secrets, key=len, reverse=True):
        for spelling in _spellings(secret):
            if spelling and spelling in text:
                text = text.replace(spelling, SUBSTITUTE)
    return text


class _Shown:
    """A frame variable as the page shows it (already redacted): its repr is that text."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class SecretSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Keeps tokens out of error pages and error emails.

    Django already hides settings with secret-looking names and the POST parameters views mark as
    sensitive; this also hides every POST field named like a token, every local variable of the
    frames where a provider token lives (our integration code and the HTTP libraries), and, in every
    other frame of any module, each variable named like a secret or showing a known secret."""

    # Django's own pattern (it also masks request headers such as HTTP_AUTHORIZATION, which carries
    # desktop app tokens), plus the settings whose values hold credentials under other names.
    hidden_settings = re.compile(SafeExceptionReporterFilter.hidden_settings.pattern + "|MAILERS|DATABASE", flags=re.I)
    SENSITIVE_MODULES = ("integrations.", "requests.", "urllib3.", "http.client")
    cleansed_substitute = SUBSTITUTE
    # Set by SecretSafeExceptionReporter for one report; otherwise found frame by frame.
    known_secrets = None

    def for_report(self, secrets):
        bound = copy.copy(self)
        bound.known_secrets = frozenset(secrets)
        return bound

    def secrets_for(self, request, tb_frame):
        if self.known_secrets is not None:
            return self.known_secrets
        frames = [tb_frame, *_ancestors(tb_frame), *_frames_of(sys.exception())]
        return collect_secrets(request, frames)

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters or not hasattr(parameters, "copy"):
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if SECRET_NAMES.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        module = tb_frame.f_globals.get("__name__", "")
        if module.startswith(self.SENSITIVE_MODULES):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        secrets = self.secrets_for(request, tb_frame)
        shown: list[tuple[str, object]] = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if SECRET_NAMES.search(name):
                shown.append((name, self.cleansed_substitute))
            elif isinstance(value, str) and value == self.cleansed_substitute:
                shown.append((name, value))
            else:
                shown.append((name, _Shown(redact(pprint(value), secrets))))
        return shown


def _ancestors(frame):
    frame = frame.f_back
    while frame is not None:
        yield frame
        frame = frame.f_back


class SecretSafeExceptionReporter(ExceptionReporter):
    """Django's reporter, with the secrets of this report collected once from every frame of the
    exception chain, and scrubbed from the finished page (HTML and text) as well."""

    def __init__(self, request, exc_type, exc_value, tb, is_email=False):
        super().__init__(request, exc_type, exc_value, tb, is_email=is_email)
        self.secrets = collect_secrets(request, _frames_of(exc_value, tb) if exc_value is not None else ())
        if isinstance(self.filter, SecretSafeExceptionReporterFilter):
            self.filter = self.filter.for_report(self.secrets)

    def get_traceback_html(self):
        return redact(super().get_traceback_html(), self.secrets)

    def get_traceback_text(self):
        return redact(super().get_traceback_text(), self.secrets)
