"""Settings for the proposal tracker, driven by environment variables.

Every variable is parsed strictly: a value we cannot read stops the process with a message naming
the variable, rather than falling back to a default nobody chose.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def envlist(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envint(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


# SQLite for a small office: WAL lets readers go on while one writer commits; IMMEDIATE takes the
# write lock when a transaction begins, so two read-then-write transactions queue on the busy
# timeout instead of one failing at once with "database is locked" (a deferred transaction that
# must upgrade its read lock cannot wait); NORMAL sync is safe with WAL and spares an fsync per commit.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,  # seconds a writer waits for the lock (the busy timeout)
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def sqlite_database(name):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": dict(SQLITE_OPTIONS)}


def database_from_env():
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return sqlite_database(BASE_DIR / "db.sqlite3")
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not supported: use postgres://user@host:port/name or leave it unset "
            "for the SQLite default."
        )
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A fresh connection per request costs about two thirds of a list view's throughput
        # (see shared/NOTES.md).
        config["CONN_MAX_AGE"] = envint("DJANGO_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        # PostgreSQL's JIT added ~0.5 s to the statistics' grouped query at 100,000 proposals and
        # never paid off for the short queries pages run.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


# On for a development checkout, as in healthchecks: `python manage.py …` works with no setup.
# Production sets DJANGO_DEBUG=0, which then demands a secret key and allowed hosts, and
# `check --deploy` flags a deployment that forgot it.
DEBUG = envbool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "crispy_forms",
    "crispy_bootstrap5",
    "tracker",
    "notices",
    "proposals",
    "responses",
    "search",
    "opendata",
    "pagecache",
    "axes",
    "dbbackup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "proposals.context_processors.signed_in_as",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {"default": database_from_env()}

# SQLite ignores an index's INCLUDE columns (the inbox's covering index is for PostgreSQL, which
# serves production); the index still works there as a plain one, so the warning is noise.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttled logins (django-axes): after TRACKER_LOGIN_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is refused, even with the right password, for the cool-off period;
# other accounts and other addresses are not affected. The office unlocks it in the admin
# (访问尝试 → delete the row) or `python manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("TRACKER_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("TRACKER_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "tracker.clientip.client_ip"
# Behind N reverse proxies that append to X-Forwarded-For, the client is the Nth address from the right.
TRACKER_PROXY_COUNT = envint("TRACKER_PROXY_COUNT", 0)

# Password-reset emails (django-ratelimit): per address and per e-mail entered, in a cache every
# process shares (the database; locmem would count per process). Its increments are not atomic: a
# burst racing the same second may send one mail more, which is acceptable for this limit.
PASSWORD_RESET_RATE_PER_ADDRESS = os.environ.get("TRACKER_PASSWORD_RESET_RATE_PER_ADDRESS", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("TRACKER_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
RATELIMIT_USE_CACHE = "ratelimit"
# Proposal leads (/leads/new/) anyone may send without a captcha: per client address.
LEAD_RATE_PER_ADDRESS = os.environ.get("TRACKER_LEAD_RATE_PER_ADDRESS", "5/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `make backup` (django-dbbackup) writes database dumps and media archives here.
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("TRACKER_BACKUP_DIR", str(BASE_DIR / "backups"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"

# Console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "提案办理追踪 <noreply@localhost>")
SITE_URL = os.environ.get("TRACKER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "提案办理追踪 Open Data API",
    "DESCRIPTION": (
        "Read-only published data: proposals, departments, replies with items and commitments, statistics."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api.schema.declare_errors",
    ],
}

PAGE_SIZE = envint("TRACKER_PAGE_SIZE", 50)

# A reply's salutation names up to this many proposers; beyond it, the first name and 等
# ("张三等委员："), proposals.models.salutation.
SALUTATION_MAX_NAMES = envint("TRACKER_SALUTATION_MAX_NAMES", 3)

# Public pages are served to anonymous visitors from this cache, keyed by the versions of the data they
# show (pagecache/): a write makes earlier copies unreachable, so the lifetime only bounds memory. 0
# turns the page cache off. The versions live in the database; the copies in each process, or in
# Redis when REDIS_URL is set (default_cache below).
PUBLIC_PAGE_CACHE_SECONDS = envint("TRACKER_PUBLIC_PAGE_CACHE_SECONDS", 600)
# The longest one deadline extension may move a due date (ExtendForm): half a year by default.
TRACKER_MAX_EXTENSION_DAYS = envint("TRACKER_MAX_EXTENSION_DAYS", 183)


def envweights(name, default):
    """`key=number,key=number` (e.g. on_time=40,satisfaction=30,…) as a dict of floats. Which keys and
    what sum are checked by opendata.checks, for a value set here or in code alike."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    weights = {}
    for pair in raw.split(","):
        key, _sep, value = pair.partition("=")
        try:
            weights[key.strip()] = float(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: write key=number pairs separated by commas, "
                "e.g. on_time=30,satisfaction=30,promises=20,opinions=10,returns=10."
            ) from None
    return weights


# Unit scoring (opendata/scoring.py, /office/scores/): the weight of each part in percent, summing to
# 100 (a system check refuses anything else). Scores are for the office: TRACKER_PUBLISH_SCORES=1 also
# serves them at /scores/ — a public league table invites gaming and blame, so think before turning it on.
TRACKER_SCORE_WEIGHTS = envweights(
    "TRACKER_SCORE_WEIGHTS",
    {"on_time": 30, "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 10},
)
TRACKER_PUBLISH_SCORES = envbool("TRACKER_PUBLISH_SCORES", False)


def default_cache():
    """Redis (Django's RedisCache, redis-py) when REDIS_URL is set: one copy of each page for every
    process, kept across restarts. Otherwise each process's own memory, which needs nothing running."""
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"REDIS_URL={url!r} is not supported: use redis://host:port/db.")
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tracker",
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": envint("TRACKER_CACHE_MAX_ENTRIES", 2000)},
    }


CACHES = {
    "default": default_cache(),
    # Shared by every process; the table is created by tracker's migration 0001.
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tracker_ratelimit_cache",
    },
}

# Backups (django-dbbackup): the database without sessions, and the uploaded files. PostgreSQL is
# dumped by pg_dump (restored by psql into an empty database or over an existing one); SQLite by
# Django's serializer, restored into a migrated empty install. See README "Backup and restore".
DBBACKUP_CONNECTORS = {
    "default": (
        {"EXCLUDE": ["django_session"]}
        if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        else {"CONNECTOR": "tracker.backup.UnicodeSafeDjangoConnector", "EXCLUDE": ["sessions.Session"]}
    )
}
DBBACKUP_SEND_EMAIL = False

# Content-Security-Policy (django-csp): our own static files only, no inline script or style.
# Bootstrap's CSS draws its form icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Behind a TLS-terminating proxy in production; all of this is what `check --deploy` asks for.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    # DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 serve plain HTTP (gunicorn tried on
    # loopback without a TLS proxy; `make load`): a Secure cookie never comes back over http, so
    # neither login nor any form would work. Never in production.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Everything goes to the root's console handler once: Django's default config gives the "django"
# logger a console handler of its own in debug, which printed each warning ("Not Found: …") twice.
# The dev server's request lines ("django.server") keep Django's own handler.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL}},
}
