"""Markdown is checked and rendered when content is saved; pages show the stored HTML."""

from django.urls import reverse

from portal.core import markdown
from portal.core.publishing import Status
from portal.models import Page

PAGE_FORM = {
    "title": "Cookies",
    "slug": "cookies",
    "summary": "",
    "status": Status.PUBLISHED,
}


def test_saving_a_page_stores_its_rendered_body(make_page):
    page = make_page(body="## Essential cookies\n\nWe set two.")

    assert page.rendered["body"].startswith('<h2 id="section-essential-cookies"')
    assert page.rendered["print_body"].startswith('<h2 id="section-intro-essential-cookies"')


def test_pages_show_the_stored_html_without_rendering_again(client, make_page):
    page = make_page(slug="cookies", body="## Essential cookies")
    # Whatever is stored is what is shown: nothing renders the source while a visitor waits.
    Page.objects.filter(pk=page.pk).update(rendered={"body": '<p class="govuk-body">Stored</p>'})

    html = client.get("/cookies/").content.decode()

    assert '<p class="govuk-body">Stored</p>' in html
    assert "Essential cookies</h2>" not in html


def test_admin_rejects_a_body_that_is_too_long_and_keeps_the_old_one(
    editor_client, make_page, settings
):
    settings.MARKDOWN_MAX_CHARACTERS = 50
    page = make_page(slug="cookies", body="Short.")

    response = editor_client.post(
        reverse("admin:portal_page_change", args=[page.pk]), {**PAGE_FORM, "body": "x" * 51}
    )

    assert response.status_code == 200
    assert "The text is too long: it has 51 characters" in response.content.decode()
    page.refresh_from_db()
    assert page.body == "Short."


def test_admin_rejects_deep_nesting_instead_of_failing(editor_client, make_page):
    page = make_page(slug="cookies", body="Short.")
    deep = "".join("    " * level + "- item\n" for level in range(300))

    response = editor_client.post(
        reverse("admin:portal_page_change", args=[page.pk]), {**PAGE_FORM, "body": deep[:49_000]}
    )

    assert response.status_code == 200
    assert "nested" in response.content.decode()
    page.refresh_from_db()
    assert page.body == "Short."


def test_admin_rejects_thousands_of_brackets_without_rendering_them(
    editor_client, make_page, monkeypatch
):
    page = make_page(slug="cookies", body="Short.")
    rendered, render = [], markdown.render_markdown

    def spy(text, *args):
        rendered.append(text)
        return render(text, *args)

    monkeypatch.setattr(markdown, "render_markdown", spy)

    response = editor_client.post(
        reverse("admin:portal_page_change", args=[page.pk]), {**PAGE_FORM, "body": "[" * 40_000}
    )

    assert "[" * 40_000 not in rendered
    assert "square brackets" in response.content.decode()
    assert Page.objects.get(pk=page.pk).body == "Short."


def test_admin_rejects_text_that_renders_too_slowly(editor_client, make_page, settings):
    settings.MARKDOWN_MAX_RENDER_SECONDS = 0
    page = make_page(slug="cookies", body="Short.")

    response = editor_client.post(
        reverse("admin:portal_page_change", args=[page.pk]), {**PAGE_FORM, "body": "## Hello"}
    )

    assert "took too long" in response.content.decode()
    assert Page.objects.get(pk=page.pk).body == "Short."


def test_a_valid_edit_is_rendered_once_and_stored(editor_client, make_page):
    page = make_page(slug="cookies", body="Short.")

    response = editor_client.post(
        reverse("admin:portal_page_change", args=[page.pk]),
        {**PAGE_FORM, "body": "## Essential cookies"},
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.rendered["body"] == (
        '<h2 id="section-essential-cookies" class="govuk-heading-l">Essential cookies</h2>'
    )
