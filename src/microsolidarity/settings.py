"""The one settings module: every knob is an environment variable (see docs/deploy.md)."""

import importlib.util
import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# pytest-django reads settings before any conftest runs, so a pytest process counts as testing.
TESTING = env_bool("MICROSOLIDARITY_TESTING", "pytest" in sys.modules)

# A development key is fine on a laptop; production refuses anything weak.
_DEV_SECRET_KEY = "dev-only-not-secret-microsolidarity-0123456789-abcdefghij"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
# Retired keys, still accepted after a rotation (signed cookies, API token digests).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
# The parts journal's key (empty: derived from SECRET_KEY); older keys stay readable.
JOURNAL_KEY = env_str("JOURNAL_KEY")
JOURNAL_KEY_FALLBACKS = env_list("JOURNAL_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")


def _refuse_unsafe_production() -> None:
    if DEBUG:
        return
    weak = (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY.startswith("django-insecure")
        or SECRET_KEY == _DEV_SECRET_KEY
    )
    if weak:
        raise ImproperlyConfigured(
            "With DEBUG off, SECRET_KEY must be at least 50 characters with 5 or more "
            "distinct ones (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG off, ALLOWED_HOSTS must name this site's hosts.")
    if JOURNAL_KEY and len(JOURNAL_KEY) < 50:
        raise ImproperlyConfigured("JOURNAL_KEY, when set, must be at least 50 random characters.")


_refuse_unsafe_production()

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's public address, for links in emails and calendar feeds made outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # django.contrib.staticfiles, collecting only what pages use (static_files.py).
    "microsolidarity.static_files.StaticFiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "microsolidarity.people",
    "microsolidarity.notifications",
    "microsolidarity.groups",
    "microsolidarity.gatherings",
    "microsolidarity.dyads",
    "microsolidarity.crewing",
    "microsolidarity.journal",
    "microsolidarity.programs",
    "microsolidarity.participation",
    "microsolidarity.library",
    "microsolidarity.api",
    "microsolidarity.home",
    "microsolidarity.rights",
    "microsolidarity.moderation",
    "microsolidarity.outreach",
    "microsolidarity.network",
    "microsolidarity.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The API's 404 and 413 in its JSON error shape, DEBUG or not (before anything reads a body).
    "microsolidarity.api.middleware.ApiErrorsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "microsolidarity.people.middleware.ViewerTimezoneMiddleware",
    # Last, so every middleware above still runs around a kept page.
    "microsolidarity.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "microsolidarity.urls"
WSGI_APPLICATION = "microsolidarity.wsgi.application"

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
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

VAR_DIR = Path(env_str("VAR_DIR", str(PROJECT_DIR / "var")))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'microsolidarity.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it, so a database restart
        # costs one reconnect instead of an error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "microsolidarity.redis_cache.SharedClientsRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Abuse-limit counters, shared by every web process: Redis, else a database table made after
# migrate (microsolidarity/limit_counters.py). django-ratelimit and allauth count there.
CACHES["limits"] = (
    {
        "BACKEND": "microsolidarity.redis_cache.SharedClientsRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "limits",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "microsolidarity_limits",
    }
)
RATELIMIT_USE_CACHE = "limits"
# Pages kept per viewer, valid while no table they read was written (page_cache.py, decision
# 0013-c). Only on Redis: every process (web and worker) must see the same table versions.
# Off unless asked for: on the busy evening it did not raise throughput (docs/benchmarks.md).
PAGE_CACHE = env_bool("PAGE_CACHE", False)
if PAGE_CACHE and not REDIS_URL and not TESTING:
    raise ImproperlyConfigured("PAGE_CACHE needs REDIS_URL: the processes share its versions.")
# Only for what the clock changes (a gathering that ended, "tomorrow"), never for data.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# Web workers this site runs (gunicorn reads WEB_CONCURRENCY too): `check --deploy` warns
# when several run without a cache they share.
WEB_WORKERS = env_int("WEB_CONCURRENCY", 1)

