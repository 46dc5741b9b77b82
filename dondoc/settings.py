"""The one settings module. Everything that differs between machines comes from the environment.

Environment (see README "Configuration"):
  DONDOC_DEBUG=1              development mode (default off)
  DONDOC_SECRET_KEY           required unless DEBUG or a test run
  DONDOC_ALLOWED_HOSTS        comma-separated (default: localhost names)
  DATABASE_URL                sqlite:////abs/path.sqlite3 or postgresql://user:pw@host:port/db
  DONDOC_HOME                 where var/ lives (default: the source checkout, else the current directory)
  DONDOC_TODAY=YYYY-MM-DD     pins "today" for the whole product (demo, tests)
  DONDOC_INSECURE_HTTP=1      serve over plain HTTP on an intranet (turns off HTTPS redirect/secure cookies)
  DONDOC_LOG_FORMAT           json (default outside DEBUG: one JSON object per line on stderr) or text
  DONDOC_LOG_LEVEL            level of the root logger (default WARNING; requests and jobs log at INFO)
  DONDOC_IMPORT_LIMITS=JSON   bounds of file parses per kind, e.g. '{"disbursements": {"rows": 3000000}}'
  DONDOC_EMAIL_URL-like vars  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
                              DONDOC_EMAIL_BACKEND, DEFAULT_FROM_EMAIL
"""

import os
import sys
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
_checkout = PACKAGE_DIR.parent
HOME_DIR = Path(
    os.environ.get("DONDOC_HOME") or (_checkout if (_checkout / "pyproject.toml").exists() else Path.cwd())
)
VAR_DIR = HOME_DIR / "var"

TESTING = "PYTEST_VERSION" in os.environ or "pytest" in Path(sys.argv[0]).name
DEBUG = env_bool("DONDOC_DEBUG")

SECRET_KEY = os.environ.get("DONDOC_SECRET_KEY", "")
# Without a key outside DEBUG, command-line tools (parse, calendar, imports, sweepers) still run with a throwaway
# key — they sign nothing — but the web server refuses to start (dondoc/wsgi.py, runserver) and
# `check --deploy` reports an error (dondoc/core/checks.py).
SECRET_KEY_EPHEMERAL = False
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"
    elif len(sys.argv) > 1 and sys.argv[1] == "runserver":
        raise ImproperlyConfigured(
            "DONDOC_SECRET_KEY is not set. Set it (50+ random characters) or run with DONDOC_DEBUG=1."
        )
    else:
        import secrets

        SECRET_KEY, SECRET_KEY_EPHEMERAL = secrets.token_urlsafe(64), True

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DONDOC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DONDOC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The clock: validated here so that a bad value stops the program at start, not in a view.
DONDOC_TODAY = os.environ.get("DONDOC_TODAY", "").strip() or None
if DONDOC_TODAY:
    try:
        date.fromisoformat(DONDOC_TODAY)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DONDOC_TODAY must be YYYY-MM-DD, got {DONDOC_TODAY!r}") from exc

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "dondoc.core",
    "dondoc.jobs",
    "dondoc.accounts",
    "dondoc.outbox",
    "dondoc.deadlines",
    "dondoc.programs",
    "dondoc.reporting",
    "dondoc.investment",
    "dondoc.petitions",
    "dondoc.importers",
    "dondoc.home",  # composition: home page, navigation, loaders of every feature
]

MIDDLEWARE = [
    "dondoc.core.middleware.RequestLogMiddleware",  # first: its duration covers everything below
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dondoc.core.middleware.LanguageMiddleware",
    "dondoc.core.middleware.RejectNulMiddleware",  # 400, not a PostgreSQL error deep in a query
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dondoc.core.middleware.NoStoreForUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dondoc.core.middleware.BusyMiddleware",  # "database is locked" after the busy timeout: 503, not 500
    "axes.middleware.AxesMiddleware",  # last: it answers the lockout page
]

ROOT_URLCONF = "dondoc.urls"
WSGI_APPLICATION = "dondoc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dondoc.home.context_processors.shell",
            ],
            "builtins": ["dondoc.core.templatetags.vn_formats", "django.templatetags.l10n"],  # dates and numbers: dondoc.domain.formats
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
_default_db = f"sqlite:///{VAR_DIR / 'dondoc.sqlite3'}"
# Persistent connections (both databases): a web process keeps its connection for DONDOC_CONN_MAX_AGE seconds
# (default 60; 0 = close at the end of each request) and checks it before reusing it after an error or a restart
# of the server. PostgreSQL saves a connection set-up (~5–20 ms) per request; SQLite keeps its page cache and
# skips the PRAGMAs of init_command. docs/operations.md "Database connections".
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db,
                                              conn_max_age=int(os.environ.get("DONDOC_CONN_MAX_AGE", "60")),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server and the sweeper commands write at once: WAL, IMMEDIATE transactions, a busy timeout.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    _name = DATABASES["default"]["NAME"]
    if _name and _name != ":memory:" and not TESTING:
        Path(_name).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: Django's task framework (django-tasks backport) with its ORM backend — no broker, the same
