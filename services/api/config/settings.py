"""Settings of the API, read from environment variables only (see the repo's .env.example).

APP_ENV=production (the default) refuses to start without DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; APP_ENV=development fills in safe local defaults.
"""

import base64
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from config.relying_party import relying_party

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

APP_ENV = env.str("APP_ENV", default="production")
if APP_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("APP_ENV must be production, development or test")
IS_PRODUCTION = APP_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG and IS_PRODUCTION:
    raise ImproperlyConfigured("DJANGO_DEBUG must not be enabled with APP_ENV=production")

if IS_PRODUCTION:
    # No production default for secrets: a missing variable stops the process here.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must not be empty")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="development-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Second factors (accounts/secret_box.py): TOTP secrets are encrypted at rest with these Fernet
# keys, comma-separated, newest first. The first encrypts; every one decrypts (key rotation:
# put the new key first, run `manage.py rotate_mfa_keys`, then drop the old one). Production has
# no default. Elsewhere a fixed development key, which production refuses.
DEVELOPMENT_MFA_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1tZmEta2V5LW5vdC1zZWM="  # not a secret  # nosec B105
if IS_PRODUCTION:
    MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS")
    if DEVELOPMENT_MFA_ENCRYPTION_KEY in MFA_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEYS must not contain the development key")
else:
    MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[DEVELOPMENT_MFA_ENCRYPTION_KEY])
if not MFA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("MFA_ENCRYPTION_KEYS must not be empty")
for _key in MFA_ENCRYPTION_KEYS:
    try:
        _raw = base64.urlsafe_b64decode(_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        _raw = b""
    if len(_raw) != 32:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS must be Fernet keys: 32 bytes in URL-safe base64 (44 characters) each"
        )
# The issuer that authenticator apps show next to the account (the otpauth:// URI).
SITE_NAME = env.str("SITE_NAME", default="Auth Platform")
# A login's second step (POST /api/auth/login/mfa/) must come within this many minutes of the
# password, and may try this many wrong codes; then the password is needed again.
MFA_CHALLENGE_TTL_MINUTES = env.int("MFA_CHALLENGE_TTL_MINUTES", default=5)
if not 1 <= MFA_CHALLENGE_TTL_MINUTES <= 15:
    raise ImproperlyConfigured("MFA_CHALLENGE_TTL_MINUTES must be 1 to 15")
MFA_CHALLENGE_MAX_ATTEMPTS = 5

# Sensitive actions (password, email, factors, recovery codes, deletion, logging out everywhere)
# need the session to have authenticated within this many minutes (accounts/reauthentication.py).
# A fraction is allowed (0.5: thirty seconds), for tests that need a session to go stale.
REAUTHENTICATION_TIMEOUT_MINUTES = env.float("REAUTHENTICATION_TIMEOUT_MINUTES", default=10)
if not 0.5 <= REAUTHENTICATION_TIMEOUT_MINUTES <= 60:
    raise ImproperlyConfigured("REAUTHENTICATION_TIMEOUT_MINUTES must be 0.5 to 60")
REAUTHENTICATION_TIMEOUT = timedelta(minutes=REAUTHENTICATION_TIMEOUT_MINUTES)

# Login by emailed code (accounts/login_codes.py): how long a code lives, and its wrong tries.
LOGIN_CODE_TTL_MINUTES = env.int("LOGIN_CODE_TTL_MINUTES", default=10)
if not 1 <= LOGIN_CODE_TTL_MINUTES <= 30:
    raise ImproperlyConfigured("LOGIN_CODE_TTL_MINUTES must be 1 to 30")
LOGIN_CODE_MAX_ATTEMPTS = 3

# The security log (accounts/security_log.py): every account's events, readable by its owner,
# kept this many days (pruned by the token-cleanup job).
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=365)
if not 1 <= SECURITY_LOG_RETENTION_DAYS <= 3650:
    raise ImproperlyConfigured("SECURITY_LOG_RETENTION_DAYS must be 1 to 3650")
