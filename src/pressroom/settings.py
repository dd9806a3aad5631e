"""Django settings for Pressroom.

Everything a deployment changes comes from the environment, and is read in this file only,
in the first section below: Django's own settings under their Django names, Pressroom's own
in the one `PRESSROOM` dict (`settings.PRESSROOM["PAGE_MAX_AGE"]`, ...). README.md
("Settings") has the table of every variable. Importing this module writes nothing: the
data folder is made when Django starts (ops.apps) and the secret key file on its first use.
"""

import functools
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.functional import lazy

PACKAGE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def _flag(name: str, default: bool = False) -> bool:
    return _env(name, "1" if default else "0") == "1"


# --- The environment (the README's table, row for row) --------------------------------------
PRESSROOM = {
    # Data folder: the SQLite database, the secret key, collected static files.
    "DATA_DIR": Path(_env("PRESSROOM_DATA", "var")).resolve(),
    # Redis for the cache, sign-in failure counts and visitor counts; unset: in-process memory.
    "REDIS_URL": _env("REDIS_URL"),
    # After a write, that browser reads from the primary this long (dbrouter.py).
    "REPLICA_LAG_SECONDS": int(_env("PRESSROOM_REPLICA_LAG_SECONDS", "5")),
    # Served over HTTPS: secure cookies, HSTS, redirect to https (below).
    "HTTPS": _flag("PRESSROOM_HTTPS"),
    # Seconds browsers, a proxy or a CDN may keep listings, feeds and API answers
    # (website/caching.py); release pages are revalidated every time with their ETag.
    "PAGE_MAX_AGE": int(_env("PRESSROOM_PAGE_MAX_AGE", "60")),
    # One JSON line per request on stdout (website.middleware.RequestLogMiddleware).
    "REQUEST_LOG": _flag("PRESSROOM_REQUEST_LOG", default=True),
    # ... written together at most this many seconds after the first (0: each line at once).
    # Unset: 1 under `pressroom serve`, 0 elsewhere (a shell's or a test's lines at once).
    "REQUEST_LOG_FLUSH_SECONDS": (float(_env("PRESSROOM_REQUEST_LOG_FLUSH_SECONDS"))
                                  if _env("PRESSROOM_REQUEST_LOG_FLUSH_SECONDS") else None),
    # Visitor counts are buffered and written every this many seconds (counters/buffer.py).
    "COUNTER_FLUSH_SECONDS": int(_env("PRESSROOM_COUNTER_FLUSH_SECONDS", "5")),
    # Behind the proxy docs/deploy.md prescribes, the header it appends the reader's address
    # to ("X-Forwarded-For"); its right-most entry is the reader (pressroom.clientip). Unset,
    # REMOTE_ADDR is. Used by counting, sign-in throttling and the embargo-link log alike.
    "CLIENT_IP_HEADER": _env("PRESSROOM_CLIENT_IP_HEADER"),
    # Sign-in (newsroom and admin) locks a username at an address after this many failures,
    # for this many minutes (django-axes, below).
    "SIGNIN_FAILURE_LIMIT": int(_env("PRESSROOM_SIGNIN_FAILURE_LIMIT", "5")),
    "SIGNIN_LOCKOUT_MINUTES": int(_env("PRESSROOM_SIGNIN_LOCKOUT_MINUTES", "15")),
    # `pressroom serve`: address, worker processes (0: 2 x CPUs + 1), proxies gunicorn trusts.
    "BIND": _env("PRESSROOM_BIND", "127.0.0.1:8000"),
    "WORKERS": int(_env("PRESSROOM_WORKERS", "0")),
    "FORWARDED_ALLOW_IPS": _env("PRESSROOM_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    "RELEASES_PER_PAGE": 20,
    # Signing (trust app): keys are made once in SIGNING_KEY_DIR (default $PRESSROOM_DATA/keys),
    # unless a PEM key is given by file or value; LOG_ORIGIN names the transparency log.
    "SIGNING_KEY_DIR": _env("PRESSROOM_SIGNING_KEY_DIR"),
    "SIGNING_KEY_FILE": _env("PRESSROOM_SIGNING_KEY_FILE"),
    "SIGNING_KEY": _env("PRESSROOM_SIGNING_KEY"),
    "LOG_ORIGIN": _env("PRESSROOM_LOG_ORIGIN", "pressroom"),
    # Verifications per client per minute (POST /api/v1/verify and the /verify/ form).
    "VERIFY_RATE_PER_MINUTE": int(_env("PRESSROOM_VERIFY_RATE_PER_MINUTE", "30")),
    # Alerts (pressroom.alerts; docs/deploy.md "E-mail alerts"). Links in e-mails and
    # webhooks are absolute: the site's public address.
    "SITE_URL": _env("PRESSROOM_SITE_URL", "http://127.0.0.1:8000"),
    "ALERTS_FROM": _env("PRESSROOM_ALERTS_FROM", "alerts@pressroom.localhost"),
    "ALERTS_DOMAIN": _env("PRESSROOM_ALERTS_DOMAIN", "pressroom.localhost"),
    "ALERTS_MAX_ATTEMPTS": int(_env("PRESSROOM_ALERTS_MAX_ATTEMPTS", "8")),
    "ALERTS_MAX_FAILURES": int(_env("PRESSROOM_ALERTS_MAX_FAILURES", "3")),
    "ALERTS_HOOK_MAX_FAILURES": int(_env("PRESSROOM_ALERTS_HOOK_MAX_FAILURES", "10")),
    "ALERTS_CONFIRMATIONS_PER_ADDRESS": int(_env("PRESSROOM_ALERTS_CONFIRMATIONS_PER_ADDRESS", "3")),
    "ALERTS_SIGNUPS_PER_CLIENT": int(_env("PRESSROOM_ALERTS_SIGNUPS_PER_CLIENT", "20")),
    # Parallel SMTP connections of the alerts worker (measured in bench/alerts_bench.py).
    "ALERTS_SMTP_CONNECTIONS": int(_env("PRESSROOM_ALERTS_SMTP_CONNECTIONS", "4")),
    "ALERTS_SMTP_TIMEOUT": int(_env("PRESSROOM_ALERTS_SMTP_TIMEOUT", "30")),
    "ALERTS_OUTBOX_MAX_AGE": int(_env("PRESSROOM_ALERTS_OUTBOX_MAX_AGE", "0")),
    "ALERTS_EVERY_SECONDS": float(_env("PRESSROOM_ALERTS_EVERY_SECONDS", "2")),
    "ALERTS_DEMO": _flag("PRESSROOM_ALERTS_DEMO"),
    # Webhooks and WebSub callbacks on private networks are refused unless this is on.
    "ALERTS_PRIVATE_TARGETS": _flag("PRESSROOM_ALERTS_PRIVATE_TARGETS"),
    # Another WebSub hub to advertise and ping; empty: Pressroom is its own hub.
    "WEBSUB_HUB": _env("PRESSROOM_WEBSUB_HUB", ""),
    # No SMTP relay given (PRESSROOM_EMAIL_HOST unset): `pressroom serve` starts a local mail
    # catcher and sends there, so a demo's e-mails arrive somewhere visible.
    "MAIL_CATCHER": not _env("PRESSROOM_EMAIL_HOST"),
    # Photos and documents: largest file, all files of one release, largest photo in pixels
    # (bigger claims are refused unopened: decompression bombs).
    "MEDIA_MAX_FILE_MB": int(_env("PRESSROOM_MEDIA_MAX_FILE_MB", "25")),
    "MEDIA_MAX_RELEASE_MB": int(_env("PRESSROOM_MEDIA_MAX_RELEASE_MB", "100")),
    "MEDIA_MAX_PIXELS": int(_env("PRESSROOM_MEDIA_MAX_PIXELS", "50000000")),
}
DEBUG = _flag("PRESSROOM_DEBUG")
ALLOWED_HOSTS = _env("PRESSROOM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# Lower case: read here and turned into Django's settings below (Django takes only upper-case
# names as settings).
secret_key_given = _env("PRESSROOM_SECRET_KEY")
database_url = _env("DATABASE_URL")
replica_urls = [u.strip() for u in _env("DATABASE_REPLICA_URLS").split(",") if u.strip()]
database_test_template = _env("DATABASE_TEST_TEMPLATE", "template0")  # PostgreSQL test runs
hsts_seconds = int(_env("PRESSROOM_HSTS_SECONDS", "31536000"))
hsts_subdomains = _flag("PRESSROOM_HSTS_SUBDOMAINS", default=True)
hsts_preload = _flag("PRESSROOM_HSTS_PRELOAD")
# ---------------------------------------------------------------------------------------------

data_dir = PRESSROOM["DATA_DIR"]


@functools.cache
def _secret_key() -> str:
    """The key from the environment, or one made once and kept in the data folder. Called on
    first use (signing a cookie, say), not when settings are imported."""
    if secret_key_given:
        return secret_key_given
    path = data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then linked: a second process starting at the same
        # moment either makes the link first or reads the finished file, never an empty one.
        tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = lazy(_secret_key, str)()

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
    "pressroom.trust",
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
    # Django's, with the session made only when touched on a request without a session cookie.
    "pressroom.website.middleware.ReaderSessionMiddleware",
    # Django's, keyed on Cookie too for pages, and quicker with no language prefixes.
    "pressroom.website.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag from the content, and 304s, for every response that did not set its own.
    "pressroom.website.middleware.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pressroom.website.middleware.LazyMessageMiddleware",  # Django's, its storage made when used
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
        database_url or f"sqlite:///{data_dir / 'pressroom.sqlite3'}",
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
    DATABASES["default"]["TEST"] = {"NAME": str(data_dir / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The test database is UTF-8 whatever the cluster's default; copying a database made with
    # `createdb -E UTF8 -T template0 --lc-ctype=C.UTF-8` (DATABASE_TEST_TEMPLATE, as .ci/run
    # does) also gives it that locale, so Indic text sorts and compares as in production.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": database_test_template}

# Read replicas (PostgreSQL streaming replicas), comma-separated URLs: reads go there, writes
# to the primary (pressroom.dbrouter). Tests mirror them onto the test database.
for n, url in enumerate(replica_urls, start=1):
    DATABASES[f"replica{n}"] = {**dj_database_url.parse(url, conn_max_age=60),
                                "CONN_HEALTH_CHECKS": True, "TEST": {"MIRROR": "default"}}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["pressroom.dbrouter.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("pressroom.website.middleware.ReaderSessionMiddleware"),
                      "pressroom.dbrouter.PinPrimaryMiddleware")
    MIDDLEWARE.append("pressroom.dbrouter.ReplicaFallbackMiddleware")  # last: nearest the view

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "shared": what every worker should work out once, not each for itself (the sitemaps' month
# figures and past months' pages): Redis where there is one, else files in the data folder.
if PRESSROOM["REDIS_URL"]:
    # Django's RedisCache that acts as an empty cache while Redis is away (pressroom/cache.py).
    CACHES = {alias: {"BACKEND": "pressroom.cache.ResilientRedisCache",
                      "LOCATION": PRESSROOM["REDIS_URL"]} for alias in ("default", "shared")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "shared": {"BACKEND": "pressroom.cache.FileCache",
                         "LOCATION": PRESSROOM["DATA_DIR"] / "cache",
                         "OPTIONS": {"MAX_ENTRIES": 20_000}}}

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
STATIC_ROOT = data_dir / "static"  # made with the data folder (ops.apps), not here
# Photos and documents (releases.mediastore): what readers get under MEDIA_URL, originals
# (which may carry GPS data) apart and private. Object storage for several servers:
# docs/deploy.md ("Photos, documents and PDFs on several servers").
MEDIA_ROOT = data_dir / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                  "OPTIONS": {"location": data_dir / "media-originals", "base_url": None}},
    "staticfiles": {
        "BACKEND": "pressroom.website.staticstorage.StaticStorage"
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
if PRESSROOM["HTTPS"]:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = hsts_subdomains
    SECURE_HSTS_PRELOAD = hsts_preload
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Joining the browsers' preload list is hard to undo: the operator opts in, not a default.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
else:
    # Plain HTTP (a laptop, a test box, `make serve`): secure-only cookies would never be sent
    # back and HSTS or an https redirect would lock browsers out of 127.0.0.1. These four are
    # exactly the HTTPS settings above; `check --deploy` with PRESSROOM_HTTPS=1 checks them.
    # (W010 is W012 as Django words it when the session middleware is a subclass of its own:
    # website.middleware.ReaderSessionMiddleware.)
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W010", "security.W012",
                              "security.W016"]

# Logging to stderr. The request log (PRESSROOM["REQUEST_LOG"]) is not logging's: its JSON
# lines go straight to stdout (website.middleware.RequestLogMiddleware), at a tenth of the cost.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Sign-in throttling on /newsroom/login/ and /admin/login/ (django-axes). Failures are counted
# in the database, which every worker and every app server shares; not in the cache, whose
# in-process default is per worker and whose Redis, when it is away, would have to either
# fail every sign-in or stop throttling.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = PRESSROOM["SIGNIN_FAILURE_LIMIT"]
AXES_COOLOFF_TIME = timedelta(minutes=PRESSROOM["SIGNIN_LOCKOUT_MINUTES"])
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # an attacker elsewhere locks no one out
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "pressroom.clientip.client_ip"
AXES_USERNAME_CALLABLE = "pressroom.newsroom.views.signin_username"
AXES_LOCKOUT_CALLABLE = "pressroom.newsroom.views.locked_out"

# Outgoing mail (alerts). Any SMTP relay by these, or an API provider through
# django-anymail with PRESSROOM_EMAIL_BACKEND (docs/deploy.md). Without PRESSROOM_EMAIL_HOST,
# `pressroom serve` starts a local mail catcher and points these at it.
EMAIL_BACKEND = _env("PRESSROOM_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _env("PRESSROOM_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(_env("PRESSROOM_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = _env("PRESSROOM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _env("PRESSROOM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("PRESSROOM_EMAIL_USE_TLS")
EMAIL_USE_SSL = _flag("PRESSROOM_EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(_env("PRESSROOM_ALERTS_SMTP_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = PRESSROOM["ALERTS_FROM"]
