"""Kept addresses: those reverse() gives, for the URLconf and script prefix in force."""

import pytest
from django.test import override_settings
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    include,
    path,
    reverse,
    set_script_prefix,
)

from guides.library.models import resource_url
from portal.core.kept_urls import SlugURL, kept_reverse

# A URLconf of its own, where the resource's and the list's URL names have other addresses.
resource_patterns = [
    path("items/", lambda request: None, name="resource-list"),
    path("items/<slug:slug>/", lambda request: None, name="resource-detail"),
]
urlpatterns = [path("library/", include((resource_patterns, "guides")))]


def test_the_same_address_as_reverse():
    for slug in ["pension-transfer", "a", "x_1"]:
        expected = reverse("guides:resource-detail", kwargs={"slug": slug})
        assert resource_url(slug) == expected


def test_a_slug_the_pattern_does_not_take_fails_as_with_reverse():
    with pytest.raises(NoReverseMatch):
        resource_url("café")
    with pytest.raises(NoReverseMatch):
        resource_url("")


def test_follows_the_script_prefix():
    item_url = SlugURL("guides:resource-detail")
    assert item_url("one") == "/resources/one/"
    set_script_prefix("/portal/")
    try:
        assert item_url("two") == "/portal/resources/two/"
    finally:
        clear_script_prefix()
    assert item_url("three") == "/resources/three/"


def test_follows_the_urlconf():
    assert resource_url("one") == "/resources/one/"
    with override_settings(ROOT_URLCONF=__name__):
        assert resource_url("one") == "/library/items/one/"
    assert resource_url("one") == "/resources/one/"


def test_kept_reverse_follows_the_urlconf_and_script_prefix():
    assert kept_reverse("guides:resource-list") == "/resources/"
    with override_settings(ROOT_URLCONF=__name__):
        assert kept_reverse("guides:resource-list") == "/library/items/"
    set_script_prefix("/portal/")
    try:
        assert kept_reverse("guides:resource-list") == "/portal/resources/"
    finally:
        clear_script_prefix()
    assert kept_reverse("guides:resource-list") == "/resources/"
