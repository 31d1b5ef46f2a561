"""The GOV.UK component includes render exactly what GOV.UK Frontend's own templates render.

Each fixture GOV.UK Frontend publishes for a component, whose options the include supports, is a
test of its own (tests/govuk_fixtures.py says how options map and which are supported). The
markup is compared after normalising whitespace and the order of attributes and classes. At the
end of the run, pytest prints how many fixtures each include supports of the component's total.
"""

import difflib

import pytest

from tests import govuk_fixtures

# What each include supports of the fixtures of GOV.UK Frontend named in the Makefile. When an
# include supports more, or GOVUK_FRONTEND_VERSION changes, update this to the new counts.
EXPECTED_COUNTS = {
    "back-link": (7, 7),
    "breadcrumbs": (12, 12),
    "button": (38, 38),
    "checkboxes": (42, 42),
    "details": (10, 10),
    "error-message": (9, 9),
    "error-summary": (19, 19),
    "feedback": (7, 7),
    "fieldset": (18, 18),
    "footer": (25, 25),
    "generic-header": (7, 7),
    "header": (6, 6),
    "hint": (6, 6),
    "inset-text": (6, 6),
    "label": (17, 17),
    "notification-banner": (21, 21),
    "pagination": (15, 15),
    "panel": (19, 19),
    "phase-banner": (7, 7),
    "radios": (43, 43),
    "service-navigation": (33, 33),
    "skip-link": (9, 9),
    "summary-list": (30, 30),
    "tag": (12, 12),
    "task-list": (11, 11),
    "warning-text": (8, 8),
}


def supported_fixtures():
    if not govuk_fixtures.COMPONENTS.exists():
        # Collected as one failing test, so a run without the fixtures can never pass quietly.
        return [pytest.param(None, id="fixtures missing")]
    return [
        pytest.param(fixture, id=fixture.id)
        for component in govuk_fixtures.INCLUDES
        for fixture in govuk_fixtures.split(component)[0]
    ]


def test_the_fixtures_are_those_of_the_version_the_makefile_fetches():
    assert govuk_fixtures.COMPONENTS.exists(), govuk_fixtures.missing_message()
    assert govuk_fixtures.fetched_version() == govuk_fixtures.makefile_version()


@pytest.mark.parametrize("fixture", supported_fixtures())
def test_include_renders_the_fixture(fixture):
    assert fixture is not None, govuk_fixtures.missing_message()
    expected = govuk_fixtures.normalise(fixture.html)
    actual = govuk_fixtures.normalise(govuk_fixtures.render(fixture))
    diff = "\n".join(
        difflib.unified_diff(expected, actual, "GOV.UK Frontend", "include", lineterm="")
    )
    assert actual == expected, f"{fixture.id} differs from GOV.UK Frontend:\n{diff}"


def test_each_include_supports_the_fixtures_it_did():
    assert govuk_fixtures.COMPONENTS.exists(), govuk_fixtures.missing_message()
    assert govuk_fixtures.table() == EXPECTED_COUNTS


def test_normalising_ignores_spacing_and_order_but_not_content():
    normalise = govuk_fixtures.normalise
    assert normalise('<p  class="b a" id="x">\n Hi  there </p>') == normalise(
        '<p id="x" class="a b">Hi there</p>'
    )
    assert normalise("<input hidden>") == normalise('<input hidden="">')
    assert normalise("<p>Hi</p>") != normalise("<p>Hi!</p>")
    assert normalise('<p class="a">Hi</p>') != normalise('<p class="a b">Hi</p>')
    assert normalise("<p>Hi</p>") != normalise("<div>Hi</div>")


def test_option_paths_name_every_option_a_fixture_sets():
    options = {"items": [{"href": "/", "attributes": {"data-x": "1"}}, {"text": "A"}], "open": True}
    assert govuk_fixtures.option_paths(options) == {
        "items[].href",
        "items[].attributes.data-x",
        "items[].text",
        "open",
    }
    spec = govuk_fixtures.include("tag", "items[].href", "items[].attributes")
    assert spec.supports("items[].attributes.data-x")
    assert not spec.supports("items[].text")
    # An empty list of items, or an item left unset, is something the include handles.
    assert spec.supports("items")
    assert spec.supports("items[]")
    assert not spec.supports("rows")
    assert not spec.supports("item")