# Failed sign-ins on an account within this window are counted on one entry per client address,
# and at most this many entries a window: a guessing run does not flood the owner's log.
SECURITY_LOG_FAILED_SIGN_IN_WINDOW = timedelta(hours=1)
SECURITY_LOG_FAILED_SIGN_IN_ENTRIES = 5
# A sign-in from a device the account has not used before mails an alert whose links ("Yes, it
# was me", "This wasn't me") work once, for this many hours (accounts/sign_in_alerts.py).
SIGN_IN_ALERT_TTL_HOURS = env.int("SIGN_IN_ALERT_TTL_HOURS", default=72)
if not 1 <= SIGN_IN_ALERT_TTL_HOURS <= 720:
    raise ImproperlyConfigured("SIGN_IN_ALERT_TTL_HOURS must be 1 to 720")
# A browser is known by this long-lived, signed, HttpOnly cookie (accounts/devices.py).
DEVICE_COOKIE_NAME = "device"
DEVICE_COOKIE_MAX_AGE = timedelta(days=400)  # the longest browsers keep a cookie

# An operator's email templates (docs/mail.md): files named like ours replace them; unset, ours.
EMAIL_TEMPLATES_DIR = env.str("EMAIL_TEMPLATES_DIR", default="")
EMAIL_TEMPLATES_DIRS = [Path(EMAIL_TEMPLATES_DIR)] if EMAIL_TEMPLATES_DIR else []

# Links in emails are built from this URL, never from the request's Host header.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://127.0.0.1:8080").rstrip("/")
_frontend = urlsplit(FRONTEND_URL)
if _frontend.scheme not in {"http", "https"} or not _frontend.netloc:
    raise ImproperlyConfigured("FRONTEND_URL must be an absolute http(s) URL")
FRONTEND_ORIGIN = f"{_frontend.scheme}://{_frontend.netloc}"


# Passkeys and security keys (WebAuthn, accounts/passkeys.py). The relying party is the web app,
# named by configuration only, never by a request's Host or Origin header: its id is FRONTEND_URL's
# host (browsers accept a domain name only, not an IP address: try passkeys locally at
# http://localhost:8080), its name SITE_NAME. An assertion must come from FRONTEND_URL's origin or
# one of WEBAUTHN_EXTRA_ORIGINS (comma-separated; each on the RP id's host or a subdomain of it,
# https in production).
WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS = relying_party(
    FRONTEND_URL, env.list("WEBAUTHN_EXTRA_ORIGINS", default=[]), production=IS_PRODUCTION
)
# A ceremony (the options a begin endpoint answers, then the browser's response) must finish
# within this many seconds; each challenge works once.
WEBAUTHN_CHALLENGE_TTL_SECONDS = env.int("WEBAUTHN_CHALLENGE_TTL_SECONDS", default=300)
if not 30 <= WEBAUTHN_CHALLENGE_TTL_SECONDS <= 600:
    raise ImproperlyConfigured("WEBAUTHN_CHALLENGE_TTL_SECONDS must be 30 to 600")
