"""Haven's settings: all read from the environment here, with defaults that run on one laptop.

Every variable is listed in README.md ("Configuration").
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from haven.lib.devsecrets import dev_blind_index_key, dev_field_key, dev_secret_key
from haven.lib.env import envbool, envint, envlist, envsecret, envstr
from haven.lib.languages import catalogue_languages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("HAVEN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("HAVEN_DEBUG", False)
TESTING = envbool("HAVEN_TESTING", False)
HTTPS = envbool("HAVEN_HTTPS", False)

SECRET_KEY = envsecret("HAVEN_SECRET_KEY") or dev_secret_key(VAR_DIR)
ALLOWED_HOSTS = envlist("HAVEN_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("HAVEN_CSRF_TRUSTED_ORIGINS")

# Sensitive fields (notes, narratives, contact points) are encrypted with the first key;
# older keys still decrypt until `manage.py rotate_field_keys` has re-encrypted everything.
FIELD_ENCRYPTION_KEYS = envlist("HAVEN_FIELD_KEYS") or [dev_field_key(VAR_DIR)]
BLIND_INDEX_KEY = envsecret("HAVEN_BLIND_INDEX_KEY") or dev_blind_index_key(VAR_DIR)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    # huey.contrib.djhuey, imported without the queue drivers it does not use (core/huey_app.py).
    "haven.core.huey_app.HueyConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "haven.core",
    "haven.audit",
    "haven.agencies",
    "haven.people",
    "haven.cases",
    "haven.incidents",
    "haven.intake",
    "haven.outreach",
    "haven.integrations",
    "haven.assistance",
    "haven.lethality",
    "haven.safety",
    "haven.followup",
    "haven.oncall",
    "haven.crisis",
    "haven.partners",
    "haven.consent",
    "haven.referrals",
    "haven.justice",
    "haven.program",
    "haven.notices",
    "haven.compensation",
    "haven.funding",
    "haven.reports",
    "haven.retention",
    "haven.portal",
    "haven.public",
    "haven.sso",
    "haven.accounts",
    "haven.platform",
    "haven.demo",
    "haven.ops",
    "haven.protocols",
    "haven.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on every answer whose view set none (victim data must not stay
    # in a shared desk's browser cache or back button after sign-out); after WhiteNoise, so
    # static files keep their long cache; before the rest, so even their early answers get it.
    "haven.core.middleware.NoStoreMiddleware",
    # A NUL in the address is refused before any view can take it to the database.
    "haven.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "haven.accounts.middleware.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haven.accounts.middleware.ActorMiddleware",
    # The staff interface in the signed-in member's language, never the browser's; victim
    # pages keep their own five-language choice (docs/translation.md). After ActorMiddleware,
    # whose membership holds the language.
    "haven.accounts.middleware.MemberLanguageMiddleware",
    # Last, so a locked-out sign-in never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "haven" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.core.context_processors.actor",
            ],
        },
    },
]

_database_url = envstr("HAVEN_DATABASE_URL")
# On PostgreSQL each process keeps a pool of connections (Django's own, psycopg_pool): the web
# worker and every worker thread borrow one for a request or task and give it back, instead of
# opening one per request or keeping one per thread. HAVEN_DATABASE_POOL=off goes back to one
# persistent connection per thread (60 s); docs/scaling.md, "Connections".
DATABASE_POOL = envbool("HAVEN_DATABASE_POOL", True)
_POOL_OPTIONS = {
    "min_size": envint("HAVEN_DATABASE_POOL_MIN", 1),
    "max_size": envint("HAVEN_DATABASE_POOL_MAX", 8),
    # Seconds a request waits for a free connection before it fails.
    "timeout": envint("HAVEN_DATABASE_POOL_TIMEOUT", 10),
}


def _postgres(url: str) -> dict:
    """One PostgreSQL database from its URL: pooled, or one connection per thread."""
    if not DATABASE_POOL:
        return dj_database_url.parse(url, conn_max_age=60)
    database = dj_database_url.parse(url, conn_max_age=0)  # the pool wants CONN_MAX_AGE 0
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["pool"] = dict(_POOL_OPTIONS)
    return database


if _database_url:
    DATABASES = {"default": _postgres(_database_url)}
    # A streaming replica of it (docs/scaling.md, "The read replica"): the reports dashboard
    # and the PMT and grant downloads read from it (haven.core.replica); nothing
    # else does, and nothing is ever written there. The tests use the primary under that name.
    _replica_url = envstr("HAVEN_REPLICA_DATABASE_URL")
    if _replica_url:
        DATABASES["replica"] = _postgres(_replica_url) | {"TEST": {"MIRROR": "default"}}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "haven.sqlite3",
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing halfway with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Each server process's own memory, never a shared store. "case_pages": rendered case-page bodies
# (haven/cases/page_cache.py: they hold a victim's details), about 40 KB each, kept a minute
# (page_cache.LIFETIME, given with each body).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "case_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "case-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# Writes always go to "default"; reads only inside haven.core.replica.replica_reads() may go to
# "replica", when HAVEN_REPLICA_DATABASE_URL names one.
DATABASE_ROUTERS = ["haven.core.replica.ReplicaRouter"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # NIST SP 800-63B: refuse context-specific words (the service's name); no composition rules.
    {"NAME": "haven.accounts.validators.ContextWordsValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A second factor (an authenticator app's TOTP code) at sign-in: always for users who enrolled
# one; for everyone, who must then enroll at their next sign-in, when this is on.
REQUIRE_TWO_FACTOR = envbool("HAVEN_REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = envstr("HAVEN_TOTP_ISSUER", "Haven")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account out after repeated failures, per user name and address.
AXES_FAILURE_LIMIT = envint("HAVEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("HAVEN_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# A shared desk in a police building: sessions end after 30 idle minutes and with the browser.
# The idle clock restarts when the session is written, at most once a minute
# (accounts.middleware.SessionTouchMiddleware), not on every request.
SESSION_COOKIE_AGE = envint("HAVEN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("HAVEN_HSTS_SECONDS", 31536000) if HTTPS else 0
# Haven has a host name of its own (haven.example.gov): its subdomains are HTTPS-only too, and
# the preload flag does nothing until someone submits the domain to the browsers' list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# A load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from Haven's own
# files, no inline script or style, no plugins, no framing. USWDS's stylesheet draws its icons
# from data: URIs. form-action is left out on purpose: signing in through an agency's identity
# provider posts to Haven and is redirected to the provider, which form-action would block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Addresses are taken from REMOTE_ADDR unless Haven sits behind this many trusted proxies.
TRUSTED_PROXY_COUNT = envint("HAVEN_TRUSTED_PROXY_COUNT", 0)

# The staff interface's languages: English and each language with a catalogue in
# haven/locale (docs/translation.md). Adding one is a catalogue file, no code.
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "haven" / "locale"]
LANGUAGES = catalogue_languages(LOCALE_PATHS[0])
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Uploaded files (emergency assistance receipts, haven.funding): never served as static files,
# only through a view that checks access and audits the read.
MEDIA_ROOT = Path(envstr("HAVEN_MEDIA_ROOT", "") or VAR_DIR / "media")
# Stored files (haven.documents; docs/operations.md, "Stored files"): encrypted before they are
# written, under random names. HAVEN_STORAGE=local keeps them on this disk under MEDIA_ROOT
# (FileSystemStorage reads MEDIA_ROOT itself, so a test that moves it moves them);
# HAVEN_STORAGE=s3 in an S3-compatible bucket through django-storages and boto3 (tested
# against a real S3 server process: haven/documents/tests/test_s3.py).
STORAGE_KIND = envstr("HAVEN_STORAGE", "local")
if STORAGE_KIND == "local":
    _DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_KIND == "s3":
    import importlib.util

    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "HAVEN_STORAGE=s3 needs django-storages with boto3 (`pip install "
            "'django-storages[s3]'`); see docs/operations.md, \"Stored files\"."
        )
    if envstr("HAVEN_S3_ADDRESSING_STYLE") not in ("", "auto", "path", "virtual"):
        raise ImproperlyConfigured("HAVEN_S3_ADDRESSING_STYLE: use auto, path or virtual.")
    if not envstr("HAVEN_S3_BUCKET"):
        raise ImproperlyConfigured("HAVEN_STORAGE=s3 needs HAVEN_S3_BUCKET (the bucket's name).")
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("HAVEN_S3_BUCKET"),
            "endpoint_url": envstr("HAVEN_S3_ENDPOINT_URL") or None,
            "region_name": envstr("HAVEN_S3_REGION") or None,
            "access_key": envsecret("HAVEN_S3_ACCESS_KEY_ID"),
            "secret_key": envsecret("HAVEN_S3_SECRET_ACCESS_KEY"),
            "location": envstr("HAVEN_S3_PREFIX", ""),
            # "path" for a store without a wildcard DNS name per bucket (most MinIO and Ceph
            # installations); by default boto3 chooses.
            "addressing_style": envstr("HAVEN_S3_ADDRESSING_STYLE", "") or None,
            # Never a public object, never a signed URL handed out: Haven streams every file
            # itself, after its access check and audit.
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"HAVEN_STORAGE={STORAGE_KIND!r}: use local or s3.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The largest file a document may be (HAVEN_DOCUMENT_MAX_BYTES; 25 MB). A proxy in front of
# Haven must let a request this large through (nginx: client_max_body_size 26m).
DOCUMENT_MAX_BYTES = envint("HAVEN_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic's target; whitenoise wants it
STATICFILES_DIRS = [
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    (
        "simplewebauthn",
        BASE_DIR / "node_modules" / "@simplewebauthn" / "browser" / "dist" / "bundle",
    ),
    BASE_DIR / "haven" / "static",
]
# Served straight from the source folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "haven.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "haven.core.api.exception_handler",
}
# The incident import over the API (haven/incidents/api.py, docs/api-import.md): the largest
# request body it takes, and the operator's own import profiles (paths of .toml files, each
# asked for by its file name without .toml, beside the shipped chicago, lapd and nibrs).
IMPORT_MAX_BYTES = envint("HAVEN_IMPORT_MAX_BYTES", 200_000_000)
IMPORT_PROFILES = envlist("HAVEN_IMPORT_PROFILES")
# The address staff open Haven at, for links in emails sent by the worker (no request there).
# Every link in a text, email or letter starts with it, so it is never empty: unset, it is the
# address `make run` serves (a deployment sets HAVEN_SITE_URL; `check --deploy` warns if not).
SITE_URL_DEFAULT = "http://127.0.0.1:8000"
SITE_URL_SET = bool(envstr("HAVEN_SITE_URL", ""))
SITE_URL = (envstr("HAVEN_SITE_URL", "") or SITE_URL_DEFAULT).rstrip("/")
SPECTACULAR_SETTINGS = {
    "TITLE": "Haven API",
    "DESCRIPTION": "Case management for law-enforcement-based victim services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every route: for signed-in staff and agency API tokens only.
    "SERVE_AUTHENTICATION": [
        "haven.integrations.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["haven.integrations.authentication.SignedInOrApiToken"],
}

# Where the worker appends each chain head of the access log every day (audit-anchors.jsonl).
# Point it at storage Haven's database user cannot rewrite (a write-once mount, a synced copy).
AUDIT_ANCHOR_DIR = Path(envstr("HAVEN_AUDIT_ANCHOR_DIR", str(VAR_DIR / "anchors")))

_redis_url = envstr("HAVEN_REDIS_URL")
HUEY = {
    "name": "haven",
    "immediate": TESTING,
    "utc": True,
}
if _redis_url:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": _redis_url}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}
# The worker's own log (run_huey): WARNING by default, so a running worker is quiet until
# something needs a person; HAVEN_WORKER_LOG_LEVEL=INFO shows every task it runs.
_WORKER_LOG_LEVELS = {"WARNING": False, "INFO": None, "DEBUG": True}
_worker_log_level = envstr("HAVEN_WORKER_LOG_LEVEL", "WARNING").upper()
if _worker_log_level not in _WORKER_LOG_LEVELS:
    raise ImproperlyConfigured(
        f"HAVEN_WORKER_LOG_LEVEL={_worker_log_level!r}: use WARNING, INFO or DEBUG."
    )
HUEY["consumer"] = {"verbose": _WORKER_LOG_LEVELS[_worker_log_level]}
# /healthz answers 503 when no worker has written its every-minute heartbeat for this long.
HEARTBEAT_MAX_SECONDS = envint("HAVEN_HEARTBEAT_MAX_SECONDS", 180)
if TESTING:
    HUEY |= {"huey_class": "huey.MemoryHuey"}
    HUEY.pop("filename", None)
    HUEY.pop("url", None)

# Mail goes out over SMTP only when a server is named; until then (a laptop, a first run) each
# message is written to a file in MAIL_DIR, so nothing fails and nothing is lost.
EMAIL_HOST = envstr("HAVEN_SMTP_HOST", "")
EMAIL_PORT = envint("HAVEN_SMTP_PORT", 25)
EMAIL_HOST_USER = envstr("HAVEN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = envsecret("HAVEN_SMTP_PASSWORD") or ""
EMAIL_USE_TLS = envbool("HAVEN_SMTP_STARTTLS", False)
MAIL_DIR = Path(envstr("HAVEN_MAIL_DIR", str(VAR_DIR / "mail")))
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = MAIL_DIR
DEFAULT_FROM_EMAIL = envstr("HAVEN_FROM_EMAIL", "haven@localhost")
# Messages to victims (haven/notices, docs/notices.md): the SMS provider (console, file, twilio).
HAVEN_SMS_PROVIDER = envstr("HAVEN_SMS_PROVIDER", "console")
HAVEN_SMS_FILE = envstr("HAVEN_SMS_FILE", "")
HAVEN_SMS_FROM = envstr("HAVEN_SMS_FROM", "")
HAVEN_TWILIO_ACCOUNT_SID = envstr("HAVEN_TWILIO_ACCOUNT_SID", "")
HAVEN_TWILIO_AUTH_TOKEN = envsecret("HAVEN_TWILIO_AUTH_TOKEN") or ""
HAVEN_TWILIO_API_BASE = envstr("HAVEN_TWILIO_API_BASE", "https://api.twilio.com")
# Email bounces (docs/notices.md, "Delivery and replies"): the envelope sender a bounce comes
# back to, made per message as local+<token>@domain (VERP); and the secret that signs the JSON
# bounce webhook. Either may be empty: then bounces are not followed.
HAVEN_BOUNCE_ADDRESS = envstr("HAVEN_BOUNCE_ADDRESS", "")
HAVEN_BOUNCE_WEBHOOK_SECRET = envsecret("HAVEN_BOUNCE_WEBHOOK_SECRET") or ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("HAVEN_LOG_LEVEL", "WARNING")},
    # The worker prints through huey's own handler; don't print every line twice.
    "loggers": {"huey": {"propagate": False}},
}
