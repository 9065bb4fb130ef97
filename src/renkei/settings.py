"""Settings for Renkei, read from environment variables.

Every setting an operator may change comes from the environment (``DATABASE_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DEBUG``, ``EMAIL_URL``, ``TILE_URL`` …). With ``DEBUG`` off the defaults are the
secure ones; a missing ``SECRET_KEY`` then stops start-up with a one-line reason.
"""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from renkei import demo_env

env = environ.Env()

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout (``pip install -e .``) var/ sits beside src/; elsewhere set RENKEI_VAR_DIR.
VAR_DIR = demo_env.var_dir()

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY が設定されていません。本番環境では環境変数 SECRET_KEY に50文字以上の乱数を設定してください。"
        )
    # Development: one random key per checkout, kept under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_htmx",
    # Serves the API documentation (Swagger UI) from its own package data, not from a CDN.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "renkei.core",
    "renkei.directory",
    "renkei.freshness",
    "renkei.sharing",
    "renkei.consultations",
    "renkei.continuity",
    "renkei.meetings",
    "renkei.outreach",
    "renkei.reports",
    "renkei.transitions",
    "renkei.operations",
]

MIDDLEWARE = [
    # /healthz and /readyz first (before the host check and HTTPS redirect); the route for the access log.
    "renkei.operations.health.ServingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, writing an unchanged session at most once every SESSION_REFRESH_SECONDS (core/sessions.py).
    "renkei.core.sessions.RefreshingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The access log's origin (page, API) and client address, for services that never see the request.
    "renkei.core.audit.AccessOriginMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renkei.urls"
WSGI_APPLICATION = "renkei.wsgi.application"
ASGI_APPLICATION = "renkei.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renkei.core.context_processors.site",
            ],
        },
    },
]


def _database(variable: str = "DATABASE_URL") -> dict:
    if env.str(variable, default=""):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # an unknown scheme is reported below, in Japanese
                db = env.db_url(variable)
        except (ImproperlyConfigured, KeyError, ValueError) as exc:
            raise ImproperlyConfigured(f"{variable} の形式が正しくありません: {exc}") from None
        if not db.get("ENGINE"):
            raise ImproperlyConfigured(
                f"{variable} の形式が正しくありません（例: postgres://user:password@host:5432/renkei）。"
            )
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "renkei.sqlite3")}
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                # WAL lets the pages read while an import writes; IMMEDIATE avoids "database is locked"
                # surprises when two writers start a transaction at the same moment.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    else:
        db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
        if db["ENGINE"] == "django.db.backends.postgresql":
            # No JIT: it compiles each large aggregate anew (70 ms of the freshness dashboard's
            # 190 ms query in a 40,000-facility region) and never pays back on short web queries.
            # An `options` given in DATABASE_URL is kept as it is.
            db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return db


DATABASES = {"default": _database()}
# A PostgreSQL read replica for the public directory pages (renkei.core.replica, docs/scaling.md).
RENKEI_READ_REPLICA = "replica" if env.str("DATABASE_REPLICA_URL", default="") else None
if RENKEI_READ_REPLICA:
    DATABASES[RENKEI_READ_REPLICA] = _database("DATABASE_REPLICA_URL")
    if DATABASES[RENKEI_READ_REPLICA]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL は DATABASE_URL と同じ種類のデータベースにしてください。"
        )
DATABASE_ROUTERS = ["renkei.core.replica.PublicReadsToReplica"] if RENKEI_READ_REPLICA else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "renkei.core.auth_backend.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Password-reset mail: the link holds for an hour; an address gets at most 3 mails and a client may
# ask 10 times within 15 minutes (renkei.core.accounts.claim_password_reset).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=3600)
PASSWORD_RESET_WINDOW_MINUTES = 15
PASSWORD_RESET_PER_ADDRESS = 3
PASSWORD_RESET_PER_CLIENT = 10
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"

