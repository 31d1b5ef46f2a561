"""Editors write Markdown; visitors get sanitised HTML styled with GOV.UK classes."""

import functools

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions.toc import TocExtension, slugify

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "a", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
# Headings keep the ids Markdown's toc extension gives them, so pages can link to a section.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
GOVUK_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    set_tag_attribute_values={tag: {"class": css} for tag, css in GOVUK_CLASSES.items()},
)


def render_markdown(text, demote=0, id_prefix=""):
    """Render editor Markdown to safe HTML; raw HTML, scripts and unsafe links are stripped.

    `demote` moves headings down so they sit under the page's own ('##' is h2 at 0), and
    `id_prefix` keeps heading ids unique when several texts share a page.
    """
    return mark_safe(_render(text or "", int(demote), id_prefix))  # noqa: S308 - nh3 in _render


# Rendering is a pure function of its arguments and dominates page time, so results are kept.
@functools.lru_cache(maxsize=1024)
def _render(text, demote, id_prefix):
    def heading_id(value, separator):
        slug = slugify(value, separator)
        return f"{id_prefix}-{slug}" if id_prefix else slug

    toc = TocExtension(baselevel=1 + demote, slugify=heading_id)
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists", toc])
    return _cleaner.clean(html)
