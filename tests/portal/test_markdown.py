from portal.markdown import render_markdown


def test_headings_paragraphs_and_links_get_gov_uk_classes():
    html = render_markdown("## Pensions\n\nRead [the guide](/how-to-set-up-a-mutual/).")

    assert '<h2 id="pensions" class="govuk-heading-l">Pensions</h2>' in html
    assert '<a href="/how-to-set-up-a-mutual/" class="govuk-link">the guide</a>' in html
    assert '<p class="govuk-body">' in html


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Hello <script>alert('x')</script> world")

    assert "<script" not in html
    assert "alert" not in html
    assert "Hello" in html


def test_javascript_links_lose_their_address():
    html = render_markdown("[click](javascript:alert(1)) and <a href='JaVaScRiPt:alert(2)'>x</a>")

    assert "javascript" not in html.lower()
    assert "alert" not in html


def test_event_handlers_and_inline_styles_are_stripped():
    html = render_markdown(
        '<p onclick="steal()" style="color:red">Hi</p><img src=x onerror="steal()">'
    )

    assert "onclick" not in html
    assert "onerror" not in html
    assert "style=" not in html
    assert "<img" not in html


def test_editor_classes_cannot_override_gov_uk_classes():
    html = render_markdown('<a href="/x/" class="evil">x</a>')

    assert 'class="evil"' not in html


def test_tables_render_as_gov_uk_tables():
    html = render_markdown("| Cookie | Expires |\n|---|---|\n| csrftoken | 1 year |")

    assert '<table class="govuk-table">' in html
    assert '<td class="govuk-table__cell">csrftoken</td>' in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_headings_can_be_moved_down_and_given_unique_ids():
    html = render_markdown("## Pensions\n\n### Fair Deal", demote=2, id_prefix="task-pensions")

    assert '<h4 id="task-pensions-pensions" class="govuk-heading-s">Pensions</h4>' in html
    assert '<h5 id="task-pensions-fair-deal" class="govuk-heading-s">Fair Deal</h5>' in html


def test_demoted_text_is_still_sanitised():
    html = render_markdown("## Hi\n\n<script>alert(1)</script>", demote=1, id_prefix="x")

    assert "<script" not in html
    assert '<h3 id="x-hi" class="govuk-heading-m">Hi</h3>' in html
