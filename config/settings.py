"""Homecoming's one settings module: every difference between machines is an environment variable.

With no ``DATABASE_URL`` the app uses SQLite beside the code; with no ``REDIS_URL`` Celery tasks
run in-process. Production sets both, ``DEBUG=false``, ``SECRET_KEY``, ``PIN_KEYS`` and
``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.mail import anymail_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-development-key-set-SECRET_KEY-in-production"
    if DEBUG
    else environ.Env.NOTSET,
)
# Rotating SECRET_KEY: put the old one here until nothing sealed with it is left (sessions,
# signed links, and the webhook secrets kept encrypted with a key derived from it).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Relatives' PINs are kept as HMAC-SHA256 under this key, never SECRET_KEY (inquiries/pins.py):
# comma-separated "id:secret" pairs, the current key first, former ones after it until no hash
# uses them. Required when DEBUG is off (`check --deploy` says so; a PIN is never hashed without).
PIN_KEYS = env.list(
    "PIN_KEYS",
    default=["dev:insecure-development-pin-key-set-PIN_KEYS-in-production"] if DEBUG else [],
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "anymail",
    "accounts",
    "captives",
    "exchanges",
    "inquiries",
    "webhooks",
    "demo",
]

MIDDLEWARE = [
    "config.metrics.RequestLatencyMiddleware",  # first: times whatever answers
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.bodies.RequestSizeLimitMiddleware",  # after the session, before any body is read
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.audit.ApiAuditMiddleware",
    "config.queries.SingleValuedQueryMiddleware",  # audited: after ApiAuditMiddleware
    "config.outages.DatabaseOutageMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out login is refused before the rest
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Argon2id at ~80 ms a hash here (accounts/hashers.py); PBKDF2, Django's former default, only
# to check hashes from before, which become Argon2id at their next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.StaffArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", "Українська"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded lists and photos hold personal data: they live outside the web root and no URL serves
# them directly; views that check access stream them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "config.storage.PrivateStorage"},  # random names, 0o600
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Redis: the Celery broker and result store. Without it, tasks run in-process (the demo path).
REDIS_URL = env.str("REDIS_URL", default="")
# gunicorn's master builds the registry's index before forking its workers (``config.warmup``):
# each worker answers its first search at once and shares the index's memory with the others.
# Off for a pool that never searches the registry (the public pages').
WARM_UP_AT_START = env.bool("WARM_UP_AT_START", default=True)
# Where a process that built the registry's index leaves it for the next one to load instead of
# building it (``captives.index_file``): a folder only this application writes; empty: none.
REGISTRY_INDEX_DIR = env.str("REGISTRY_INDEX_DIR", default=str(BASE_DIR / "var" / "index"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Multiplies the public pages' rate limits; only the load benchmark raises it (config/limits.py).
RATE_LIMIT_FACTOR = env.int("RATE_LIMIT_FACTOR", default=1)
# A message taken by a worker that dies unacknowledged is delivered again after this many seconds
# (acks_late tasks); it must outlast the longest task's hard time limit (45 minutes). A lost
# release list does not wait for it: its heartbeat stops and the sweep queues it within a minute.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# Kombu's Redis transport with one repair (config/broker.py): a worker whose broker restarts
# while it runs a task reconnects instead of exiting on an AttributeError. For redis:// only:
# rediss:// (TLS) and sentinel:// keep kombu's own, which choose their connections by the scheme.
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL.startswith("redis://") else None
# A lost connection leaves running tasks running (their state is in PostgreSQL and their claims
# refuse a second delivery meanwhile) rather than killing them, as Celery 6 will by default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # keep trying however long Redis is away
# Each kind of work on a queue of its own, each queue with workers of its own (README, "Web,
# workers and beat"): a partner's webhook receiver that hangs, or an SMS provider, holds only
# the workers of its queue, never those that reconcile lists. The rest (the sweeps, matching
# inquiries) goes to the default queue, "celery".
LISTS_QUEUE, NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE = "lists", "notifications", "webhooks"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "exchanges.tasks.reconcile_release_list_task": {"queue": LISTS_QUEUE},
    "exchanges.tasks.rereconcile_open_rows_task": {"queue": LISTS_QUEUE},
    "inquiries.tasks.send_notification_task": {"queue": NOTIFICATIONS_QUEUE},
    "webhooks.tasks.deliver_webhook_task": {"queue": WEBHOOKS_QUEUE},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # A list whose heartbeat stopped 30 s ago is queued again: a dead job resumes within a
    # minute (exchanges/jobs.py).
    "requeue-stale-release-lists": {
        "task": "exchanges.tasks.requeue_stale_release_lists_task",
        "schedule": 15.0,
    },
    "sweep-orphaned-list-files": {
        "task": "exchanges.tasks.sweep_orphaned_list_files_task",
        "schedule": 3600.0,
    },
    "rematch-open-inquiries": {
        "task": "inquiries.tasks.rematch_open_inquiries_task",
        "schedule": 3600.0,
    },
    "tell-untold-returns": {
        "task": "inquiries.tasks.tell_untold_returns_task",
        "schedule": 3600.0,
    },
    "requeue-due-notifications": {
        "task": "inquiries.tasks.requeue_due_notifications_task",
        "schedule": 60.0,
    },
    "requeue-due-webhook-deliveries": {
        "task": "webhooks.tasks.requeue_due_deliveries_task",
        "schedule": 60.0,
    },
    "purge-expired-idempotency-keys": {
        "task": "accounts.tasks.purge_expired_idempotency_keys_task",
        "schedule": 3600.0,
    },
    "erase-expired-inquiries-daily": {
        "task": "inquiries.tasks.erase_expired_inquiries_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "rereconcile-open-rows-daily": {
        "task": "exchanges.tasks.rereconcile_open_rows_task",
        "schedule": crontab(hour=6, minute=0),
    },
}

# Relatives' messages (README, "Notifications"). E-mail: SMTP with the EMAIL_* settings below, or
# a provider's API through django-anymail (EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend)
# with that provider's settings as ANYMAIL_<PROVIDER>_<SETTING> variables
# (ANYMAIL_POSTMARK_SERVER_TOKEN=…, ANYMAIL_MAILGUN_API_KEY=…; anymail's booleans and numbers
# read as such, tokens and keys kept as text: config/mail.py). SMS: Twilio's REST API
# (SMS_BACKEND=inquiries.sms.twilio_sms) with the TWILIO_* settings, or any function
# (recipient, body) named here. The console backends, the defaults, only print.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
SMS_BACKEND = env.str("SMS_BACKEND", default="inquiries.notifications.console_sms")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))  # file backend
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A message's claim expires after five minutes (config/retries.py), when the sweep hands it to
# another worker: a mail server that hangs must not hold a send that long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Homecoming <noreply@localhost>")
ANYMAIL = anymail_settings(os.environ, requests_timeout=EMAIL_TIMEOUT)
# Twilio: the account, its auth token (or an API key, TWILIO_API_KEY "SK…", and that key's
# secret as TWILIO_AUTH_TOKEN), and our sender: a number in E.164, a Messaging Service "MG…",
# or an alphanumeric sender ID.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_API_KEY = env.str("TWILIO_API_KEY", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_API_URL = env.str("TWILIO_API_URL", default="https://api.twilio.com")
# Seconds to reach the SMS provider, and to wait for its answer once the request is sent: well
# inside the five minutes after which a message's claim expires (config/retries.py).
SMS_CONNECT_TIMEOUT = env.float("SMS_CONNECT_TIMEOUT", default=5.0)
SMS_READ_TIMEOUT = env.float("SMS_READ_TIMEOUT", default=20.0)
# Whom a relative calls or writes to when the status page cannot help (a lock, a lost PIN, news
# that does not come): the tracing service. The default is the demo's (`check --deploy` warns).
TRACING_PHONE = env.str("TRACING_PHONE", default="")
TRACING_EMAIL = env.str("TRACING_EMAIL", default="tracing@homecoming.example")
# Days within which a caseworker contacts a relative who filed: the status page promises it.
TRACING_CALL_BACK_DAYS = env.int("TRACING_CALL_BACK_DAYS", default=10)
# Days after an inquiry is closed, or its person came home, before the relative's name, contact
# data and photo are erased (inquiries/erasure.py; after the ICRC Handbook on Data Protection in
# Humanitarian Action: kept no longer than the tracing needs them).
INQUIRY_RETENTION_DAYS = env.int("INQUIRY_RETENTION_DAYS", default=365)
if INQUIRY_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("INQUIRY_RETENTION_DAYS must be 1 or more.")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Webhooks go to https hosts on the administrators' allow-list only. The tests' local receiver
# is plain http on loopback: this lets it through, and production leaves it off.
WEBHOOKS_ALLOW_HTTP_LOOPBACK = env.bool("WEBHOOKS_ALLOW_HTTP_LOOPBACK", default=False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every view names the scope it needs (accounts.tokens.HasScope); staff hold scopes by role.
    "DEFAULT_PERMISSION_CLASSES": [
        "accounts.permissions.IsStaffRole",
        "accounts.tokens.HasScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.ApiAutoSchema",
    # JSON only; a release list's file, the one upload, is multipart on its own view. Fewer
    # parsers, less to get wrong: a form body carries no null, and no type but text.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JsonParser"],
    # A format is asked for by Accept or an export's own address (transfers.csv), never also by
    # ?format=, which could contradict them and which DRF reads as absent when it is empty.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_FILTER_BACKENDS": ["config.filtering.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.OrjsonRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.queries.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.PartnerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"partner": env.str("API_RATE", default="600/min")},
}
SPECTACULAR_SETTINGS = {
    # Swagger UI served from our own static files: no CDN, nothing fetched from elsewhere.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts each one as a link inside the operation's button, nested
    # controls a screen reader cannot reach (axe-core's nested-interactive, serious).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "TITLE": "Homecoming API",
    "DESCRIPTION": (
        "Statuses, release lists, inquiries and sightings for partner systems. Errors are RFC 9457 "
        "problem details; every POST takes an Idempotency-Key. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaptiveStatusEnum": "captives.lifecycle.Status",
        "PhaseStateEnum": "exchanges.models.Phase.State",
        "InquiryStateEnum": "inquiries.models.Inquiry.State",
        "TransferStateEnum": "exchanges.models.Transfer.State",
        "ReleaseListStateEnum": "exchanges.models.ReleaseList.State",
        "PhaseWriteStateEnum": "exchanges.api.PHASE_WRITE_STATES",
        "PlaceKindEnum": "captives.models.PlaceKind",
        "ProvenanceKindEnum": "captives.models.Provenance.Kind",
    },
}

# Security headers. Production (DEBUG off) is behind TLS; the demo is plain HTTP on loopback.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# How many proxies stand between the clients and gunicorn (a TLS terminator: 1). Limits and
# lockouts count per client address, read through them (config/client.py); 0 trusts no
# X-Forwarded-For at all, right when gunicorn faces the clients itself.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# Only a proxy of ours says which scheme the client used; without one, a client could claim
# HTTPS in the header and pass the redirect to it.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Prometheus scrapes gunicorn directly, inside the deployment's network, not through the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Who may read /metrics (config/metrics.py): a bearer token, or an address or network; either
# alone is enough. Neither set: nobody, except loopback with DEBUG.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN: 32 characters or more (secrets.token_urlsafe(32))")
METRICS_ALLOWED_ADDRESSES = env.list(
    "METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"] if DEBUG else []
)
for _entry in METRICS_ALLOWED_ADDRESSES:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_ADDRESSES: {error}") from error
# prometheus-client's multiprocess mode (config/gunicorn.py sets and makes the folder): with the
# folder missing, every request would fail writing its figures there.
_metrics_folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if _metrics_folder and not Path(_metrics_folder).is_dir():
    raise ImproperlyConfigured(
        f"PROMETHEUS_MULTIPROC_DIR: {_metrics_folder} is not a folder (make it, or unset it)"
    )

# Staff prove a second factor (TOTP) after the password whenever DEBUG is off; partners' API
# tokens and the public pages for families are not affected (accounts/second_factor.py).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Homecoming"
# Five wrong passwords for one username from one address lock that pair out for an hour;
# every address is limited whatever the usernames, before any hash (accounts/limits.py).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_STR_CALLABLE = "config.logs.login_attempt_label"  # no usernames in the logs
AXES_CLIENT_IP_CALLABLE = "config.client.client_ip"
# No inline script or style anywhere; htmx's indicator styles are switched off in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it, htmx posts forms
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# "text" (the default) or "json": one JSON object a line, for a log collector (config/logs.py).
# gunicorn's own lines follow it too (config/gunicorn.py reads the same variable).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT is text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "config.logs.RedactPersonalData"}},
    "formatters": {"text": {}, "json": {"()": "config.logs.JsonLines"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # At DEBUG the template engine logs whole contexts (forms, people, tokens): never wanted.
    "loggers": {"django.template": {"level": "INFO"}},
}
