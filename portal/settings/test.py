"""The test suite: fast and self-contained, on whatever DATABASE_URL names."""

from .base import *  # noqa: F403
from .base import BASE_DIR

# A fixed key: signing (sessions, CSRF, messages) needs one, and no test depends on its value.
SECRET_KEY = "insecure-key-for-the-test-suite-only"
# As in production, so tests see the pages and error pages visitors get.
DEBUG = False
# Django's test client and the live server used by the browser tests.
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Plain storage, as in development: tests never run collectstatic, so there is no manifest of
# hashed names to read.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A fast hasher: password strength is not under test, and hashing dominates run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A private cache per process, so tests never see each other's entries.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off by default: most tests change content without signals (rolled-back transactions,
# update()) and read response.context. tests/portal/test_cache*.py turn it on.
PAGE_CACHE_ENABLED = False
PAGE_CACHE_VERSION_CHECK_SECONDS = 0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the app folders, as in development: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploads made by tests land here, away from the development media folder.
MEDIA_ROOT = BASE_DIR / "test-output" / "media"

# Enquiries: links in email point at the test client's host.
SITE_URL = "http://testserver"
