import re

import pytest

from portal.core import markdown
from portal.core.markdown import MarkdownRejected, check_markdown, render_checked, render_markdown


def test_headings_paragraphs_and_links_get_gov_uk_classes():
    html = render_markdown("## Pensions\n\nRead [the guide](/how-to-set-up-a-mutual/).")

    assert '<h2 id="section-pensions" class="govuk-heading-l">Pensions</h2>' in html
    assert '<a href="/how-to-set-up-a-mutual/" class="govuk-link">the guide</a>' in html
    assert '<p class="govuk-body">' in html


def test_typed_html_shows_as_text_and_never_as_markup():
    html = render_markdown("Hello <script>alert('x')</script> <b>bold</b> world")

    assert "<script" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_typed_html_cannot_set_ids_that_clash_with_the_page():
    html = render_markdown('<h2 id="main-content">Mine</h2>\n\n<div id="main-content">x</div>')

    assert not re.search(r'<[a-z0-9]+[^<>]*\bid="main-content"', html)
    assert "&lt;h2 id=" in html


def test_html_blocks_are_escaped_too():
    html = render_markdown('<div onclick="steal()" style="color:red">\nHi\n</div>\n\n<img src=x>')

    assert "<div" not in html
    assert "<img" not in html
    assert "&lt;div" in html


def test_javascript_links_lose_their_address():
    html = render_markdown("[click](javascript:alert(1)) and [again](JaVaScRiPt:alert(2))")

    assert "javascript:" not in html.lower()
    assert "click" in html


def test_autolinks_still_work():
    html = render_markdown("See <https://www.gov.uk/>.")

    assert '<a href="https://www.gov.uk/" class="govuk-link">https://www.gov.uk/</a>' in html


def test_tables_render_as_gov_uk_tables():
    html = render_markdown("| Cookie | Expires |\n|---|---|\n| csrftoken | 1 year |")

    assert '<table class="govuk-table">' in html
    assert '<td class="govuk-table__cell">csrftoken</td>' in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_headings_can_be_moved_down_and_given_unique_ids():
    html = render_markdown("## Pensions\n\n### Fair Deal", demote=2, id_prefix="task-pensions")

    assert '<h4 id="section-task-pensions-pensions" class="govuk-heading-s">Pensions</h4>' in html
    assert '<h5 id="section-task-pensions-fair-deal" class="govuk-heading-s">Fair Deal</h5>' in html


def test_ordinary_text_passes_the_checks():
    text = "## Pensions\n\n- one\n    - two\n        - three\n\n> a quote\n\n[a](/b/) " * 20

    check_markdown(text)
    assert "govuk-list" in render_checked(text)


def test_text_over_the_length_limit_is_rejected(settings):
    settings.MARKDOWN_MAX_CHARACTERS = 100

    with pytest.raises(MarkdownRejected, match="too long: it has 101 characters"):
        check_markdown("x" * 101)


@pytest.mark.parametrize(
    "text",
    [
        "".join("    " * level + "- item\n" for level in range(120)),
        ">" * 300 + " deep",
        "> " * 300 + "deep",
        "".join("\t" * level + "1. item\n" for level in range(50)),
    ],
    ids=["indented-list", "quotes", "spaced-quotes", "tabbed-numbered-list"],
)
def test_deep_nesting_is_rejected_before_it_can_recurse(text):
    with pytest.raises(MarkdownRejected, match="nested"):
        check_markdown(text)


def test_many_unmatched_brackets_are_rejected_without_rendering_them(monkeypatch):
    # Rendering them would take minutes, so they must be refused before rendering starts.
    rendered = []
    monkeypatch.setattr(markdown, "render_markdown", lambda *args: rendered.append(args))

    with pytest.raises(MarkdownRejected, match="square brackets"):
        render_checked("[" * 40_000)

    assert rendered == []


def test_text_that_renders_too_slowly_is_rejected(settings):
    settings.MARKDOWN_MAX_RENDER_SECONDS = 0

    with pytest.raises(MarkdownRejected, match="took too long"):
        render_checked("## A heading\n\nSome text.")