# Passkeys and security keys per account: bounds the rows one account can add and the lists
# every ceremony sends (excludeCredentials, allowCredentials).
WEBAUTHN_MAX_CREDENTIALS = 20

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "accounts.apps.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "outbox",
    "accounts",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    # The request's language (Accept-Language) for the `detail`s of its answer; codes never change.
    "core.middleware.RequestLanguageMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.middleware.BodySizeLimitMiddleware",
    "accounts.middleware.SecurityOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions exist only for the Django admin at /admin/; the API never creates one.
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Sets and rotates the csrftoken cookie; DRF views enforce CSRF in the cookie authentication.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
    {
        # The emails' own engine (accounts/mail.py): an operator's EMAIL_TEMPLATES_DIR first, then ours.
        # A file there named like one of ours (password_reset.txt, password_reset_subject.txt,
        # base.html, or de/password_reset.txt for one language only) replaces it; the others fall
        # back. No request, no context processors.
        "NAME": "emails",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [*EMAIL_TEMPLATES_DIRS, BASE_DIR / "accounts" / "templates" / "accounts" / "email"],
        "APP_DIRS": False,
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{env.str('API_DATA_DIR', default='') or BASE_DIR}/db.sqlite3"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus the prepared cursor of the authentication query (core/postgresql).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    # Prepared statements live in a server session: turn them off behind PgBouncer in transaction
    # mode older than 1.21. Only the authentication query uses them (Django's cursors bind on the
    # client, and client-side binding never prepares).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default (make run) must be as correct as PostgreSQL under concurrency:
    # - IMMEDIATE: every transaction takes the write lock at BEGIN, so a transaction that reads
    #   and then writes waits its turn instead of failing with "database is locked" when it upgrades;
    # - timeout: a writer waits up to this long for the lock (sqlite3's busy timeout);
    # - WAL: readers never block the writer and the writer never blocks readers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_S", default=5),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Redis calls a request waits on (throttle cache, the email hand-over after commit, readiness)
# give up after this many seconds, for the connect and for each command, and take their
# fallback (core/redis_request.py); REDIS_URL's own timeouts are the relay's and the mailer's.
REDIS_REQUEST_TIMEOUT_S = env.float("REDIS_REQUEST_TIMEOUT_S", default=0.25)

# Throttle counters (and any other cache use) live in Redis, shared by every API process;
# FallbackRedisCache applies REDIS_REQUEST_TIMEOUT_S to LOCATION.
CACHES = {
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "api",
        "TIMEOUT": 3600,
    }
}

# Requests allowed per scope: "count/period", period like s, m, h, d or 15m. Override any of
# them with THROTTLE_RATES="login_ip=100/m,register_ip=50/h".
THROTTLE_RATES = {
    "login_ip": "30/10m",
    "login_account": "10/15m",
    "register_ip": "20/h",
    "email_ip": "20/h",
    "email_address": "5/h",
    "email_change_account": "5/h",
    "key_guess_ip": "30/10m",
    "mfa_account": "10/15m",
    "mfa_ip": "30/10m",
    "webauthn_ip": "60/10m",
    **dict(item.split("=", 1) for item in env.list("THROTTLE_RATES", default=[])),
}

AUTH_USER_MODEL = "accounts.User"
KNOX_TOKEN_MODEL = "accounts.AuthToken"  # a model label  # nosec B105

# Argon2id first: new hashes use it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",  # OWASP parameters: 19 MiB, t=2, p=1 (accounts/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=12)
# Checked before hashing, so a huge password costs nothing (hashing DoS).
PASSWORD_MAX_LENGTH = env.int("PASSWORD_MAX_LENGTH", default=256)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.ContainsIdentityValidator"},
]

EMAIL_CONFIRMATION_TTL = timedelta(hours=env.int("EMAIL_CONFIRMATION_TTL_HOURS", default=72))

# The mail outbox (outbox/mail_queue.py) and its relay (manage.py relay_outbox).
MAIL_RECIPIENT_HOURLY_CAP = env.int("MAIL_RECIPIENT_HOURLY_CAP", default=10)
OUTBOX_RELAY_INTERVAL_S = env.float("OUTBOX_RELAY_INTERVAL_S", default=2.0)
OUTBOX_STALE_AFTER_S = env.int("OUTBOX_STALE_AFTER_S", default=300)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=7)
# Work the relay does first in each round: requests recorded on the request path and resolved
# off it (core stays free of app imports; the apps name their jobs here).
# The apps' parts of the readiness answer (core.health.ready imports no app).
READINESS_CHECKS = {"outbox": "outbox.mail_queue.readiness"}
OUTBOX_RELAY_JOBS = [
    "accounts.address_requests.process_pending",
    "accounts.throttling.forget_expired_counts",
    "accounts.mfa_login.forget_expired_challenges",
    "accounts.login_codes.forget_expired_codes",
    "accounts.passkeys.forget_expired_challenges",
    "accounts.security_log.count_sign_in_failures",
]
OUTBOX_RELAY_METRICS_HOST = env.str("OUTBOX_RELAY_METRICS_HOST", default="0.0.0.0")  # noqa: S104 - in its container, where probes and Prometheus reach it  # nosec B104
OUTBOX_RELAY_METRICS_PORT = env.int("OUTBOX_RELAY_METRICS_PORT", default=9109)

