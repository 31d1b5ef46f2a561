"""Settings shared by every environment; each value can come from the environment."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Mutuals Information Service"
# Who runs the service: pages, emails and the privacy notice name them from here, so a change
# of owner is a change of setting (then `manage.py clear_page_cache`).
SERVICE_OWNER_NAME = env("SERVICE_OWNER_NAME", default="Cabinet Office Mutuals Team")
SERVICE_OWNER_EMAIL = env("SERVICE_OWNER_EMAIL", default="mutuals@example.org")
DATA_CONTROLLER = env("DATA_CONTROLLER", default="Cabinet Office")
# Only a service on GOV.UK may show the GOV.UK header (crown and logotype), the crown in the
# footer and the GDS Transport font. Others get the generic header with the service's name,
# in Arial.
GOVUK_BRANDING = env.bool("GOVUK_BRANDING", default=False)

INSTALLED_APPS = [
    # Django's admin on a site that answers malformed addresses with 400 or 404.
    "portal.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "django_tasks_db",
    "crontask",
    "axes",
    "portal",
    "guides",
    "casestudies",
    "enquiries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous visitors' public pages come from here, ahead of everything costly below. After
    # SecurityMiddleware so the HTTPS redirect comes first; the headers added inside it (the
    # CSP among them) are stored with each page (portal/cache.py).
    "portal.cache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the Host header: load balancers probe by IP address, which
    # ALLOWED_HOSTS refuses. The two above never read it for /healthz (it is exempt from the
    # HTTPS redirect in production) and still add their headers to the answer.
    "portal.middleware.HealthCheckMiddleware",
    # A NUL in the address (404) or a cookie (400) never reaches a query.
    "portal.request_checks.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages, not static files: whitenoise above answers those with its own
    # precompressed copies. Django's, padded against BREACH, faster for a page made for one answer.
    "portal.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.service",
            ],
        },
    },
]

# The embedded default is a SQLite file in the project; production sets DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# The site search's ordering index (portal/site_search/models.py) carries a column for
# PostgreSQL to read from the index alone; SQLite builds it without that column, as it warns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}


def mailers_from_url(url):
    """Django 6.1's MAILERS from one EMAIL_URL, e.g. smtp+tls://user:pass@host:587."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"default": {"BACKEND": backend}}
    options = {
        "host": config.get("EMAIL_HOST") or "localhost",
        "port": config.get("EMAIL_PORT") or None,
        "username": config.get("EMAIL_HOST_USER") or "",
        "password": config.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(config.get("EMAIL_USE_TLS")),
        "use_ssl": bool(config.get("EMAIL_USE_SSL")),
        "timeout": 10,
    }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_url(env("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mutuals@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Staff sign in through the admin; a `next` that is missing or unsafe lands on its index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Sign-in throttling (django-axes). Its backend comes first so a locked-out username and
# address combination is refused before the password is checked. Failed attempts are kept in
# the database, so every app server sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Locking by username and address together: a stranger guessing cannot lock a colleague out
# from elsewhere, and one address cannot try a password on an account without limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.sign_in_locked_out"
# No version banner on every management command; failures are still logged.
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR unless that is a proxy in TRUSTED_PROXY_NETWORKS; then
# up to TRUSTED_PROXY_COUNT entries of X-Forwarded-For are read, from the right, through
# trusted proxies only (portal.middleware.client_ip_address, docs/operations.md). django-ipware,
# which the AXES_IPWARE_* settings configure, is not installed, so axes is given this instead.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
try:
    TRUSTED_PROXY_NETWORKS = [
        ipaddress.ip_network(network.strip(), strict=False)
        for network in env.list("TRUSTED_PROXY_NETWORKS", default=["127.0.0.0/8", "::1/128"])
    ]
except ValueError as error:
    # Refused at start-up rather than on every request.
    raise ImproperlyConfigured(f"TRUSTED_PROXY_NETWORKS: {error}") from error
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_ip_address"
# Days before the daily job (portal/tasks.py) deletes sign-in records: failed attempts, and
# the log of successful sign-ins and sign-outs. The privacy notice states both periods.
SIGN_IN_ATTEMPT_RETENTION_DAYS = env.int("SIGN_IN_ATTEMPT_RETENTION_DAYS", default=30)
SIGN_IN_LOG_RETENTION_DAYS = env.int("SIGN_IN_LOG_RETENTION_DAYS", default=90)
# How long the server logs (nginx's, and gunicorn's, worker's and scheduler's output) are
# kept. It is not read from the environment: deploy/logrotate/mutuals deletes them, and a test
# checks that file keeps them exactly this long. The privacy notice quotes it.
SERVER_LOG_RETENTION_DAYS = 14

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Uploaded documents. They are served through a view that sets safe headers, never directly.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
RESOURCE_UPLOAD_MAX_BYTES = env.int("RESOURCE_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

# Request body limits. No form on the site posts more than 1 MB of text (the longest is a
# Markdown body, capped well below that), so a bigger body is refused with the 400 page before
# it is parsed. Uploaded files do not count towards it: they are streamed, kept in memory up
# to 2.5 MB and written to a temporary file above that, and the resource form caps their size
# at RESOURCE_UPLOAD_MAX_BYTES. The proxy in front caps whole bodies (docs/operations.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# DATA_UPLOAD_MAX_NUMBER_FIELDS stays at Django's 1,000: the biggest admin form is far below.

# Markdown saved by editors is checked and rendered once, on save. These limits keep any saved
# text quick to render: Python-Markdown slows with the square of unmatched '[' and recurses
# once per level of nesting.
MARKDOWN_MAX_CHARACTERS = env.int("MARKDOWN_MAX_CHARACTERS", default=50_000)
MARKDOWN_MAX_NESTING = env.int("MARKDOWN_MAX_NESTING", default=10)
MARKDOWN_MAX_BRACKETS = env.int("MARKDOWN_MAX_BRACKETS", default=1_000)
MARKDOWN_MAX_RENDER_SECONDS = env.float("MARKDOWN_MAX_RENDER_SECONDS", default=1.0)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
}
# Uploads go to S3-compatible object storage, shared by every app server, when a bucket is
# named (docs/operations.md); boto3 reads the credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY or the machine's role. The bucket stays private: files are served
# through the download view only.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Source maps are shipped for debugging, not referenced by hashed names.
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# Messages ride in the session cookie the site already sets, not a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Scripts and styles come only from our own origin: no inline code, so no per-request nonce,
# and a page served from the cache is the same for everyone.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Whole-page cache for anonymous visitors (portal/cache.py). Pages are kept in each process
# and in the shared cache (CACHES, from CACHE_URL) under a content version that every save
# of content replaces; each process re-reads the version at most this often.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_VERSION_CHECK_SECONDS = env.float("PAGE_CACHE_VERSION_CHECK_SECONDS", default=1.0)
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=500)
PAGE_CACHE_MAX_BYTES = 1024 * 1024
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/static/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The scheduler renews its lock every 5 seconds; only a job that fails is worth a line.
    "loggers": {"apscheduler.executors": {"level": "WARNING"}},
}

