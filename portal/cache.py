"""Whole-page caching for anonymous visitors, invalidated by a content version.

A public page looks the same for every visitor who has no session, so its finished response
(status, every header, body) is kept and served again without running the views or most of
the middleware. Two levels:

- each app server process keeps pages in its own memory, which answers a hit with no network
  round trip;
- the shared cache (Redis in production, CACHE_URL) holds them too, so a process that has not
  rendered a page yet can still skip the view.

Every entry is stored under the content version, a token in the shared cache. Saving or
deleting a row of any model that declares `changes_public_pages = True` (every publishable
model, and the others each app marks) replaces the token (see connect_invalidation), so every
entry becomes unreachable at once, and replaces it again when the change commits. A process
re-reads the token at most once every PAGE_CACHE_VERSION_CHECK_SECONDS, so an editor's change
shows on every app server within about a second, and at once on the server that saved it.

Only these are kept: a GET with no query string and no session cookie, answered 200 with no
cookie set, no CSRF token used, and no Cache-Control that says private or no-store. So no
visitor's CSRF token, session, progress, messages or form answers can reach another visitor.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

VERSION_KEY = "portal:page-cache:version"

logger = logging.getLogger(__name__)

# Browsers and CDNs may keep a public page but must ask each time whether it is still
# current; the ETag makes that question cheap (a 304 with no body).
PUBLIC_CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}


def shared_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def bump_content_version():
    """Make every cached page stale, in every process (within a second) and in the shared cache."""
    token = uuid.uuid4().hex
    shared_cache().set(VERSION_KEY, token, None)
    PageCacheMiddleware.note_version(token)
    return token


def content_changed_now_and_at_commit():
    """Public content changed: every kept page and value goes stale now, so the request that made
    the change shows it, and again when the change commits. Another process may read the new
    version before the commit, while it still sees the old rows, and keep what it made of them
    under that version; the second version leaves it behind.
    """
    bump_content_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_content_version, robust=True)  # the change is saved by then


def content_version():
    """The token that changes whenever public content does, as this process last read it."""
    return PageCacheMiddleware.current_version()


# Nothing kept yet: distinct from any version, None included.
_NOTHING = object()
# Every KeptForContentVersion, so tests can make each process forget them all at once.
_kept_values = []


class KeptForContentVersion:
    """A value each process works out once for the current content version and keeps until the
    version changes: for what every request would otherwise work out again, the same each time,
    until an editor saves something (the finder's options, the blank contact form).

    Called, it gives the value, working it out with `make()` when the version has moved on.
    `kept(version)` and `keep(version, value)` are for a value worked out along the way, such
    as a page only kept when it rendered well.
    """

    def __init__(self, make=None):
        self.make = make
        self._version, self._value = _NOTHING, None
        _kept_values.append(self)

    def __call__(self):
        version = content_version()
        value = self.kept(version)
        if value is None:
            value = self.make()
            self.keep(version, value)
        return value

    def kept(self, version):
        """The value kept for `version`, or None."""
        return self._value if self._version == version else None

    def keep(self, version, value):
        self._version, self._value = version, value

    def forget(self):
        self._version, self._value = _NOTHING, None


def forget_kept_values():
    for kept in _kept_values:
        kept.forget()


def for_one_visitor(response):
    """Never to be kept by a shared cache, a CDN or a browser's neighbour: an answer made for one
    visitor (their answers, their enquiry, their session)."""
    response["Cache-Control"] = "private, no-store"
    return response


def for_one_visitor_view(view):
    """A view whose every answer is for one visitor (for_one_visitor)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return for_one_visitor(view(request, *args, **kwargs))

    return wrapped


def changes_public_pages(model):
    """Whether saving or deleting a row of `model` can change a public page (its own say)."""
    return bool(getattr(model, "changes_public_pages", False))


def content_changed(sender, **kwargs):
    if changes_public_pages(sender):
        content_changed_now_and_at_commit()


def content_relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and changes_public_pages(type(instance)):
        content_changed_now_and_at_commit()


def connect_invalidation():
    """Called from PortalConfig.ready(): any content save, delete or relation change."""
    post_save.connect(content_changed, dispatch_uid="portal.cache.post_save")
    post_delete.connect(content_changed, dispatch_uid="portal.cache.post_delete")
    m2m_changed.connect(content_relation_changed, dispatch_uid="portal.cache.m2m_changed")


class LocalPages:
    """A small least-recently-used store of responses, private to this process."""

    def __init__(self, max_entries):
        self.max_entries = max_entries
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


class PageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache, ahead of the costly middleware.

    It sits just after SecurityMiddleware, so the HTTPS redirect still comes first and every
    answer still gets its security headers. Everything inside it, including the CSP header,
    is stored with the page: the policy has no nonce, so the stored header is right for
    everyone. GZipMiddleware is inside too, so a compressed copy is kept for browsers that ask
    for one and a plain copy for those that do not.
    """

    # Per process: the content version last read from the shared cache, and when.
    _version = None
    _version_read_at = float("-inf")
    _local = None

    def __init__(self, get_response):
        self.get_response = get_response
        cls = type(self)
        if cls._local is None:
            cls._local = LocalPages(settings.PAGE_CACHE_LOCAL_ENTRIES)

    @classmethod
    def note_version(cls, token):
        """This process changed the version: use the new one at once, drop the old pages."""
        cls._version = token
        cls._version_read_at = time.monotonic()
        if cls._local is not None:
            cls._local.clear()

    @classmethod
    def reset(cls):
        """Forget everything kept in this process (tests)."""
        cls._version = None
        cls._version_read_at = float("-inf")
        if cls._local is not None:
            cls._local.clear()

    @classmethod
    def current_version(cls):
        now = time.monotonic()
        if now - cls._version_read_at >= settings.PAGE_CACHE_VERSION_CHECK_SECONDS:
            version = shared_cache().get(VERSION_KEY)
            if version is None:
                version = uuid.uuid4().hex
                # add(), not set(): two processes starting at once agree on one token.
                shared_cache().add(VERSION_KEY, version, None)
                version = shared_cache().get(VERSION_KEY, version)
            cls._version, cls._version_read_at = version, now
        return cls._version

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not self.may_serve_from_cache(request):
            return self.mark_private(request, self.get_response(request))
        try:
            key = self.key(request)
        except Exception:  # noqa: BLE001 - the shared cache being down must not take pages down
            logger.warning(
                "Page cache: could not read the content version for %s; serving it uncached",
                request.path,
                exc_info=True,
            )
            return self.get_response(request)
        entry = self._local.get(key)
        if entry is None:
            entry = self.read_shared(key)
            if entry is not None:
                self._local.set(key, entry)
        if entry is not None:
            return self.answer(request, entry)

        response = self.get_response(request)
        if self.may_store(request, response):
            entry = self.store(key, response)
            return self.answer(request, entry)
        return self.mark_private(request, response)

    @classmethod
    def will_keep(cls, request, response):
        """Whether this answer is one the page cache keeps for other visitors (asked of an
        answer on its way out, inside this middleware)."""
        return (
            settings.PAGE_CACHE_ENABLED
            and cls.may_serve_from_cache(request)
            and cls.may_store(request, response)
        )

    @staticmethod
    def may_serve_from_cache(request):
        return (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
        )

    def key(self, request):
        gzip = "gzip" in request.headers.get("accept-encoding", "")
        # The raw Host header: a host Django refuses never gets a 200, so it is never stored.
        host = request.headers.get("host", "")
        scheme = "https" if request.is_secure() else "http"
        raw = f"{scheme}://{host}{request.path}|{'gzip' if gzip else 'identity'}"
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"portal:page:{self.current_version()}:{digest}"

    def read_shared(self, key):
        try:
            return shared_cache().get(key)
        except Exception:  # noqa: BLE001 - as above: a miss, not an error page
            logger.warning(
                "Page cache: could not read %s from the shared cache", key, exc_info=True
            )
            return None

    @staticmethod
    def may_store(request, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page used this visitor's CSRF token (a form), even if no cookie was set.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "no-cache" not in cache_control
            and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        )

    def store(self, key, response):
        """Keep the page, or the copy another process kept first while this one made it.

        Compressed copies differ byte for byte (GZipMiddleware's random padding), and so do
        their ETags: if two processes that made the page at once each kept their own, a
        browser revalidating with one's ETag would get the whole page again from the other.
        add(), not set(): the first copy stored is the one every process keeps and answers with.
        """
        patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        entry = (response.status_code, list(response.items()), response.content)
        try:
            if not shared_cache().add(key, entry, settings.PAGE_CACHE_SECONDS):
                entry = shared_cache().get(key) or entry  # or gone again since: this one
        except Exception:  # noqa: BLE001 - the page is still kept in this process
            logger.warning("Page cache: could not write %s to the shared cache", key, exc_info=True)
        self._local.set(key, entry)
        return entry

    @staticmethod
    def answer(request, entry):
        status, headers, content = entry
        etag = dict(headers).get("ETag")
        if etag and etag in parse_etags(request.headers.get("if-none-match", "")):
            response = HttpResponseNotModified()
            for name, value in headers:
                if name in ("ETag", "Cache-Control", "Vary", "Content-Security-Policy"):
                    response[name] = value
            return response
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def mark_private(request, response):
        """An answer made for one visitor must never be kept by a browser's neighbour or a CDN."""
        session = getattr(request, "session", None)
        personal = (
            response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.accessed and not session.is_empty())
        )
        if personal and "no-store" not in response.get("Cache-Control", ""):
            for_one_visitor(response)
        return response
