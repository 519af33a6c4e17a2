"""Settings for the claims ledger, read from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The origin every absolute URL starts with (canonical links, feed, sitemap, ClaimReview, API
# cursors): taken from the request's Host header, one request could write it into cached pages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off (https://ledger.example.org)."
    )
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path or _site.query:
    raise ImproperlyConfigured(
        f"SITE_URL must be an origin such as https://ledger.example.org, not {SITE_URL!r}."
    )

# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For and
# setting X-Forwarded-Proto; with 0 those headers come from clients and are ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Names the deployed code (e.g. its commit): pages' ETags and cached responses change with it.
RELEASE = os.environ.get("RELEASE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "sources",
    "claims",
    "seeds",
]

MIDDLEWARE = [
    # First: SecurityMiddleware's HTTPS redirect reads the scheme the proxies vouch for.
    "ledger.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above every middleware that reads or writes the body; WhiteNoise serves static files
    # compressed ahead of time.
    "django.middleware.gzip.GZipMiddleware",
    "ledger.middleware.ContentSecurityPolicyMiddleware",
    # Above the session and CSRF middleware, so it sees the cookies they set.
    "ledger.middleware.ResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so its process_exception is the first to see a view's lost connection.
    "ledger.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "ledger.urls"

TEMPLATES = [
    # The reader pages (templates/jinja2/, ledger/jinja2.py). A name not found there falls
    # through to Django's templates: the admin's, and the API's browsable pages.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "ledger.jinja2.environment",
            "context_processors": ["django.template.context_processors.i18n"],
        },
    },
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
            ],
        },
    },
]

WSGI_APPLICATION = "ledger.wsgi.application"
ASGI_APPLICATION = "ledger.asgi.application"

# PostgreSQL in production and CI; an SQLite file is the embedded default for a first run.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis caching is optional: without REDIS_URL the local-memory cache is used.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Without Redis, pages are built afresh, never wrong (claims.cache): a fault costs
            # speed, so it must not cost long waits either.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Published pages and API responses are cached only in a cache every app process shares.
PUBLISHED_CACHE_SECONDS = int(os.environ.get("PUBLISHED_CACHE_SECONDS", "300")) if REDIS_URL else 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries with large cost estimates: JIT compiling costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters stay bound by the client, so no prepared statements (benchmarks/README.md):
    # a query bound by the server takes at most 65,535 of them.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Traditional Chinese is the simplified through OpenCC (claims.web.languages).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Request bodies above this size are refused with 413 (quotes and articles are small).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_BODY_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# The claim page posts about ten fields per assertion row.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.throttling.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.LedgerAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.ClientAddressRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("ANON_THROTTLE_RATE", "600/minute")},
}

# Failed sign-ins: an address that fails LOGIN_FAILURE_LIMIT times is locked out for
# LOGIN_LOCKOUT_SECONDS, whatever username or token it tries next. Admin logins are counted
# by django-axes (in the database, so a lockout holds with the cache down), by the client
# address the trusted proxies vouch for (ledger.site.client_address, as the API throttle);
# API tokens by claims.api.throttling.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
INSTALLED_APPS += ["axes"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("ledger.middleware.DatabaseOutageMiddleware"), "axes.middleware.AxesMiddleware"
)
AUTHENTICATION_BACKENDS = [
    "ledger.lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "ledger.site.client_address"
AXES_RESET_ON_SUCCESS = True

SPECTACULAR_SETTINGS = {
    # The documented request bodies are JSON (a value is a nested object, which a form cannot
    # carry); form posts still parse, for the browsable API.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "TITLE": "Claims ledger API",
    "DESCRIPTION": "Contested claims in news coverage, the quotes that bear on them, "
    "what each quote asserts, and where sources conflict.",
    "VERSION": "1.0.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.closed_request_bodies",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set, shared by every serializer that uses it.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.ClaimKind",
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "ConflictKindEnum": "claims.models.ConflictKind",
        "ConflictStatusEnum": "claims.models.ConflictStatus",
        "EntityKindEnum": "claims.models.EntityKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "ValueKindEnum": "claims.models.ValueKind",
        "SuggestionStatusEnum": "claims.models.SuggestionStatus",
        "VerdictEnum": "claims.models.GIVEN_VERDICTS",
    },
}

# Reader pages run no script (their JSON-LD is data); ledger.middleware adds what the admin
# and the API docs page need.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "style-src": [SELF],
        "img-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Scans of imported sources for suggested evidence (claims.scans): an RQ queue on REDIS_URL,
# worked by `python manage.py scan_worker`; without Redis they run inline.
SCAN_QUEUE = os.environ.get("SCAN_QUEUE", "scans")
SCAN_JOB_TIMEOUT = int(os.environ.get("SCAN_JOB_TIMEOUT", "600"))