# database. `dondoc worker` (started by `dondoc serve`) runs the tasks (ADR 0011). Under pytest tasks run at once,
# in the process that enqueued them (deterministic tests); DONDOC_TASKS_BACKEND=database restores the queue for a
# test that starts a real worker.
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
TASKS = {"default": {
    "BACKEND": _TASK_BACKENDS[os.environ.get("DONDOC_TASKS_BACKEND") or ("immediate" if TESTING else "database")],
    "QUEUES": ["default"],
}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): 5 failures for one user name from one address lock that pair for 15 minutes,
# even with the right password. IT unlocks early with `dondoc axes_reset_username NAME` (docs/operations.md).
# Logins, failures, lockouts and logouts are AuditEvents (dondoc/accounts/security.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("DONDOC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DONDOC_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "dondoc.accounts.security.client_ip"
AXES_VERBOSE = False  # our audit log records each event
AXES_DISABLE_ACCESS_LOG = True  # successful logins are AuditEvents already
DONDOC_BEHIND_PROXY = env_bool("DONDOC_BEHIND_PROXY")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language, time and formats. Django's own "vi" formats are wrong for us (see CONVENTIONS.md).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["dondoc.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail goes through Django's backends; the console backend prints in development.
EMAIL_BACKEND = os.environ.get(
    "DONDOC_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dondoc <dondoc@localhost>")

# HTTPS is on outside DEBUG. Plain HTTP on an intranet is an explicit choice: DONDOC_INSECURE_HTTP=1.
INSECURE_HTTP = env_bool("DONDOC_INSECURE_HTTP")
# The test suite speaks plain HTTP to its test client; tests/core/test_settings.py checks the HTTPS setup.
_https = not DEBUG and not INSECURE_HTTP and not TESTING
SECURE_SSL_REDIRECT = _https
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor on the machine itself probes http://127.0.0.1:PORT/healthz
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = int(os.environ.get("DONDOC_HSTS_SECONDS", "31536000")) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("DONDOC_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): no inline script or style anywhere, Django's admin included (its scripts
# are files). htmx's own indicator style is off (meta htmx-config in base.html; the rule is in app.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
if INSECURE_HTTP and not DEBUG:
    # The operator chose plain HTTP: silence only the checks that choice implies.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

# Upload limits (attachments are served only through permission-checked views).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs go to stderr (journald or the container collects them). Outside DEBUG, or with DONDOC_LOG_FORMAT=json, one
# JSON object per line (dondoc/core/logs.py): one per request (dondoc.request), one per job or sweeper run
# (dondoc.background), and Django's errors — a 500 with its traceback — as JSON too. DONDOC_LOG_FORMAT=text forces
# plain lines.
LOG_FORMAT = os.environ.get("DONDOC_LOG_FORMAT", "").strip().lower() or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DONDOC_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
# Bounds of every parse, checked AFTER decompression (docs/adr/0010-one-importer.md, "Bounds"): per kind of file,
# fields of dondoc.domain.bounds.Limits over its defaults (inflated 200 MB, 100,000 rows, 5M cells, 120 s).
# The same limits hold on the command line and for uploads (both run outside the web request).
# DONDOC_IMPORT_LIMITS='{"disbursements": {"rows": 3000000}}' (JSON) overrides single values.
_MB = 1024 * 1024
DONDOC_IMPORT_LIMITS = {
    "default": {},
    "dossiers": {"rows": 50_000, "cells": 1_000_000, "seconds": 120},
    "plans": {"rows": 50_000, "cells": 2_500_000, "seconds": 300},
    "disbursements": {"rows": 2_000_000, "cells": 20_000_000, "inflated_bytes": 512 * _MB,
                      "member_bytes": 512 * _MB, "seconds": 1800},
    "program": {"inflated_bytes": 50 * _MB, "member_bytes": 50 * _MB, "paragraphs": 20_000, "seconds": 120},
}
if os.environ.get("DONDOC_IMPORT_LIMITS"):
    import json as _json

    for _kind, _values in _json.loads(os.environ["DONDOC_IMPORT_LIMITS"]).items():
        DONDOC_IMPORT_LIMITS.setdefault(_kind, {}).update(_values)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "dondoc.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DONDOC_LOG_LEVEL", "WARNING")},
    "loggers": {
        # A line per request and per job; quiet in the test suite and in DEBUG's console (runserver logs them).
        "dondoc.request": {"level": "WARNING" if TESTING or (DEBUG and LOG_FORMAT == "text") else "INFO"},
        "dondoc.background": {"level": "WARNING" if TESTING else "INFO"},
    },
}