# Enquiries
# The web server and the worker share SQLite: WAL lets one read while the other writes, and
# IMMEDIATE transactions take the write lock at the start rather than failing half way.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
# Background work (email) is stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The scheduler, `manage.py crontask`, queues the jobs in portal/schedule.py for the worker.
# Given a Redis address it holds a lock there, so only one of several schedulers queues jobs
# and the others wait to take over (production.py). One scheduler alone needs no Redis. The
# holder renews the lock every 5 seconds; held up for 15 seconds, it would lose it.
CRONTASK = {"REDIS_URL": None, "LOCK_TIMEOUT": 20, "LOCK_BLOCKING_TIMEOUT": None}
# The site's own address, for links in email sent outside a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
ENQUIRY_DUE_WORKING_DAYS = env.int("ENQUIRY_DUE_WORKING_DAYS", default=5)
ENQUIRY_MESSAGE_MAX_CHARACTERS = 2000
# The longest reply a handler can send an enquirer.
ENQUIRY_REPLY_MAX_CHARACTERS = 5000
# Answers an enquirer can send through their private link, per enquiry and per client address.
ENQUIRY_ANSWER_RATE_LIMIT = env("ENQUIRY_ANSWER_RATE_LIMIT", default="10/h")
# Sending an enquiry: at most this many per client address (django-ratelimit rate syntax).
ENQUIRY_RATE_LIMIT = env("ENQUIRY_RATE_LIMIT", default="5/h")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "portal.middleware.client_ip_address"
ENQUIRY_EMAIL_MAX_ATTEMPTS = env.int("ENQUIRY_EMAIL_MAX_ATTEMPTS", default=10)
ENQUIRY_EMAIL_RETRY_SECONDS = env.int("ENQUIRY_EMAIL_RETRY_SECONDS", default=60)
ENQUIRY_EMAIL_RETRY_MAX_SECONDS = env.int("ENQUIRY_EMAIL_RETRY_MAX_SECONDS", default=60 * 60)
# An email whose try is this late to start, or this long in progress, has lost its task (a
# worker killed mid-send): the sweep queues it again. Far longer than any send can take.
ENQUIRY_EMAIL_STUCK_MINUTES = env.int("ENQUIRY_EMAIL_STUCK_MINUTES", default=15)
# Closed enquiries lose their personal data this many months after they close (`manage.py
# purge_enquiries`); what is left is not anonymous, and the privacy notice does not say it is.
# The notice quotes the same figure.
ENQUIRY_RETENTION_MONTHS = env.int("ENQUIRY_RETENTION_MONTHS", default=24)

