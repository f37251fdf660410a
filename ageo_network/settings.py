"""Settings for the Ageo City network system, driven by environment variables.

Every variable is read through a small typed helper that raises
ImproperlyConfigured naming the variable when its value is bad, so a typo
fails at start-up instead of at the first request.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envpositive(name: str, default: str) -> int:
    value = envint(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive integer, got {value!r}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def database_from_url(name: str, url: str) -> dict:
    """Turn postgres://user:pass@host:port/db?opt=v or sqlite:///path into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://host/dbname")
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            # Persistent connections: measured 2.5-3x the throughput of per-request connects.
            "CONN_MAX_AGE": envint("DATABASE_CONN_MAX_AGE", "600"),
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": os.getenv("DATABASE_TEST_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path) or str(BASE_DIR / "var" / "db.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise ImproperlyConfigured(f"{name} must start with postgres:// or sqlite://, got {parsed.scheme!r}")


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-demo-key-only-for-debug-" + "x" * 20

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ageo_network.apps.NetworkAdminConfig",  # django.contrib.admin with the guarded site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",  # the task queue in the database (the mail worker)
    "ageo_network",
    "registry",
    "audit",
    "meetings",
    "cases",
    "outreach",
    "reports",
    "accounts",
    "demo",  # the fictitious demo network (manage.py load_demo); depends on every app, none imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Pages the access helpers served (an access-log row was written) are never cached.
    "audit.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "registry.middleware.MembershipMiddleware",
    "accounts.middleware.SessionLimitMiddleware",
    "accounts.middleware.TwoFactorGateMiddleware",
    "registry.middleware.PledgeGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a login attempt that axes flagged as locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ageo_network.urls"
WSGI_APPLICATION = "ageo_network.wsgi.application"

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
                "django.template.context_processors.csp",
                "ageo_network.context_processors.navigation",
            ],
            "builtins": ["ageo_network.templatetags.wareki"],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url("DATABASE_URL", DATABASE_URL)}
else:
    DATABASES = {"default": database_from_url("DATABASE_URL", "sqlite://")}
if not DEBUG and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL when DEBUG is off; "
        "the embedded SQLite database is for the local demo only"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Authentication ---------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A stale form (signed out in another tab) gets a Japanese page in the site's layout with a way back.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: lock a user name (known or not) after repeated failures; the lock ends after the cool-off.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
# By user name only: staff of a department share one outgoing address, and an address lock would shut
# the whole office out after five typos. A user name's count is kept across addresses and browsers,
# so axes.W006 (rotating User-Agents to dodge an address-and-agent lock) does not apply.
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: the embedded SQLite demo ignores an index's INCLUDE columns (cases.Consultation); PostgreSQL uses them.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # audit.SignInEvent is the sign-in log
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Two-factor sign-in (django-otp) for the roles that see personal data, and sessions that end.
OTP_TOTP_ISSUER = "上尾市困難女性支援ネットワーク"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "30")
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", "12")
# Database sessions that know their account: every session of a person ends at once (accounts.models.UserSession).
SESSION_ENGINE = "accounts.session_store"
PLEDGE_EXEMPT_URL_NAMES = ["accounts:otp_setup", "accounts:otp_verify"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# The project's own Japanese for third-party strings (compiled by `make`: locale/README.md).
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# Uploaded and generated files (meeting materials, stored minutes, print files of awareness materials)
# live outside the web root and leave the site only through an access helper and
# audit.downloads.download_response: no URL pattern or static server serves this folder.
PRIVATE_FILES_ROOT = Path(os.getenv("PRIVATE_FILES_ROOT", str(BASE_DIR / "var" / "private")))
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
# Prepared downloads (audit/exports.py) are deleted this long after they were asked for (manage.py prune_downloads).
DOWNLOADS_KEEP_HOURS = envint("DOWNLOADS_KEEP_HOURS", "24")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- History ----------------------------------------------------------------
# History is evidence for Art. 10: nobody reverts it from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Case files: encryption at rest, search by reading, break-glass ---------
from cases.keys import case_encryption_keys, case_search_key  # noqa: E402

CASE_ENCRYPTION_KEYS = case_encryption_keys("CASE_ENCRYPTION_KEYS", debug=DEBUG)  # Fernet keys, newest first
CASE_SEARCH_KEY = case_search_key("CASE_SEARCH_KEY", debug=DEBUG)  # HMAC key for the reading
BREAK_GLASS_HOURS = envint("BREAK_GLASS_HOURS", "4")
# How long after a case-review meeting ends its attendees may still read the case-review sheets.
MEETING_CASE_ACCESS_HOURS = envint("MEETING_CASE_ACCESS_HOURS", "24")

# --- Outreach ---------------------------------------------------------------
OUTREACH_GATEKEEPER_REFRESHER_YEARS = envint("OUTREACH_GATEKEEPER_REFRESHER_YEARS", "3")  # refresher training due
OUTREACH_PUBLIC_REGISTRANT_DAYS = envint("OUTREACH_PUBLIC_REGISTRANT_DAYS", "365")  # kept after the event, then purged

# --- Retention (issue 13): cases/retention.py applies it, `manage.py purge_expired` purges ---
# Closed cases: this many years after the end of the fiscal year (April-March) in which they were closed.
RETENTION_CASE_YEARS = envpositive("RETENTION_CASE_YEARS", "5")
RETENTION_INFORMATION_DAYS = envpositive("RETENTION_INFORMATION_DAYS", "365")  # information that led to no case
RETENTION_APPLICATION_DAYS = envpositive("RETENTION_APPLICATION_DAYS", "365")  # rejected business applications
# Access-log rows and sign-in events; written into the database at `migrate` (audit/triggers.py), which
# refuses to purge anything younger even when asked by the application.
AUDIT_LOG_RETENTION_YEARS = envpositive("AUDIT_LOG_RETENTION_YEARS", "5")

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND_NAME = os.getenv("EMAIL_BACKEND", "console" if DEBUG else "smtp")
if EMAIL_BACKEND_NAME == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.getenv("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", "25"),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", "false"),
                "timeout": envint("EMAIL_TIMEOUT", "10"),
            },
        }
    }
elif EMAIL_BACKEND_NAME == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(f"EMAIL_BACKEND must be smtp or console, got {EMAIL_BACKEND_NAME!r}")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "network@example.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks: mail is sent by `manage.py db_worker`, off the request ------
# database: a queue table in the site's own database (django-tasks-db), shared by every worker.
# immediate: run at enqueue time inside the web process (tests); no retries, not for production.
TASKS_BACKEND_NAME = os.getenv("TASKS_BACKEND", "database")
TASK_QUEUES = ["default", "mail"]
if TASKS_BACKEND_NAME == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND_NAME == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or immediate, got {TASKS_BACKEND_NAME!r}")
# How long the worker keeps retrying a message the mail server does not take (1 min doubling to 1 h).
MAIL_RETRY_HOURS = envint("MAIL_RETRY_HOURS", "72")

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(int(timedelta(days=365).total_seconds())))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    if envbool("SECURE_PROXY_SSL", "false"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: never personal data; messages name objects by id/number only ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"one_line_client_errors": {"()": "ageo_network.logfilters.OneLineClientErrors"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["one_line_client_errors"]},  # refusals one line each; 5xx keep traceback
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts and failures stay; per-request chatter goes
    },
}

# --- cache (rate limits) ---
# CACHE_URL: redis://host:port/db (needs the `redis` package) or empty for a per-process memory cache.
CACHE_URL = os.getenv("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ageo-network"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, or be empty; got {CACHE_URL!r}")
