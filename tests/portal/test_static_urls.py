"""The static files storage keeps each file's address while its manifest is the same."""

import pytest

from portal.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.hashed_files = {"js/site.js": "js/site.abc123.js"}
    return storage


def test_the_address_is_the_manifests(storage):
    assert storage.url("js/site.js") == "/static/js/site.abc123.js"
    assert storage.url("js/site.js") == "/static/js/site.abc123.js"


def test_a_new_manifest_gives_new_addresses(storage):
    assert storage.url("js/site.js") == "/static/js/site.abc123.js"
    storage.hashed_files = {"js/site.js": "js/site.def456.js"}
    assert storage.url("js/site.js") == "/static/js/site.def456.js"


def test_a_name_missing_from_the_manifest_still_fails(storage):
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("js/missing.js")
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("js/missing.js")