# Reviewing content (portal/core/reviewing.py). An item is due for review this many months
# after it was published or last reviewed; sooner if it is tagged with a topic whose law or
# practice changes often. Owners hear each week about items due within REVIEW_DUE_SOON_DAYS or
# overdue; the public is warned once an item is REVIEW_WARNING_MONTHS past its review date.
REVIEW_PERIOD_MONTHS = env.int("REVIEW_PERIOD_MONTHS", default=12)
REVIEW_SHORT_PERIOD_MONTHS = env.int("REVIEW_SHORT_PERIOD_MONTHS", default=6)
REVIEW_SHORT_PERIOD_TOPICS = env.list(
    "REVIEW_SHORT_PERIOD_TOPICS", default=["pensions", "tupe", "procurement", "legal", "tax"]
)
REVIEW_DUE_SOON_DAYS = 30
REVIEW_WARNING_MONTHS = 6
# The team that owns an item when an editor names no owner, and whose shipped content it is.
REVIEW_DEFAULT_TEAM = "Mutuals Team"

# The finder's and the site search's queries are cancelled after this many milliseconds on
# PostgreSQL, and the visitor asked to narrow the search (portal/core/time_limit.py). 0: no limit.
SEARCH_STATEMENT_TIMEOUT_MS = env.int("SEARCH_STATEMENT_TIMEOUT_MS", default=2000)

# "Is this page useful?" (portal/feedback/): answers allowed per client address
# (django-ratelimit rate syntax), the most each text may hold, and how long answers are kept
# before the daily job deletes them. The privacy notice should quote the period.
PAGE_FEEDBACK_RATE_LIMIT = env("PAGE_FEEDBACK_RATE_LIMIT", default="20/h")
PAGE_FEEDBACK_MAX_CHARACTERS = 1000
PAGE_FEEDBACK_RETENTION_DAYS = env.int("PAGE_FEEDBACK_RETENTION_DAYS", default=365)

# The site search's counts of what people searched for (portal/site_search/counting.py): how
# many months of daily counts are kept before the daily job deletes them. The privacy notice
# quotes the period.
SEARCH_COUNT_RETENTION_MONTHS = env.int("SEARCH_COUNT_RETENTION_MONTHS", default=13)
