"""Settings for Cluster Portal.

Every value that differs between machines is read from the environment through the
strict helpers below; development defaults are safe (DEBUG on, SQLite file in the
project folder, console e-mail). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS
and DATABASE_URL (PostgreSQL).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0/true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL used in e-mails, ICS feeds and the verification link printed on PDFs.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "cluster_portal.admin_site.PortalAdminConfig",  # the admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "cluster_portal",
    "members",
    "meetings",
    "plans",
    "documents",
    "tasks",
    "coordination",
    "api",
    "django_tasks",
    "django_tasks_db",
    "ops",
]

MIDDLEWARE = [
    # first: the request id (X-Request-ID) and the request's log line cover everything below
    "ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # before anything reads request.POST: an oversized body is refused unread
    "core.middleware.RequestBodyLimitMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cluster_portal.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a file answering a form gives the form back at once (static/js/portal.js, data-busy="download")
    "core.middleware.DownloadTokenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last: turns a login refused by the lockout into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cluster_portal.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "cluster_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # a persistent connection the server dropped is replaced at the start of the next
        # request instead of failing it with a 500
        conn_health_checks=True,
    )
}
# PostgreSQL: the prepared queries (core.prepared) as server-side prepared statements, planned once per connection.
# Off behind a pooler in transaction mode (PgBouncer), which does not keep a session's statements.
DB_SERVER_PREPARED = env_bool("DB_SERVER_PREPARED", True)

# Caches. "default" is shared by every application node and worker: Redis when REDIS_URL is set
# (redis://127.0.0.1:6379/0), else CACHE_BACKEND/CACHE_LOCATION when set, else the database cache
# (table portal_cache, made by the ops migrations). It holds the API's rate-limit counters and
# whatever must agree across nodes. Sessions are in the database (core.sessions: Django's db store), the login
# lockout too (django-axes' database handler), locks are row locks (select_for_update).
# "local" is always per-process memory: small fragments whose keys carry everything they show (the
# navbar, a signed protocol's body, a protocol list row), so an entry is never stale, only replaced,
# and a node never needs to hear of another's writes (core/fragments.py, meetings/protocol_page.py).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _default_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
else:
    _default_cache = {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "portal_cache"),
    }
CACHES = {
    "default": {**_default_cache, "TIMEOUT": env_int("CACHE_TIMEOUT", 86400)},
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-local",
        "TIMEOUT": 86400,
        "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_MAX_ENTRIES", 2000)},
    },
}

# Background jobs (django-tasks with the django-tasks-db database backend; ops/jobs.py): e-mails,
# the reminders. `manage.py run_worker` runs them (any number of workers, on any node).
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them inline instead (no worker).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)  # attempts in all, the first included
TASK_RETRY_DELAY_SECONDS = env_int("TASK_RETRY_DELAY_SECONDS", 60)  # doubled after each failure
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
# a worker silent for this long is dead: /healthz says so, its running task is queued again
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120)
# the assignment reminders (tasks.notifications) are enqueued by the workers this often; 0 = not at all
# (then cron: `manage.py send_reminders --enqueue` or plain `manage.py send_reminders`)
REMINDERS_EVERY_MINUTES = env_int("REMINDERS_EVERY_MINUTES", 60)
# Protocol imports (meetings.importing) never confirmed are deleted after this many days (a confirmed one is
# kept: it names its draft's source), by a job the workers enqueue this often (0 = not at all; then cron:
# `manage.py prune_protocol_imports`).
PROTOCOL_IMPORT_KEEP_DAYS = env_int("PROTOCOL_IMPORT_KEEP_DAYS", 30)
PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES = env_int("PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES", 24 * 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for AXES_COOLOFF_MINUTES. Then the portal's
# ModelBackend, which loads the user's register entry with the user on every request.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.PortalBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cluster_portal.views.login_locked_out"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media (report files, accession documents, signed PDFs): the MEDIA_ROOT folder, or an S3-compatible
# object store (MinIO, Ceph, a cloud's) when AWS_STORAGE_BUCKET_NAME is set — then every node and the
# worker share it. The bucket stays private: files are read back only through the access-checked
# views, which stream them from the storage (no bucket URL is ever given out).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as _BotoConfig

    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("AWS_LOCATION"),  # a prefix inside the bucket
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path") or None,  # MinIO/Ceph: path
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,  # a URL, should one ever be made, is signed and expires
            "querystring_expire": 300,
            "file_overwrite": False,
            "client_config": _BotoConfig(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3}),
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "cluster_portal.staticfiles.PortalStaticFilesStorage"  # WhiteNoise's, hashed and compressed
        )
    },
}
# collectstatic writes a Brotli copy of each static file beside the gzip one (for WhiteNoise serving them
# itself); off saves minutes of CPU where nginx serves them (Debian's has no Brotli module).
STATIC_BROTLI = env_bool("STATIC_BROTLI", True)

# Uploads (reports, PDFs to verify, plan imports) are size-limited in their forms;
# this is the hard ceiling for any request body kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Request bodies larger than this are refused with 413 before anything reads them
# (core.middleware.RequestBodyLimitMiddleware); REQUEST_BODY_LIMITS raises it for the URLs that
# take larger uploads (URL name → bytes, the forms' own file limits plus room for the form).
# The proxy in front must allow at least the largest of them (README: client_max_body_size).
REQUEST_BODY_DEFAULT_LIMIT = DATA_UPLOAD_MAX_MEMORY_SIZE
_FORM_ROOM = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "documents:verify": 20 * 1024 * 1024 + _FORM_ROOM,  # documents.forms.VERIFY_MAX_BYTES
    "documents:verify-document": 20 * 1024 * 1024 + _FORM_ROOM,
    "plans:plan-import": 5 * 1024 * 1024 + _FORM_ROOM,  # plans.forms.ImportForm: 5 MB
    # tasks.services: REPORT_MAX_FILES (10) files of REPORT_FILE_MAX_BYTES (10 MB) each
    "tasks:report-submit": 10 * 10 * 1024 * 1024 + _FORM_ROOM,
    # meetings.importing.reading: MAX_FILES (20) files of MAX_FILE_BYTES (5 MB) each
    "meetings:import": 20 * 5 * 1024 * 1024 + _FORM_ROOM,
}
# Parsing an untrusted upload (/verify/, the plan import) runs in a forked child with these limits
# (core.sandbox): CPU seconds, memory above the worker's own, and a wall-clock stop well below
# gunicorn's worker timeout.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", True)
SANDBOX_CPU_SECONDS = env_int("SANDBOX_CPU_SECONDS", 2)
SANDBOX_MEMORY_MB = env_int("SANDBOX_MEMORY_MB", 300)
SANDBOX_WALL_SECONDS = env_int("SANDBOX_WALL_SECONDS", 15)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None  # for django.core.mail.backends.filebased
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Кластерный портал <noreply@cluster-portal.local>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Signatures (issue: signed protocol PDFs). Paths and passwords come from the
# environment; nothing secret is stored in the repository.
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS")  # PEM/DER files of trusted CAs
SIGNING_SEAL_PKCS12 = env_str("SIGNING_SEAL_PKCS12")
SIGNING_SEAL_PASSWORD = env_str("SIGNING_SEAL_PASSWORD")
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
# How people sign in the browser (static/js/signing.js): "pkcs12" (a PKCS#12 file opened locally, WebCrypto)
# or "cryptopro" (the CryptoPro Browser plug-in, key on a token). The server never receives a person's key.
SIGNING_CLIENT = env_str("SIGNING_CLIENT", "pkcs12")
SIGNING_PREPARE_TTL = int(env_str("SIGNING_PREPARE_TTL", "600"))  # seconds a prepared signature waits for the browser
# Demo certificates made by load_demo; the demo CA is trusted only when DEMO_MODE is on.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)
DEMO_PKI_DIR = Path(env_str("DEMO_PKI_DIR", str(BASE_DIR / "var" / "demo-pki")))

# Protocols list attendees by name up to this count; above it only the total is
# printed and the list goes to an appendix. Bodies may override it.
PROTOCOL_ATTENDANCE_LIST_LIMIT = env_int("PROTOCOL_ATTENDANCE_LIST_LIMIT", 15)

# Reminders: days before a deadline when the responsible party is reminded.
REMINDER_DAYS = [int(d) for d in env_list("REMINDER_DAYS", "7,1")]

# Content-Security-Policy (django-csp): scripts only from the portal's static files, no
# inline <script> or on…= handlers (static/js/portal.js does what they did). Inline
# style attributes stay allowed: progress bars and widths are set with style="…", and
# Bootstrap's CSS uses data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# HTTPS behind a TLS-terminating proxy. With DEBUG=0 the defaults are the strict ones
# (redirect to https, one year of HSTS, secure cookies, trust X-Forwarded-Proto from the
# proxy), so `manage.py check --deploy` is clean; each can be changed from the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# the health checks answer on plain http too: the proxy and the orchestrator ask the node directly
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
# Django's database session store, its per-request lookup a prepared query (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

# The REST API (/api/v1/, the api app): personal Bearer tokens (or the browser's session, for the
# docs' «Try it out»), the pages' access, JSON errors in the request's language, rate limits per token.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/hour")
API_WRITE_RATE_LIMIT = env_str("API_WRITE_RATE_LIMIT", "60/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE_LIMIT, "api-write": API_WRITE_RATE_LIMIT},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.UserFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Кластерного портала",
    "DESCRIPTION": (
        "Кластеры, реестр участников, заседания и протоколы, решения, поручения и их исполнение, планы работы. "
        "Доступ тот же, что на страницах портала; токен передаётся в заголовке `Authorization: Bearer …`."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# Logs go to the console (journald, docker). LOG_JSON=1: every line is a JSON object (ops.logs), with
# one line per request (request id, user id, method, path, status, duration) and per background task;
# LOG_REQUESTS writes those lines (on by default with LOG_JSON).
LOG_JSON = env_bool("LOG_JSON", False)
LOG_REQUESTS = env_bool("LOG_REQUESTS", LOG_JSON)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_JSON else {})}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                # the portal's own access lines replace the server's per-request warnings
                "django.request": {"level": "ERROR" if LOG_REQUESTS else "WARNING"}},
}

# Error tracking: with SENTRY_DSN set (Sentry or a compatible server, e.g. GlitchTip), unhandled
# errors of requests and tasks are reported, without personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        send_default_pii=False,
    )

# django-filter: an empty choice of every filter reads «Все», not «---------» (issue 18).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
FILTERS_NULL_CHOICE_LABEL = _("None")
