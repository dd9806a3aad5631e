"""Django settings for Pressroom.

Everything a deployment changes comes from the environment (docs/deploy.md has the table):
PRESSROOM_DATA (default ./var), DATABASE_URL (default SQLite in PRESSROOM_DATA),
DATABASE_REPLICA_URLS, REDIS_URL, PRESSROOM_SECRET_KEY (default: created once in
PRESSROOM_DATA), PRESSROOM_DEBUG, PRESSROOM_ALLOWED_HOSTS, PRESSROOM_HTTPS (and the HSTS
details), PRESSROOM_PAGE_MAX_AGE, PRESSROOM_REQUEST_LOG.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PRESSROOM_DATA", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A key from the environment, or one made once and kept in the data folder."""
    if os.environ.get("PRESSROOM_SECRET_KEY"):
        return os.environ["PRESSROOM_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("PRESSROOM_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("PRESSROOM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",  # serves its own Swagger UI files, so the API docs need no CDN
    "pressroom.releases",
    "pressroom.ingest",
    "pressroom.counters",
    "pressroom.search",
    "pressroom.newsroom",
    "pressroom.api",
    "pressroom.website",
    "pressroom.ops",
    "pressroom.alerts",
]

MIDDLEWARE = [
    "pressroom.website.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pressroom.website.middleware.SecurityHeadersMiddleware",
    "pressroom.api.middleware.PublicReadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pressroom.website.middleware.InterfaceLanguageVaryMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag from the content, and 304s, for every response that did not set its own.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pressroom.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "pressroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'pressroom.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades
    # failing under concurrent writers (visitor counts, newsroom) instead of waiting.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Kept open between requests (per gunicorn thread): opening SQLite and running the
    # PRAGMAs above cost ~0.5 ms, more than a whole cached release page (bench/load_bench.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    # A file, not memory, so tests can read and write from several threads at once.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The test database is UTF-8 whatever the cluster's default; copying a database made with
    # `createdb -E UTF8 -T template0 --lc-ctype=C.UTF-8` (DATABASE_TEST_TEMPLATE, as .ci/run
    # does) also gives it that locale, which pg_trgm needs for Indic text.
    DATABASES["default"]["TEST"] = {
        "CHARSET": "UTF8", "TEMPLATE": os.environ.get("DATABASE_TEST_TEMPLATE") or "template0"}

# Read replicas (PostgreSQL streaming replicas), comma-separated URLs: reads go there, writes
# to the primary (pressroom.dbrouter). Tests mirror them onto the test database.
for _n, _url in enumerate((u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")
                           if u.strip()), start=1):
    DATABASES[f"replica{_n}"] = {**dj_database_url.parse(_url, conn_max_age=60),
                                 "CONN_HEALTH_CHECKS": True, "TEST": {"MIRROR": "default"}}
REPLICA_LAG_SECONDS = int(os.environ.get("PRESSROOM_REPLICA_LAG_SECONDS", 5))
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["pressroom.dbrouter.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "pressroom.dbrouter.PinPrimaryMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The reader's choice of interface language is remembered for a year (Django's default
# is the browser session); without a choice, LocaleMiddleware follows Accept-Language.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
# Stored in UTC; shown in Indian Standard Time, as PIB shows it.
TIME_ZONE = "Asia/Kolkata"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Security: cookies, headers, content security policy (see website.middleware).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# A real deployment is served over HTTPS (PRESSROOM_HTTPS=1): secure cookies, HSTS, redirect
# to https. TLS may end at a proxy, which must set X-Forwarded-Proto (docs/deploy.md).
HTTPS = os.environ.get("PRESSROOM_HTTPS") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("PRESSROOM_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("PRESSROOM_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("PRESSROOM_HSTS_PRELOAD") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Joining the browsers' preload list is hard to undo: the operator opts in, not a default.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
else:
    # Plain HTTP (a laptop, a test box, `make serve`): secure-only cookies would never be sent
    # back and HSTS or an https redirect would lock browsers out of 127.0.0.1. These four are
    # exactly the HTTPS settings above; `check --deploy` with PRESSROOM_HTTPS=1 checks them.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

# Seconds browsers, a caching proxy or a CDN may keep listings, feeds and API answers
# (website/caching.py); release pages are revalidated every time with their ETag.
PAGE_MAX_AGE = int(os.environ.get("PRESSROOM_PAGE_MAX_AGE", 60))

# One JSON line per request on stdout (website.middleware.RequestLogMiddleware); the rest to
# stderr. PRESSROOM_REQUEST_LOG=0 turns request lines off (when the proxy logs them).
REQUEST_LOG = os.environ.get("PRESSROOM_REQUEST_LOG", "1") == "1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"bare": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                     "formatter": "bare"},
    },
    "loggers": {"pressroom.request": {"handlers": ["requests"], "level": "INFO",
                                      "propagate": False}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PRESSROOM = {
    "RELEASES_PER_PAGE": 20,
    # Visitor counts are buffered and written every this many seconds (counters/buffer.py).
    "COUNTER_FLUSH_SECONDS": int(os.environ.get("PRESSROOM_COUNTER_FLUSH_SECONDS", "5")),
    # Behind a trusted proxy or CDN, the request header naming the reader's address,
    # e.g. "HTTP_X_FORWARDED_FOR"; unset, REMOTE_ADDR is the reader.
    "CLIENT_IP_HEADER": os.environ.get("PRESSROOM_CLIENT_IP_HEADER", ""),
    # The sample shipped with the project, loaded by `make serve`.
    "SAMPLE_DIR": PACKAGE_DIR.parent.parent / "sample",
    # Alerts (pressroom.alerts; docs/deploy.md "E-mail alerts"). Links in e-mails and
    # webhooks are absolute: the site's public address.
    "SITE_URL": os.environ.get("PRESSROOM_SITE_URL", "http://127.0.0.1:8000"),
    "ALERTS_FROM": os.environ.get("PRESSROOM_ALERTS_FROM", "alerts@pressroom.localhost"),
    "ALERTS_DOMAIN": os.environ.get("PRESSROOM_ALERTS_DOMAIN", "pressroom.localhost"),
    "ALERTS_MAX_ATTEMPTS": int(os.environ.get("PRESSROOM_ALERTS_MAX_ATTEMPTS", 8)),
    "ALERTS_MAX_FAILURES": int(os.environ.get("PRESSROOM_ALERTS_MAX_FAILURES", 3)),
    "ALERTS_HOOK_MAX_FAILURES": int(os.environ.get("PRESSROOM_ALERTS_HOOK_MAX_FAILURES", 10)),
    "ALERTS_CONFIRMATIONS_PER_ADDRESS": int(os.environ.get("PRESSROOM_ALERTS_CONFIRMATIONS_PER_ADDRESS", 3)),
    "ALERTS_SIGNUPS_PER_CLIENT": int(os.environ.get("PRESSROOM_ALERTS_SIGNUPS_PER_CLIENT", 20)),
    # Parallel SMTP connections of the alerts worker (measured in bench/alerts_bench.py).
    "ALERTS_SMTP_CONNECTIONS": int(os.environ.get("PRESSROOM_ALERTS_SMTP_CONNECTIONS", 4)),
    "ALERTS_SMTP_TIMEOUT": int(os.environ.get("PRESSROOM_ALERTS_SMTP_TIMEOUT", 30)),
    "ALERTS_OUTBOX_MAX_AGE": int(os.environ.get("PRESSROOM_ALERTS_OUTBOX_MAX_AGE", 0)),
    "ALERTS_EVERY_SECONDS": float(os.environ.get("PRESSROOM_ALERTS_EVERY_SECONDS", 2)),
    "ALERTS_DEMO": os.environ.get("PRESSROOM_ALERTS_DEMO") == "1",
    # Webhooks and WebSub callbacks on private networks are refused unless this is on.
    "ALERTS_PRIVATE_TARGETS": os.environ.get("PRESSROOM_ALERTS_PRIVATE_TARGETS") == "1",
    # Another WebSub hub to advertise and ping; empty: Pressroom is its own hub.
    "WEBSUB_HUB": os.environ.get("PRESSROOM_WEBSUB_HUB", ""),
}

# Outgoing mail (alerts). Any SMTP relay by these, or an API provider through
# django-anymail with PRESSROOM_EMAIL_BACKEND (docs/deploy.md). Without PRESSROOM_EMAIL_HOST,
# `pressroom serve` starts a local mail catcher and points these at it.
EMAIL_BACKEND = os.environ.get("PRESSROOM_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("PRESSROOM_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("PRESSROOM_EMAIL_PORT", 1025))
EMAIL_HOST_USER = os.environ.get("PRESSROOM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRESSROOM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("PRESSROOM_EMAIL_USE_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("PRESSROOM_EMAIL_USE_SSL") == "1"
EMAIL_TIMEOUT = int(os.environ.get("PRESSROOM_ALERTS_SMTP_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = PRESSROOM["ALERTS_FROM"]
