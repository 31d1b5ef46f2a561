import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from portal.cache import PageCacheMiddleware
from portal.core.publishing import Status
from portal.models import Page


@pytest.fixture
def make_page(db):
    """Build a Page; every field has a sensible default."""

    def make(**fields):
        count = Page.objects.count() + 1
        defaults = {
            "title": f"Test page {count}",
            "slug": f"test-page-{count}",
            "summary": "A short summary.",
            "body": "## A section\n\nSome text.",
            "status": Status.PUBLISHED,
            "last_reviewed": datetime.date(2026, 11, 23),
        }
        return Page.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def site_pages(db):
    """The site pages exactly as shipped."""
    call_command("load_content", stdout=StringIO())
    return Page.objects.all()


@pytest.fixture
def make_staff(db, django_user_model):
    """A staff account in the named groups (the groups exist after migrate)."""
    from django.contrib.auth.models import Group

    def make(*group_names, username="staff"):
        user = django_user_model.objects.create_user(
            username=username, password="correct horse battery staple", is_staff=True
        )
        user.groups.set(Group.objects.filter(name__in=group_names))
        return user

    return make


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("Content editors", username="editor"))
    return client


@pytest.fixture
def page_cache(settings):
    """The page cache switched on (settings for tests leave it off), empty before and after."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    PageCacheMiddleware.reset()
    yield
    cache.clear()
    PageCacheMiddleware.reset()