TASK_BACKEND = env_str("TASK_BACKEND", "database")
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured("TASK_BACKEND must be database, rq or immediate")

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose; tests make many people. A test checks the production list.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the identity; verification is mandatory; a code by email signs in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Abuse limits (docs/security.md lists each one and why it cannot lock an owner out): keyed by
# address (IPv6 per /64) or by the person acting, never by the account being signed in to.
# Tests sign in many times from one address: the limits are off there unless a test turns them on.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", not TESTING)
SIGN_IN_RATE_LIMITS = {
    "login": "25/5m/ip",
    # allauth's default adds 5 failures per email in 5 minutes: an account lock-out. Not here.
    "login_failed": None,
    "signup": "5/30m/ip",
    "reset_password": "20/m/ip,5/30m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/10s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_RATE_LIMITS = SIGN_IN_RATE_LIMITS if RATE_LIMITS_ENABLED else False
ABUSE_LIMITS = {
    "invite": "30/h",
    "rsvp": "60/h",
    "api": "300/5m",
    "api_token_failure": "20/5m",
    "account_delete": "10/h",
    "data_export": "10/h",
    "newsletter_subscribe": "10/h",
    # Posts to our ActivityPub inboxes, per sending address (docs/federation.md).
    "federation_inbox": env_str("FEDERATION_INBOX_RATE", "300/5m"),
}
RATELIMIT_ENABLE = RATE_LIMITS_ENABLED
ACCOUNT_ADAPTER = "microsolidarity.people.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "microsolidarity.people.forms.SignupExtrasForm"

_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": {}}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    # One file per connection, to read what a whole running site sent (`serve` tests do).
    MAILERS["default"]["OPTIONS"] = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Microsolidarity <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
# One date and time format per language (formats/<code>/formats.py), named in templates.
FORMAT_MODULE_PATH = ["microsolidarity.formats"]
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# Pico comes from npm (package.json), installed by make; never copied into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("pico", PROJECT_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    # The network map: world outlines, their decoder and marker clustering (docs/network.md).
    ("world-atlas", PROJECT_DIR / "node_modules" / "world-atlas"),
    ("topojson-client", PROJECT_DIR / "node_modules" / "topojson-client" / "dist"),
    ("leaflet.markercluster", PROJECT_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    # Leaflet itself from django-leaflet's files; not as an app, whose admin needs GDAL.
    ("leaflet", Path(importlib.util.find_spec("leaflet").origin).parent / "static" / "leaflet"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development and tests serve static files straight from the finders; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Production hardening; every value holds in development too except where HTTPS is needed.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Only our own files run: no inline scripts, styles or handlers (htmx's style: see base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Pico draws its checkboxes and arrows with data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Size guidance per scale; a congregation may override the crew and congregation numbers.
GROUP_SIZE_DEFAULTS = {
    "crew_warn_above": 6,
    "crew_max": 8,
    "congregation_warn_above": 150,
}
DEFAULT_MEMBERSHIP_TIERS = ["Friend", "Partner"]
DEMO_ACCOUNTS_ALLOWED = env_bool("DEMO_ACCOUNTS_ALLOWED", DEBUG)
# Days between asking to delete an account and its deletion; signing in meanwhile cancels.
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 14)
# Webhooks and chat posts may go to loopback and private addresses (development only: SSRF).
OUTREACH_ALLOW_LOCAL_TARGETS = env_bool("OUTREACH_ALLOW_LOCAL_TARGETS", False)
# Formation rounds with more sign-ups than this run in the background worker.
CREWING_ROUND_BACKGROUND_ABOVE = env_int("CREWING_ROUND_BACKGROUND_ABOVE", 300)

# Federation (docs/federation.md). Private networks federation may reach: empty in production,
# where only public addresses are fetched; tests and a private cluster of instances name theirs.
FEDERATION_ALLOW_PRIVATE_NETWORKS = env_list(
    "FEDERATION_ALLOW_PRIVATE_NETWORKS", "127.0.0.0/8,::1/128" if TESTING else ""
)
for _network in FEDERATION_ALLOW_PRIVATE_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"FEDERATION_ALLOW_PRIVATE_NETWORKS holds {_network!r}, which is not a network "
            "like 10.0.0.0/8"
        ) from exc
FEDERATION_MAX_BODY_BYTES = env_int("FEDERATION_MAX_BODY_BYTES", 256 * 1024)
FEDERATION_TIMEOUT_SECONDS = env_int("FEDERATION_TIMEOUT_SECONDS", 10)
FEDERATION_DELIVERY_ATTEMPTS = env_int("FEDERATION_DELIVERY_ATTEMPTS", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO"),
    },
    # WeasyPrint narrates every step of a book build at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
