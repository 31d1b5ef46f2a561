from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from guides.library.search import search_snippet as snippet

register = template.Library()


@register.simple_tag
def search_snippet(resource, text):
    """A result's summary, or with a search `text` the passage that matched, marked."""
    return snippet(resource, text)


@register.simple_tag
def finder_facet(facet):
    """One filter as GOV.UK checkboxes in a fieldset, each option saying how many results
    ticking it gives. Built here rather than by a template included in a loop: the finder and
    the site search show every option of every filter on every request."""
    items = format_html_join(
        "\n",
        '<div class="govuk-checkboxes__item">\n'
        '<input class="govuk-checkboxes__input" id="{0}-{1}" name="{0}" type="checkbox"'
        ' value="{2}"{3}>\n'
        '<label class="govuk-label govuk-checkboxes__label" for="{0}-{1}">\n'
        '{4} <span class="app-finder__count">({5}<span class="govuk-visually-hidden"> {6}'
        "</span>)</span>\n</label>\n</div>",
        (
            (
                facet.name,
                number,
                option.value,
                mark_safe(" checked") if option.checked else "",
                option.label,
                option.count,
                "result" if option.count == 1 else "results",
            )
            for number, option in enumerate(facet.options, start=1)
        ),
    )
    return format_html(
        '<div class="govuk-form-group app-finder__facet">\n'
        '<fieldset class="govuk-fieldset">\n'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>\n'
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">\n'
        "{}\n</div>\n</fieldset>\n</div>",
        facet.legend,
        items,
    )
