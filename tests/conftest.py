"""Fixtures every app's tests share: the factories, the shipped content, caches and migrations.

Each app's own conftest.py holds only what its tests alone need, and imports nothing from
another's.
"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from enquiries.kept_counts import enquiries_changed
from portal.cache import PageCacheMiddleware, bump_content_version, forget_kept_values
from portal.models import Page
from tests import factories, govuk_fixtures
from tests.migrating import migrate_to_latest

# The factories, each with a database -----------------------------------------------------------


@pytest.fixture
def make_page(db):
    return factories.make_page


@pytest.fixture
def make_staff(db):
    return factories.make_staff


@pytest.fixture
def make_stage(db):
    return factories.make_stage


@pytest.fixture
def make_task(db):
    return factories.make_task


@pytest.fixture
def make_topic(db):
    return factories.make_topic


@pytest.fixture
def make_publisher(db):
    return factories.make_publisher


@pytest.fixture
def make_resource(db):
    return factories.make_resource


@pytest.fixture
def make_service_area(db):
    return factories.make_service_area


@pytest.fixture
def make_mutual(db):
    return factories.make_mutual


@pytest.fixture
def make_case_study(db):
    return factories.make_case_study


@pytest.fixture
def make_partner(db):
    return factories.make_partner


@pytest.fixture
def make_rule(db):
    return factories.make_rule


@pytest.fixture
def make_enquiry(db):
    return factories.make_enquiry


@pytest.fixture
def make_handler(db):
    return factories.make_handler


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("Content editors", username="editor"))
    return client


@pytest.fixture
def mutuals_team(make_partner):
    """The fallback partner that every enquiry no rule claims goes to."""
    return make_partner(
        "Cabinet Office Mutuals Team", slug="mutuals-team", is_fallback=True,
        notification_emails="mutuals@mutuals-team.example.org",
    )  # fmt: skip


@pytest.fixture
def enquiry_data(mutuals_team, make_stage, make_topic):
    """A valid set of answers to the contact form."""
    stage = make_stage(slug="explore-the-idea", title="Explore the idea")
    make_topic("Legal")
    return {
        "name": "Sam Jones",
        "email": "sam@council.example.org",
        "phone": "",
        "contact_method": "email",
        "organisation": "Anytown Borough Council",
        "organisation_type": "local-authority",
        "role": "manager",
        "service_area": "adult-social-care",
        "stage": stage.slug,
        "topics": ["legal"],
        "message": "We want to convert our day care service into a co-operative.",
        "privacy": "on",
        "website": "",
    }


# The shipped content ---------------------------------------------------------------------------


def load_shipped_content():
    call_command("load_content", stdout=StringIO())


TRANSACTIONAL = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", *TRANSACTIONAL} & set(item.fixturenames)
    )


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    kinds = ("transaction", "reset_sequences", "serialized_rollback")
    if marker and any(marker.kwargs.get(kind) for kind in kinds):
        return True
    if marker and marker.args and marker.args[0]:  # django_db(True): transaction
        return True
    return bool(TRANSACTIONAL & set(item.fixturenames))


def _shares_shipped_content(item):
    return "shipped" in item.fixturenames and not _is_transactional(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within each module, the tests that can share one load of the shipped content run last.

    Every other test of the module runs first, so none of them sees content it did not ask
    for; otherwise each keeps its place.
    """
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), len(modules))

    def order(item):
        return modules[getattr(item, "module", None)], _shares_shipped_content(item)

    items.sort(key=order)


@pytest.fixture(scope="module")
def _shipped_content_for_module(request, django_db_setup, django_db_blocker):
    """The shipped content loaded once for the tests at the end of a module that share it.

    They share it when, from the first test that asks for the shipped content to the end of
    the module, every test that touches the database asks for it and none needs real
    transactions (the tests that can share it run last; see above). Then the content is
    loaded in a transaction left open to the end of the module, each test runs in a
    savepoint inside it (as with Django's setUpTestData) and sees exactly what it would have
    seen loading its own copy, and the transaction is rolled back at the end. Anywhere else
    each test loads its own copy.
    """
    items = [item for item in request.session.items if item.module is request.module]
    first = next(i for i, item in enumerate(items) if "shipped" in item.fixturenames)
    shared = all(_shares_shipped_content(item) for item in items[first:] if _uses_database(item))
    if not shared:
        yield False
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            load_shipped_content()
        yield True
    finally:
        # Even when loading fails: a transaction left open would break every later test.
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def shipped(_shipped_content_for_module, db):
    """The site's shipped content, exactly as `manage.py load_content` loads it: site pages,
    the guide, the library, mutuals and case studies, partners and routing rules."""
    if _shipped_content_for_module:
        # As loading would: saving content makes whatever was cached from it stale (pages,
        # the finder's options), and an earlier test may have cached what it rolled back.
        bump_content_version()
    else:
        load_shipped_content()


@pytest.fixture
def site_pages(shipped):
    """The site pages exactly as shipped (with the rest of the shipped content)."""
    return Page.objects.all()


# Caches and migrations -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _kept_for_the_content_version_forgotten():
    """What processes keep per content version (the finder's options and option sets, the
    blank contact form): a test that rolled back its content without changing the version must
    not leave them to the next.
    """
    yield
    forget_kept_values()


@pytest.fixture(autouse=True)
def _kept_enquiry_counts_forgotten():
    """The enquiry counts kept in the cache (enquiries/kept_counts.py): a test that rolled back
    or flushed its enquiries, which sends no signals, must not leave its counts to the next."""
    yield
    enquiries_changed()


@pytest.fixture
def fresh_cache():
    """An empty cache, so counts kept in it by other tests (rate limits) never leak in."""
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def page_cache(settings):
    """The page cache switched on (settings for tests leave it off), empty before and after."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    PageCacheMiddleware.reset()
    yield
    cache.clear()
    PageCacheMiddleware.reset()


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder, removed after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated for the tests that follow a migration test."""
    yield
    migrate_to_latest()


# GOV.UK Frontend's fixtures (tests/portal/test_govuk_fixtures.py) ------------------------------


def pytest_terminal_summary(terminalreporter):
    """After a run that checked the GOV.UK components against GOV.UK Frontend's own fixtures, how
    many of each component's fixtures its include supports (the rest need options it lacks)."""
    ran = any(
        "test_govuk_fixtures.py::test_include_renders_the_fixture" in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )
    if not ran or not govuk_fixtures.COMPONENTS.exists():
        return
    terminalreporter.section(
        f"GOV.UK Frontend {govuk_fixtures.fetched_version()} fixtures each include supports"
    )
    for component, (supported, total) in govuk_fixtures.table().items():
        template = govuk_fixtures.INCLUDES[component].template
        terminalreporter.write_line(f"{template:48} {supported:3} of {total:3}  ({component})")
