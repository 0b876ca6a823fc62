"""Settings for the RPO Partnership Portal.

Everything comes from environment variables (read once through one ``env`` object).
The defaults are the embedded development setup: SQLite and a Celery broker on the
filesystem, so nothing needs a server. Production (``DEBUG`` off) refuses to start
without a real ``SECRET_KEY``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
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
    "knox",
    "axes",
    "django_ratelimit",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",  # the audit trail (who changed what, old → new): see partnership.audit
    "rpo_portal",  # below every app: the email outbox (rpo_portal.outbox) they all send through
    "accounts",
    "engagements",
    "feedback",
    "partnership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: see CONTENT_SECURITY_POLICY
    "rpo_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in person as the actor of the audit trail's entries (API calls set it in
    # rpo_portal.authentication, where token authentication happens).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused by the lockout into the 429 page (accounts.throttling).
    "axes.middleware.AxesMiddleware",
]

# The audit trail (partnership.audit): old and new values as JSON (null, numbers, ids), never a
# client address (the middleware would take the first, client-written, X-Forwarded-For entry), and
# nothing for fixtures loaded raw.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True

ROOT_URLCONF = "rpo_portal.urls"
WSGI_APPLICATION = "rpo_portal.wsgi.application"

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
                # The main navigation of base.html, per role (no queries).
                "partnership.navigation.navigation",
            ],
        },
    },
]

# The embedded default keeps its SQLite file, broker queue and mail under var/.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has three processes writing one file (web, worker, beat). Without this, a
    # sign-in while the worker works through its first backlog answered 500 "database is locked":
    # readers and the writer no longer block each other (WAL), a transaction takes the write lock
    # when it begins instead of failing to upgrade to it halfway (IMMEDIATE), and waits up to 20 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (Index(include=...)) are a PostgreSQL speed-up; on the embedded SQLite default
# the same indexes are built without the included columns, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
# The lockout first: a locked-out account or address is refused before the password hasher runs.
AUTHENTICATION_BACKENDS = ["accounts.throttling.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: its password_changed hook revokes the user's API tokens (page, admin, shell).
    {"NAME": "accounts.password_validation.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves straight from the app and static/ folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: console in development, SMTP (or any backend) from the environment in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# Where links in emails point to (scheme and host, no trailing path).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
EMAIL_REPLY_TO = env.list("EMAIL_REPLY_TO", default=[])
# One-click response links stop working after this many days (and once the request is answered).
RESPONSE_LINK_MAX_AGE_DAYS = env.int("RESPONSE_LINK_MAX_AGE_DAYS", default=14)
# No reminder lands in the recipient's quiet hours (their local time); digests go out at DIGEST_HOUR.
QUIET_HOURS_START = env.int("QUIET_HOURS_START", default=20)
QUIET_HOURS_END = env.int("QUIET_HOURS_END", default=8)
DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)
# Retention: a daily task anonymises candidates with no activity (created, a stage change of one of
# their submissions, an interview) for this many months, as an erasure does; 0 turns it off.
CANDIDATE_RETENTION_MONTHS = env.int("CANDIDATE_RETENTION_MONTHS", default=24)
# The longest an SLA due time may be away, in weeks: an engagement's due hours are refused when
# they would not fit in this many weeks of its business hours, and a stored setting that still
# does not fit falls back to the wall-clock hours, capped at this span (engagements.sla).
SLA_MAX_DUE_WEEKS = env.int("SLA_MAX_DUE_WEEKS", default=8)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RPO Partnership Portal <portal@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# The cache (computed scorecards, engagement versions): shared by every web process through Redis
# when REDIS_URL is set (CACHE_URL overrides), so one process computes a scorecard and the others
# read it; otherwise each process keeps its own in memory. rpo_portal.cache.redis_cache builds the
# Redis entry: keys prefixed (the portal can share a Redis), values as JSON (never pickles), and
# 1-second socket timeouts; pages work without the cache, so a Redis that is down costs speed only.
CACHE_URL = env("CACHE_URL", default="") or env("REDIS_URL", default="")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Caught here, at start-up, rather than as a 500 on the first page that reads the cache.
    raise ImproperlyConfigured(f"CACHE_URL must be a Redis URL (redis://, rediss:// or unix://), not {CACHE_URL!r}")
from rpo_portal.cache import redis_cache  # noqa: E402  (beside its one use: the CACHES block)

CACHES = {
    "default": (
        redis_cache(CACHE_URL)
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rpo-portal"}
    )
}

# Sessions: read from Redis when the cache is shared (no database query per request), kept in the
# database (rpo_portal.sessions); with each process's own memory, in the database only, since a
# sign-out in one process could not remove the session from another's memory.
SESSION_ENGINE = "rpo_portal.sessions" if CACHE_URL else "django.contrib.sessions.backends.db"

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker")))
    # The filesystem transport needs its folders to exist before the first message.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # The transport polls its folder; the default second per poll makes a backlog crawl.
        "polling_interval": 0.1,
        # Broadcast (worker control) messages: kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A publish that cannot reach the broker gives up quickly: the sweep re-dispatches the work.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "feedback.tasks.sweep_reminders", "schedule": 60.0},
    "send-digests": {"task": "feedback.tasks.send_digests", "schedule": 300.0},
    # The cost of waiting (180 days of requests, about a second per busy engagement), computed ahead
    # of the scorecards and reminder emails that show it, before the kept one's hour is up.
    "refresh-costs-of-waiting": {"task": "feedback.tasks.refresh_costs_of_waiting", "schedule": 20 * 60.0},
    "erase-inactive-candidates": {"task": "engagements.tasks.erase_inactive_candidates", "schedule": 24 * 3600.0},
    # Every other email (invitations, password resets, notices): re-sends what SMTP or a worker dropped.
    "sweep-outbox": {"task": "rpo_portal.tasks.sweep_outbox", "schedule": 60.0},
    # Two-way pulse surveys: opened at 09:00 on the period's first business day in each engagement's
    # zone, and reminded once (partnership.pulse).
    "run-pulse": {"task": "partnership.tasks.run_pulse", "schedule": 15 * 60.0},
    # Wins the portal suggests from its own data, each offered once (partnership.suggested_wins).
    "detect-suggested-wins": {"task": "partnership.tasks.detect_suggested_wins", "schedule": 3600.0},
    # Monday 09:00 in each engagement's zone: its weekly summary, once (partnership.weekly_summary).
    "send-weekly-summaries": {"task": "partnership.tasks.send_weekly_summaries", "schedule": 900.0},
}
# Sent once as beat starts too (rpo_portal.celery.run_as_beat_starts), not one interval later: the
# kept cost of waiting is there before the first scorecard after a deploy or a flushed cache.
BEAT_ON_START = ["feedback.tasks.refresh_costs_of_waiting"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with a "WWW-Authenticate: Token" challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rpo_portal.authentication.TokenAuthentication",  # knox's, naming the audit trail's actor
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rpo_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rpo_portal.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# --- Sign-in lockout, rate limits and API tokens (accounts.throttling) -----------------------------
# Addresses of clients: the entry TRUSTED_PROXY_COUNT places from the right of X-Forwarded-For (what
# our outermost proxy saw), never the client-written entries left of it; REMOTE_ADDR without proxies.
# Production sits behind one TLS proxy (the one SECURE_PROXY_SSL_HEADER trusts) unless told otherwise.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
# django-axes: AXES_FAILURE_LIMIT failed sign-ins for one account, or AXES_ADDRESS_FAILURE_LIMIT from
# one client address, lock that account or address out (page, admin and API) until
# AXES_COOLOFF_MINUTES after the last one. The address gets more: a whole office signs in from one
# address, and a colleague's typos must not lock everyone else out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
if AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_ADDRESS_FAILURE_LIMIT must be at least AXES_FAILURE_LIMIT.")
AXES_HANDLER = "accounts.throttling.AccountOrAddressHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account OR per address
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_CLIENT_IP_CALLABLE = "rpo_portal.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# Off: axes' reset on success deletes every attempt from the signing-in address, so an attacker
# with an account of their own could sign in between guesses and wipe a victim's failures too.
AXES_RESET_ON_SUCCESS = env.bool("AXES_RESET_ON_SUCCESS", default=False)
# Attempts while locked out are not counted: a lock ends AXES_COOLOFF_MINUTES after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address"]
# No start-up banner on every manage.py command; failures and lockouts are still logged.
AXES_VERBOSE = False
# django-ratelimit: password-reset and invitation requests, per client address and per address asked
# about (and per inviting admin). RATE_LIMIT_RETRY_AFTER_SECONDS is what the 429 page's header says.
RATELIMIT_IP_META_KEY = "rpo_portal.client_ip.client_ip"
RATE_LIMIT_PASSWORD_RESET = env("RATE_LIMIT_PASSWORD_RESET", default="5/h")
RATE_LIMIT_INVITE = env("RATE_LIMIT_INVITE", default="20/h")
RATE_LIMIT_RETRY_AFTER_SECONDS = 3600
# Its counters live in the cache. In memory (no Redis) each process counts on its own, which the
# embedded single-machine setup accepts (E003); Django's Redis cache increments atomically (INCR:
# rpo_portal.cache keeps integers raw), it is just not on the library's list (W001).
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
# django-rest-knox: API tokens stored as SHA-512 digests, each sign-in a new one, expiring after
# API_TOKEN_TTL_DAYS; revoked on password change, reset and deactivation (accounts.services).
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "RPO Partnership Portal API",
    "DESCRIPTION": "Engagements, requisitions, submissions and the feedback around them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" or a "role"; name each set of choices after its model.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "accounts.models.User.Role",
        "EngagementStatusEnum": "engagements.models.Engagement.Status",
        "RequisitionStatusEnum": "engagements.models.Requisition.Status",
        "AssignmentRoleEnum": "engagements.models.Assignment.Role",
        "SubmissionStageEnum": "engagements.models.Submission.Stage",
        "InterviewStatusEnum": "engagements.models.Interview.Status",
        "InterviewOutcomeEnum": "engagements.api.INTERVIEW_OUTCOME_CHOICES",
        "RequestStatusEnum": "feedback.models.RequestStatus",
        "PartnershipItemStatusEnum": "partnership.models.PartnershipItem.Status",
        # Read: every reason, "not_recorded" included (withdrawals from before it was asked); given: the others.
        "WithdrawalReasonEnum": "engagements.models.Submission.WithdrawalReason",
        "WithdrawalReasonGivenEnum": "engagements.api.serializers.WITHDRAWAL_REASON_CHOICES",
    },
}

# Headers and input limits (issue 13). The Content-Security-Policy (django-csp) is enforced, not
# report-only: scripts and styles come from our own static files only (no inline script, no eval,
# no CDN), nothing is embedded and nothing embeds us. The pages need nothing more: htmx's indicator
# styles are in portal.css (base.html turns off the inline <style> htmx would add), the charts draw
# on a canvas, and the API docs load their init script as a file (SpectacularSwaggerSplitView); the
# docs page alone adds data: images for Swagger UI's icons (rpo_portal/urls.py). The browser tests
# fail on any violation in the console.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (rpo_portal.middleware): no browser feature is granted to any page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Times of day are documented as what they are, local "HH:MM[:SS]" without an offset (rpo_portal.schema).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "rpo_portal.schema.local_times_without_offset",
]
# JSON bodies nesting deeper than rpo_portal.parsers.MAX_JSON_DEPTH are a 400 (they were a 500).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "rpo_portal.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The one-click link's token is written as /r/[redacted]/ (rpo_portal/logging.py): on the
    # console, in the development server's request lines and in django.request's "Bad Request: <path>".
    "filters": {"redact_link_tokens": {"()": "rpo_portal.logging.RedactLinkTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_link_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_link_tokens"],
        },
        "django.request": {"filters": ["redact_link_tokens"]},
    },
}

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
