"""Whether a page ends with 'Is this page useful?', and which address it answers about."""

from django import template

from portal.feedback.pages import answerable

register = template.Library()

# Error pages are about a request that went wrong, not a page anyone can improve.
ERROR_TEMPLATES = {
    "400.html",
    "403.html",
    "403_csrf.html",
    "404.html",
    "429.html",
    "500.html",
    "locked_out.html",
}


@register.simple_tag(takes_context=True)
def page_feedback_path(context):
    """The page's path if it takes answers, else an empty string. Never a database query."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if (
        match is None
        or context.get("preview")
        or context.get("hide_page_feedback")
        or context.template.name in ERROR_TEMPLATES
        or not answerable(match)
    ):
        return ""
    return request.path
