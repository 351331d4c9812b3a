"""Settings for the time tracking dashboard.

Everything is read from the environment through django-environ. With no environment at all the
project refuses to start (no secret key); `DEBUG=true` unlocks development defaults: a SQLite file,
a broker that needs no server, a development encryption key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# `.env` first, so that it can set everything below, VAR_DIR included (the environment still wins).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = env.path("VAR_DIR", default=BASE_DIR / "var")
VAR_DIR = Path(str(VAR_DIR))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _dev_default(value):
    """A default that only development (DEBUG on) may fall back to."""
    return value if DEBUG else environ.Env.NOTSET


SECRET_KEY = env.str("SECRET_KEY", default=_dev_default("dev-only-insecure-secret-key-change-me"))
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where people reach the dashboard; used for links in emails.
SITE_URL = env.str("SITE_URL", default=_dev_default("http://localhost:8000"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "companies",
    "integrations",
    "tracking",
    "sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "companies.tenancy.CurrentMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "timedoctor.urls"
DEFAULT_EXCEPTION_REPORTER_FILTER = "integrations.reporting.SecretSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "integrations.reporting.SecretSafeExceptionReporter"
WSGI_APPLICATION = "timedoctor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each provider package keeps its own templates (integrations/providers/<id>/templates).
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "integrations" / "providers").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every template can show a time in the reader's zone and a duration in their unit.
            "builtins": ["companies.templatetags.person_tags"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "companies.context_processors.company_shell",
            ],
        },
    },
    {
        # Only the report tables of thousands of rows (tracking/jinja2/, see timedoctor/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "timedoctor.jinja2.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: wait for locks instead of failing,
    # and take the write lock at BEGIN so concurrent writers queue instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "companies.User"
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "companies.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_MAX_AGE = timedelta(days=env.int("INVITATION_MAX_AGE_DAYS", default=7))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
SIGNUP_LINK_MAX_AGE = timedelta(days=2)

# --- Throttling (README, "Security") ---------------------------------------------------------
# The counters live in the cache: in production every web process must share it (CACHE_URL=redis://…).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How many proxies of yours stand in front of the app: the client's address is the one the outermost
# of them saw (X-Forwarded-For), never one the client wrote itself.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0)
# Sign-in (django-axes): an account (from any address), or an address (for any account), with this
# many failures, each less than the cool-off after the one before, is locked out until the cool-off
# has passed since its last failure (trying again while locked out restarts it).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "companies.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "companies.throttling.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True
# The desktop API, per app token and per client address (429 with Retry-After beyond).
API_REQUESTS_PER_MINUTE_PER_TOKEN = env.int("API_REQUESTS_PER_MINUTE_PER_TOKEN", default=120)
API_REQUESTS_PER_MINUTE_PER_IP = env.int("API_REQUESTS_PER_MINUTE_PER_IP", default=1200)
# Emails anyone can ask for, per address and hour: password resets and sign-up links together.
ACCOUNT_EMAILS_PER_HOUR = env.int("ACCOUNT_EMAILS_PER_HOUR", default=3)
INVITATION_EMAILS_PER_HOUR = env.int("INVITATION_EMAILS_PER_HOUR", default=3)
SIGNUPS_PER_HOUR_PER_IP = env.int("SIGNUPS_PER_HOUR_PER_IP", default=5)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
COMPANY_LOGO_MAX_BYTES = 1024 * 1024
# Uploads larger than this (pixels a side) are refused; what is kept is re-encoded to fit the second.
COMPANY_LOGO_MAX_UPLOAD_SIDE = 4096
COMPANY_LOGO_STORED_SIDE = 512


# --- Email ----------------------------------------------------------------------------------
def _mailer_from_url(config):
    """Django 6.1's MAILERS entry from django-environ's EMAIL_URL parsing (smtp://user:pass@host:587)."""
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": config.get("EMAIL_HOST", "localhost"),
            "port": config.get("EMAIL_PORT") or 25,
            "username": config.get("EMAIL_HOST_USER", ""),
            "password": config.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
            "timeout": 10,
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": config.get("EMAIL_FILE_PATH") or str(VAR_DIR / "sent-emails")}
    return {"BACKEND": backend, "OPTIONS": options}


# EMAIL_URL: consolemail:// (prints emails; the default with DEBUG on), smtp+tls://user:password@host:587, filemail:///path
MAILERS = {"default": _mailer_from_url(env.email_url("EMAIL_URL", default=_dev_default("consolemail://")))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Time Doctor <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers -----------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Token encryption -----------------------------------------------------------------------
# Comma-separated Fernet keys, newest first. Only development may fall back to a fixed key.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=_dev_default(["ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="])
)
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must list at least one Fernet key.")

# --- Desktop API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tracking.api.auth.AppTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tracking.api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "tracking.api.throttling.AppTokenRateThrottle",
        "tracking.api.throttling.ClientAddressRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracking.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Time Doctor desktop API",
    "DESCRIPTION": "Tasks from Pivotal Tracker, the timer and offline time uploads for the desktop app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Pivotal Tracker ------------------------------------------------------------------------
PIVOTAL_API_URL = env.str("PIVOTAL_API_URL", default="https://www.pivotaltracker.com/services/v5")
PIVOTAL_TIMEOUT_SECONDS = env.float("PIVOTAL_TIMEOUT_SECONDS", default=10.0)
# In-place retries of one request (429, 5xx, timeouts, garbage) before the Celery task retries later.
PIVOTAL_MAX_ATTEMPTS = env.int("PIVOTAL_MAX_ATTEMPTS", default=3)
PIVOTAL_PAGE_SIZE = env.int("PIVOTAL_PAGE_SIZE", default=500)  # Pivotal's maximum
PIVOTAL_RETRY_BASE_SECONDS = env.float("PIVOTAL_RETRY_BASE_SECONDS", default=1.0)
PIVOTAL_RETRY_CAP_SECONDS = env.float("PIVOTAL_RETRY_CAP_SECONDS", default=30.0)

# --- GitHub ---------------------------------------------------------------------------------
# https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3.
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
GITHUB_TIMEOUT_SECONDS = env.float("GITHUB_TIMEOUT_SECONDS", default=10.0)
# In-place retries of one request (secondary rate limits, 5xx, timeouts, garbage); a primary rate
# limit that resets later than the cap is raised at once, for the Celery task to retry later.
GITHUB_MAX_ATTEMPTS = env.int("GITHUB_MAX_ATTEMPTS", default=3)
GITHUB_RETRY_BASE_SECONDS = env.float("GITHUB_RETRY_BASE_SECONDS", default=1.0)
GITHUB_RETRY_CAP_SECONDS = env.float("GITHUB_RETRY_CAP_SECONDS", default=30.0)

# --- Sync -----------------------------------------------------------------------------------
SYNC_INTERVAL = timedelta(minutes=env.int("SYNC_INTERVAL_MINUTES", default=10))
# Re-read stories updated this long before the cursor, in case clocks or pages disagree.
SYNC_CURSOR_OVERLAP = timedelta(seconds=env.int("SYNC_CURSOR_OVERLAP_SECONDS", default=120))
# A sync task is retried this many times, with exponential backoff and jitter up to the cap.
SYNC_MAX_RETRIES = env.int("SYNC_MAX_RETRIES", default=5)
# A paged read whose pages disagree (the data changed under the offsets) is read again, up to this
# many times in one run; if it never settles, its cursor stays put and a follow-up run is queued.
SYNC_READ_PASSES = env.int("SYNC_READ_PASSES", default=3)
SYNC_RETRY_BACKOFF_CAP_SECONDS = env.int("SYNC_RETRY_BACKOFF_CAP_SECONDS", default=600)
SYNC_RUNS_KEPT = 50
# A running sync refreshes its claim after every page; a claim older than this belongs to a killed
# worker and is taken over by the next run. Above the slowest page (timeout × attempts + waits).
SYNC_LOCK_STALE_SECONDS = env.int("SYNC_LOCK_STALE_SECONDS", default=300)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu's exchange table; without it kombu writes ./control wherever the process started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fix-up closes the database connection before and after every task unless this is
# set (it then closes it every this many tasks): a new PostgreSQL connection, with its backend's
# cold caches, cost every sync more than its own statements. A task is treated as Django treats a
# request instead (timedoctor/celery.py): CONN_MAX_AGE and CONN_HEALTH_CHECKS decide.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "purge-expired-invitations": {
        "task": "companies.tasks.purge_expired_invitations",
        "schedule": timedelta(hours=1),
    },
    "sync-active-integrations": {
        "task": "sync.tasks.sync_all_active_integrations",
        "schedule": SYNC_INTERVAL,
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_webhook_secrets": {"()": "integrations.logging.MaskWebhookSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_webhook_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["mask_webhook_secrets"]},
        "django.server": {"filters": ["mask_webhook_secrets"]},
    },
}
