from django import template
from django.contrib.messages import ERROR

register = template.Library()


@register.filter
def has_error(messages):
    """Whether any message is an error, so the page title can start with 'Error: '."""
    return any(message.level == ERROR for message in messages or [])
