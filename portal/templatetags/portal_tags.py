from django import template
from django.conf import settings
from django.contrib.messages import ERROR
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.cache import KeptForContentVersion
from portal.core.html import escaped
from portal.site_search.models import Kind

register = template.Library()

# Tokens an editor can type in a page body to show a setting's current value. Bodies are
# rendered to HTML when saved, so the value is filled in when the page is shown instead.
ENQUIRY_RETENTION_TOKEN = "{enquiry-retention-period}"
SERVICE_OWNER_TOKEN = "{service-owner}"
CONTACT_EMAIL_TOKEN = "{contact-email}"
DATA_CONTROLLER_TOKEN = "{data-controller}"
SERVER_LOG_RETENTION_TOKEN = "{server-log-retention-period}"
SIGN_IN_ATTEMPT_RETENTION_TOKEN = "{sign-in-attempt-retention-period}"
SIGN_IN_LOG_RETENTION_TOKEN = "{sign-in-log-retention-period}"
PAGE_FEEDBACK_RETENTION_TOKEN = "{page-feedback-retention-period}"
SEARCH_COUNT_RETENTION_TOKEN = "{search-count-retention-period}"


def months(count):
    return f"{count} month" if count == 1 else f"{count} months"


def days(count):
    return f"{count} day" if count == 1 else f"{count} days"


def live_values():
    """Each placeholder token and the text it stands for now."""
    return {
        ENQUIRY_RETENTION_TOKEN: months(settings.ENQUIRY_RETENTION_MONTHS),
        SERVICE_OWNER_TOKEN: settings.SERVICE_OWNER_NAME,
        CONTACT_EMAIL_TOKEN: settings.SERVICE_OWNER_EMAIL,
        DATA_CONTROLLER_TOKEN: settings.DATA_CONTROLLER,
        SERVER_LOG_RETENTION_TOKEN: days(settings.SERVER_LOG_RETENTION_DAYS),
        SIGN_IN_ATTEMPT_RETENTION_TOKEN: days(settings.SIGN_IN_ATTEMPT_RETENTION_DAYS),
        SIGN_IN_LOG_RETENTION_TOKEN: days(settings.SIGN_IN_LOG_RETENTION_DAYS),
        PAGE_FEEDBACK_RETENTION_TOKEN: days(settings.PAGE_FEEDBACK_RETENTION_DAYS),
        SEARCH_COUNT_RETENTION_TOKEN: months(settings.SEARCH_COUNT_RETENTION_MONTHS),
    }


@register.filter
def has_error(messages):
    """Whether any message is an error, so the page title can start with 'Error: '."""
    return any(message.level == ERROR for message in messages or [])


@register.filter
def with_live_values(html):
    """Stored page HTML with each placeholder token replaced by its setting's current value."""
    if not isinstance(html, SafeString):
        html = escape(html)
    for token, value in live_values().items():
        if token in html:
            html = html.replace(token, escape(value))
    # The HTML was sanitised when saved, and each inserted value is escaped.
    return mark_safe(html)  # noqa: S308


# The support links at the foot of every page: text, URL name and its arguments.
FOOTER_LINKS = (
    ("Accessibility statement", "portal:page-detail", ("accessibility",)),
    ("Privacy notice", "portal:page-detail", ("privacy",)),
    ("Cookies", "portal:page-detail", ("cookies",)),
    ("Contact", "portal:contact", ()),
    ("Latest changes", "portal:latest-changes", ()),
)


@register.simple_tag
def footer_meta():
    """The footer's support links, as the meta option of includes/govuk/footer.html."""
    return {
        "items": [
            {"text": text, "href": reverse(name, args=args)} for text, name, args in FOOTER_LINKS
        ]
    }


SEARCH_RESULT = (
    '<li class="app-finder-result">\n'
    '<p class="govuk-body-s app-site-search__type">'
    '<span class="govuk-visually-hidden">Type: </span>{}</p>\n'
    '<h3 class="govuk-heading-s app-finder-result__title">'
    '<a class="govuk-link" href="{}">{}</a></h3>\n'
    "{}"
    '<p class="govuk-body-s app-finder-result__meta">Last updated {}</p>\n'
    "</li>"
)
SEARCH_SNIPPET = '<p class="govuk-body app-finder-result__summary">{}</p>\n'


KIND_LABELS = dict(Kind.choices)


@register.simple_tag
def site_search_results(documents):
    """The site search's results: each one's type, title, snippet and when it was updated.
    Built here rather than by a loop in the template, as the finder's results are, and as
    cheaply: every value escaped() once.
    """
    rows = []
    for document in documents:
        snippet = document.snippet_html
        updated = document.updated
        rows.append(
            SEARCH_RESULT.format(
                escaped(KIND_LABELS.get(document.kind, document.kind)),
                escaped(document.url),
                escaped(document.title),
                SEARCH_SNIPPET.format(escaped(snippet)) if snippet else "",
                # As the date filter's "j F Y".
                escaped(f"{updated.day} {MONTHS[updated.month]} {updated.year:04d}"),
            )
        )
    results = "\n".join(rows)
    # Every value in a row was escaped().
    return mark_safe(f'<ul class="govuk-list app-finder-results">\n{results}\n</ul>')  # noqa: S308


# Each process keeps the fragments it rendered for the current content version, at most this
# many (a key takes few values: the navigation's current section and the branding).
KEPT_FRAGMENTS_LIMIT = 100
kept_fragments = KeptForContentVersion(dict)


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        key = (self.name, *(repr(value.resolve(context)) for value in self.values))
        try:
            fragments = kept_fragments()
        except Exception:  # noqa: BLE001 - the shared cache down (logged by the page cache)
            return self.nodelist.render(context)  # must not take the page down with it
        html = fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(fragments) < KEPT_FRAGMENTS_LIMIT:
                fragments[key] = html
        return html


@register.tag
def kept_fragment(parser, token):
    """{% kept_fragment "name" value ... %}...{% endkept_fragment %}: what is inside, rendered
    once per process and content version for each set of the values named, which must be all
    it depends on. For the layout's header and footer, the same on every page but for the
    current section, which every uncached page would otherwise render afresh.
    """
    name, *values = token.split_contents()[1:]
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(nodelist, name, [parser.compile_filter(value) for value in values])