# Lock an account out after repeated failures; by username so that one office behind a shared
# address does not lock out its colleagues.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as the access log (behind reverse proxies: RENKEI_TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "renkei.core.client_address.client_address"
# axes warns that username-only lockout can be bypassed by rotating client addresses; locking by address
# instead would let one mistyped password lock a whole hospital behind its shared address. The
# username lockout plus strong passwords and TOTP is the better trade here.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: a session ends 30 minutes after the last request.
CACHES = {
    # Django's own default (per-process memory): rate-limit counters and the like.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Anonymous directory pages, per worker, keyed by the data's version (core/public_cache.py).
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renkei-public",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": env.int("RENKEI_PUBLIC_CACHE_ENTRIES", default=1000)},
    },
}

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# Instead of SESSION_SAVE_EVERY_REQUEST: an unchanged session is written (its expiry moved on) once its last
# write is this old, so the idle timeout holds to within this many seconds (renkei.core.sessions).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# One language. Renkei's own text is written as plain Japanese literals (no message catalog to keep in
# step with a second language no one uses); USE_I18N stays on so that Django's own messages (form
# errors, password rules, the admin) come in Japanese from Django's catalog.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded files holding personal data (renkei.core.uploads): under MEDIA_ROOT, never served by URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if env.str("RENKEI_S3_BUCKET", default=""):
    # Several app servers share the uploads through a bucket (docs/scaling.md). Credentials come the way
    # boto3 reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role). Files are
    # private objects, encrypted at rest, read back only through Renkei's permission-checked views.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("RENKEI_S3_BUCKET"),
            "endpoint_url": env.str("RENKEI_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("RENKEI_S3_REGION", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="renkei@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Map tiles: 地理院タイル by default; any XYZ tile URL works. The map still lists results without tiles.
TILE_URL = env.str("TILE_URL", default="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = env.str(
    "TILE_ATTRIBUTION",
    default='<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


# Security headers. CSP: everything from our own origin; map tiles from the tile server only.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_origin(TILE_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" only states consent; a site enters browsers' lists only when its operator submits it.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs carry no personal data: no request bodies, no user names (axes' failure messages name the
# user, so its logger is kept quiet; the failures themselves are stored for administrators).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django's request warnings name the path; it is shown as the access log shows it (no tokens).
    "filters": {"redact_paths": {"()": "renkei.operations.redaction.RedactRequestPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_paths"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        # PDF rendering reports each step at INFO; only problems are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

RENKEI_DEFAULT_REGION = env.str("RENKEI_DEFAULT_REGION", default="hachinohe")

# Second factor (django-otp). The issuer names Renkei in people's authenticator apps. Throttling:
# after n consecutive wrong codes a device refuses every code for 2**(n-1) seconds (at most an hour).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Renkei")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# System administrators may delete a person's device in the admin, never read its secret or codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# How many reverse proxies of our own stand in front of Renkei: the client's address is then read
# from X-Forwarded-For (see renkei.core.client_address). 0: REMOTE_ADDR as it is.
RENKEI_TRUSTED_PROXY_COUNT = env.int("RENKEI_TRUSTED_PROXY_COUNT", default=0)
# The address people use to reach Renkei, for links in mail sent outside a request (digests).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Care-team attachments and consent scans: largest file accepted.
SHARING_MAX_UPLOAD_BYTES = env.int("SHARING_MAX_UPLOAD_MB", default=10) * 1024 * 1024

# Request bodies are bounded before they are read. Form fields other than files: Django's 2.5 MB and
# 1,000 fields; files: at most 100 in a request, and a request carrying files at most
# RENKEI_MAX_REQUEST_BYTES — the facility import's 200 MB of files and its form — refused from its
# Content-Length before anything is written to disk (renkei.core.request_limits). Each form bounds its own
# files further (attachments 10 MB, a desk's tally sheet 10 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=100)
RENKEI_MAX_REQUEST_BYTES = env.int("RENKEI_MAX_REQUEST_MB", default=201) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "renkei.core.request_limits.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Tables people upload (CSV, Excel, zips of CSVs) are bounded before they are read
# (renkei.core.tabular): the file as given; for a zip or a workbook its members, their size unpacked
# and their compression ratio, from the archive's directory; then the columns of every row.
RENKEI_TABLE_MAX_BYTES = env.int("RENKEI_TABLE_MAX_MB", default=200) * 1024 * 1024
RENKEI_TABLE_MAX_UNCOMPRESSED_BYTES = env.int("RENKEI_TABLE_MAX_UNCOMPRESSED_MB", default=1024) * 1024 * 1024
RENKEI_TABLE_MAX_ZIP_MEMBERS = env.int("RENKEI_TABLE_MAX_ZIP_MEMBERS", default=100)
RENKEI_TABLE_MAX_COMPRESSION_RATIO = env.int("RENKEI_TABLE_MAX_COMPRESSION_RATIO", default=100)
RENKEI_TABLE_MAX_COLUMNS = env.int("RENKEI_TABLE_MAX_COLUMNS", default=1000)
# A desk's old tally sheet (consultations import): the file, the workbook unpacked, and its rows (the
# records export stops at the same number, so an exported file imports again).
CONSULTATIONS_IMPORT_MAX_BYTES = env.int("CONSULTATIONS_IMPORT_MAX_MB", default=10) * 1024 * 1024
CONSULTATIONS_IMPORT_MAX_UNCOMPRESSED_BYTES = (
    env.int("CONSULTATIONS_IMPORT_MAX_UNCOMPRESSED_MB", default=50) * 1024 * 1024
)
CONSULTATIONS_IMPORT_MAX_ROWS = env.int("CONSULTATIONS_IMPORT_MAX_ROWS", default=20000)