REST_FRAMEWORK = {
    # Header tokens first: their 401 carries "WWW-Authenticate: Token". No Basic, no Session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HeaderTokenAuthentication",
        "accounts.authentication.CookieTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.permissions.RecentAuthentication",  # only for a view's reauthenticated_methods
    ],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 20,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Exactly one trusted proxy hop: the gateway, which overwrites X-Forwarded-For.
    "NUM_PROXIES": 1,
}

TOKEN_TTL = timedelta(hours=env.int("TOKEN_TTL_HOURS", default=10))
# Absolute cap on a login session: sliding renewal and refresh never go past it.
TOKEN_MAX_LIFETIME = timedelta(hours=env.int("TOKEN_MAX_LIFETIME_HOURS", default=24 * 7))
# Renew a token's expiry (and record last_seen) at most this often: no write on every request.
TOKEN_TOUCH_INTERVAL = timedelta(seconds=env.int("TOKEN_LAST_SEEN_INTERVAL_SECONDS", default=300))
PASSWORD_RESET_TTL_MINUTES = env.int("PASSWORD_RESET_TTL_MINUTES", default=60)
if not 1 <= PASSWORD_RESET_TTL_MINUTES <= 60:
    # A reset link or code is a password: it lives an hour at most (ASVS 5.0 6.4.1).
    raise ImproperlyConfigured("PASSWORD_RESET_TTL_MINUTES must be 1 to 60")
PASSWORD_RESET_TIMEOUT = PASSWORD_RESET_TTL_MINUTES * 60
PASSWORD_RESET_CODE_MAX_ATTEMPTS = 5

REST_KNOX = {
    "TOKEN_TTL": TOKEN_TTL,
    # Sliding renewal is done by accounts.authentication (with the absolute cap), not by knox.
    "AUTO_REFRESH": False,
    "USER_SERIALIZER": "accounts.api.serializers.UserSerializer",
    "AUTH_HEADER_PREFIX": "Token",
}

# Benchmark mode (`make bench`, bench/run.py): mounts /api/bench/, where the same user payload
# is served behind stock knox, DRF, simplejwt and django-allauth headless authentication for
# comparison, plus a ceiling endpoint with no authentication at all. Those classes are not this
# project's choices (stock knox prunes tokens on every call, DRF tokens never expire), so
# production refuses the switch.
BENCH_MODE = env.bool("BENCH_MODE", default=False)
if BENCH_MODE:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("BENCH_MODE must not be enabled with APP_ENV=production")
    INSTALLED_APPS += ["rest_framework.authtoken", "rest_framework_simplejwt", "bench"]
    SIMPLE_JWT = {
        # The benchmark's access tokens are minted once by `manage.py bench_seed` and must outlive the run.
        "ACCESS_TOKEN_LIFETIME": timedelta(days=1),
        "AUTH_HEADER_TYPES": ("Bearer",),
        "UPDATE_LAST_LOGIN": False,
    }
    # django-allauth headless, its "app" client (X-Session-Token), mounted under
    # /api/bench/allauth/db/ and /api/bench/allauth/redis/ (bench/urls.py). allauth.account's own
    # AppConfig refuses to start unless AccountMiddleware is in MIDDLEWARE, where it would run on
    # every request: bench's config of it leaves that check out, and bench.middleware runs
    # AccountMiddleware for /api/bench/allauth/ only, so this project's endpoints measure as before.
    INSTALLED_APPS += ["allauth", "bench.apps.AllauthAccountConfig", "allauth.headless"]
    MIDDLEWARE += ["bench.middleware.AllauthMiddleware"]
    # allauth's after ours, Django's default ModelBackend (the admin's login; the API checks passwords itself).
    AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    HEADLESS_ONLY = True
    HEADLESS_CLIENTS = ("app",)
    # Which session store a session token is looked up in, per URL prefix (bench/allauth_sessions.py).
    HEADLESS_TOKEN_STRATEGY = "bench.allauth_sessions.PrefixSessionTokenStrategy"  # a class path  # nosec B105
    # No HEADLESS_FRONTEND_URLS: they are the links in allauth's emails, and the benchmark sends none.
    # Our users log in by email; the username is optional and not allauth's business.
    ACCOUNT_LOGIN_METHODS = {"email"}
    ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
    ACCOUNT_USER_MODEL_USERNAME_FIELD = None
    ACCOUNT_EMAIL_VERIFICATION = "none"
    # Sessions stay in the database (SESSION_ENGINE is Django's default, allauth's too). The Redis
    # variant's sessions are Django's cache-backed sessions in this alias: Django's own Redis cache,
    # not the throttles' FallbackRedisCache, whose fallback to process memory would lose sessions.
    CACHES["bench_sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "bench-sessions",
    }
    SESSION_CACHE_ALIAS = "bench_sessions"

