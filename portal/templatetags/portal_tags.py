from django import template

from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown as sanitised, GOV.UK-styled HTML."""
    return render_markdown(text)
