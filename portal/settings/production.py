"""Production: HTTPS only, secrets from the environment, hashed and compressed static files."""

import sys

from .base import *  # noqa: F403
from .base import CACHES, CRONTASK, env, mailers_from_url

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
_missing = [name for name in REQUIRED if not env(name, default="")]
if _missing:
    # A plain message rather than a traceback: this is an operator's mistake, not a bug.
    sys.exit(
        "Production settings need these environment variables, which are not set: "
        + ", ".join(_missing)
        + ". See README.md, 'Production'."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Production runs behind a proxy that overwrites X-Forwarded-Proto and appends the client's
# address to X-Forwarded-For; a client's own values must never reach Django (docs/operations.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One proxy; its X-Forwarded-For is believed only when it connects from TRUSTED_PROXY_NETWORKS
# (base.py: loopback unless set), so a request sent straight to gunicorn is judged by its own
# address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
MAILERS = mailers_from_url(env("EMAIL_URL", default="smtp://localhost:25"))
# Schedulers on several servers share a lock in the Redis that CACHE_URL names, so each job is
# queued once (docs/operations.md). Without Redis there is no lock: run one scheduler only.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    _redis = CACHES["default"]["LOCATION"]
    CRONTASK = {**CRONTASK, "REDIS_URL": _redis[0] if isinstance(_redis, list) else _redis}
