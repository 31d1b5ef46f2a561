"""Editors write Markdown; visitors get sanitised HTML styled with GOV.UK classes."""

import re
import time

import markdown as markdown_lib
import nh3
from django.conf import settings
from markdown.extensions.toc import TocExtension, slugify

# The help text under every Markdown field in the admin.
MARKDOWN_HELP = (
    "Markdown: '## Heading' for a heading, '- item' for a list, "
    "'[link text](/address/)' for a link. HTML shows as typed, not as markup."
)
ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "a", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
# Headings keep the ids Markdown's toc extension gives them, so pages can link to a section.
# Each starts with HEADING_ID_PREFIX, which no id in the templates does (tests/portal/
# test_heading_ids.py), so a heading can never take an id the page itself uses, such as
# main-content (the skip link's target), a form field's or a section's.
HEADING_ID_PREFIX = "section-"
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


class MarkdownRejected(ValueError):
    """Text that could make rendering slow or fail, with a message an editor can act on."""


def check_markdown(text):
    """Reject text that is too long, nests too deeply or has too many brackets to render fast.

    Python-Markdown's time grows with the square of unmatched '[' and its recursion with list
    and quote depth, so both are bounded before any rendering happens.
    """
    text = text or ""
    limit = settings.MARKDOWN_MAX_CHARACTERS
    if len(text) > limit:
        raise MarkdownRejected(
            f"The text is too long: it has {len(text):,} characters and the limit is {limit:,}. "
            "Split it into shorter pages or remove some of it."
        )
    depth = max((_nesting(line) for line in text.splitlines()), default=0)
    if depth > settings.MARKDOWN_MAX_NESTING:
        raise MarkdownRejected(
            f"The text has lists or quotes nested {depth} levels deep; the limit is "
            f"{settings.MARKDOWN_MAX_NESTING}. Use fewer levels of indentation."
        )
    brackets = text.count("[")
    if brackets > settings.MARKDOWN_MAX_BRACKETS:
        raise MarkdownRejected(
            f"The text has {brackets:,} square brackets ([); the limit is "
            f"{settings.MARKDOWN_MAX_BRACKETS:,}. Each link needs only one pair."
        )


_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s")
_QUOTES = re.compile(r"^\s*(?:>\s*)+")


def _nesting(line):
    """How deeply a line nests: its blockquote markers, or its list indentation in levels."""
    quotes = _QUOTES.match(line)
    depth = quotes.group(0).count(">") if quotes else 0
    item = _LIST_ITEM.match(line)
    if item:
        depth = max(depth, 1 + len(item.group("indent").expandtabs(4)) // 4)
    return depth


def render_markdown(text, demote=0, id_prefix=""):
    """Render editor Markdown to safe HTML. Raw HTML shows as typed text, never as markup.

    `demote` moves headings down so they sit under the page's own ('##' is h2 at 0), and
    `id_prefix` keeps heading ids unique when several texts share a page: '## Money' gets the
    id 'section-money', or 'section-intro-money' with the prefix 'intro'. This runs when
    content is saved; pages show the stored result.
    """
    text = text or ""
    if not text.strip():
        return ""

    def heading_id(value, separator):
        slug = slugify(value, separator)
        return HEADING_ID_PREFIX + (f"{id_prefix}-{slug}" if id_prefix else slug)

    toc = TocExtension(baselevel=1 + int(demote), slugify=heading_id)
    md = markdown_lib.Markdown(extensions=["tables", "sane_lists", toc])
    # Without these, HTML typed by an editor is escaped rather than passed through, so it can
    # neither add markup nor set ids (such as main-content) that clash with the page's own.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return _cleaner.clean(md.convert(text))


def render_checked(text, demote=0, id_prefix=""):
    """`render_markdown` after `check_markdown`, rejecting text that renders too slowly."""
    check_markdown(text)
    started = time.perf_counter()
    html = render_markdown(text, demote, id_prefix)
    if time.perf_counter() - started > settings.MARKDOWN_MAX_RENDER_SECONDS:
        raise MarkdownRejected(
            "The text took too long to turn into a web page. Simplify it: use fewer links, "
            "lists or brackets, or split it up."
        )
    return html
