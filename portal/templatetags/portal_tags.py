from django import template
from django.contrib.messages import ERROR

from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown as sanitised, GOV.UK-styled HTML."""
    return render_markdown(text)


@register.simple_tag
def markdown(text, demote=0, id_prefix=""):
    """Markdown with headings moved down `demote` levels and ids prefixed, for shared pages."""
    return render_markdown(text, demote=demote, id_prefix=id_prefix)


@register.filter
def has_error(messages):
    """Whether any message is an error, so the page title can start with 'Error: '."""
    return any(message.level == ERROR for message in messages or [])