# The browser transport: the knox token lives in an HttpOnly cookie, never in JavaScript.
AUTH_TRANSPORT_HEADER = "HTTP_X_AUTH_TRANSPORT"
AUTH_COOKIE_NAME = "auth_token"
AUTH_COOKIE_SECURE = env.bool("AUTH_COOKIE_SECURE", default=IS_PRODUCTION)
AUTH_COOKIE_SAMESITE = "Lax"
AUTH_COOKIE_PATH = "/api/"

CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_HTTPONLY = False  # the web app copies it into X-CSRFToken
CSRF_COOKIE_SECURE = AUTH_COOKIE_SECURE
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_USE_SESSIONS = False
CSRF_TRUSTED_ORIGINS = [FRONTEND_ORIGIN]
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"  # JSON, like every other error
# No redirect to the slashed URL: a 301 is an empty HTML answer, and a client following it turns
# a POST into a GET. A path without its slash is a JSON 404 like any other unknown URL.
APPEND_SLASH = False

# Requests arrive through exactly one proxy, the gateway.
USE_X_FORWARDED_HOST = False
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("TRUST_X_FORWARDED_PROTO", default=True) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production is HTTPS only: plain-HTTP requests are redirected (the probes, which reach the pod
# directly, are exempt) and HSTS is on. Both follow X-Forwarded-Proto from the gateway, which
# keeps a TLS load balancer's "https" (see nginx.conf.template).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^api/health/"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SESSION_COOKIE_SECURE = AUTH_COOKIE_SECURE

API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

# The languages of the API's messages, emails and web app (docs/mail.md, "Languages"): a request's
# `detail`s follow its Accept-Language (core.middleware.RequestLanguageMiddleware), an account's
# emails its `language`.
# Adding one: a catalogue in locale/<code>/LC_MESSAGES (manage.py makemessages -l <code>) and a line here.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Static files (the Django admin's and the API docs') are served by the API under /admin/static/,
# a path the gateway already sends to the API.
STATIC_URL = "/admin/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"  # filled by collectstatic when the image is built
# Outside production, serve straight from the apps (no collectstatic step for make run).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
SESSION_COOKIE_PATH = "/admin/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SPECTACULAR_SETTINGS = {
    "TITLE": "Auth Platform API",
    "DESCRIPTION": "Email + password accounts with knox tokens. Errors: {code, detail, fields?}. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The second factors' names: a session's `second_factor` and the methods of `mfa_required`.
    "ENUM_NAME_OVERRIDES": {
        "SecondFactorEnum": ["totp", "recovery_code", "webauthn"],
        "PublicKeyCredentialTypeEnum": ["public-key"],
    },
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.middleware.RequestIdLogFilter"},
        "disallowed_host_as_warning": {"()": "core.log_filters.DisallowedHostAsWarning"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s rid=%(request_id)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django.request logs the request line; our URLs carry no secrets (keys travel in bodies).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security.DisallowedHost": {"filters": ["disallowed_host_as_warning"]},
    },
}
