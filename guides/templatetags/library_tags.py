from django import template
from django.utils.safestring import mark_safe

from guides.library.models import Resource
from guides.library.search import search_snippet as snippet
from portal.core.html import escaped

register = template.Library()


RESULT = (
    '<li class="app-finder-result">\n'
    '<h3 class="govuk-heading-s app-finder-result__title">'
    '<a class="govuk-link" href="{}">{}</a></h3>\n'
    '<p class="govuk-body app-finder-result__summary">{}</p>\n'
    '<ul class="govuk-list govuk-body-s app-finder-result__meta">\n{}\n</ul>\n'
    "</li>"
)
TYPE_FACT = '<li><span class="govuk-visually-hidden">Type: </span>{}</li>'
TYPE_LABELS = dict(Resource.Type.choices)
FACET_OPTION = (
    '<div class="govuk-checkboxes__item">\n'
    '<input class="govuk-checkboxes__input" id="{0}-{1}" name="{0}" type="checkbox"'
    ' value="{2}"{3}>\n'
    '<label class="govuk-label govuk-checkboxes__label" for="{0}-{1}">\n'
    '{4} <span class="app-finder__count">({5}<span class="govuk-visually-hidden"> {6}'
    "</span>)</span>\n</label>\n</div>"
)
FACET = (
    '<div class="govuk-form-group app-finder__facet">\n'
    '<fieldset class="govuk-fieldset">\n'
    '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>\n'
    '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">\n'
    "{}\n</div>\n</fieldset>\n</div>"
)


@register.simple_tag
def finder_results(resources, text):
    """The finder's results, each with its title, snippet (marked for a search `text`), type,
    publisher, date and download. Built here rather than by a loop in the template: a page of
    twenty rows cost more to render than the queries behind it. Every value is escaped().
    """
    rows = []
    for resource in resources:
        kind = resource.resource_type
        facts = [TYPE_FACT.format(escaped(TYPE_LABELS.get(kind, kind)))]
        if resource.publisher:
            facts.append(f"<li>From: {escaped(resource.publisher.name)}</li>")
        if published := resource.publication_date_display:
            facts.append(f"<li>Published: {escaped(published)}</li>")
        if resource.file:
            facts.append(f"<li>{escaped(resource.file_description)}</li>")
        rows.append(
            RESULT.format(
                escaped(resource.get_absolute_url()),
                escaped(resource.title),
                escaped(snippet(resource, text)),
                "\n".join(facts),
            )
        )
    results = "\n".join(rows)
    # Every value in a row was escaped().
    return mark_safe(f'<ul class="govuk-list app-finder-results">\n{results}\n</ul>')  # noqa: S308


@register.simple_tag
def finder_facet(facet):
    """One filter as GOV.UK checkboxes in a fieldset, each option saying how many results
    ticking it gives. Built here rather than by a template included in a loop: the finder and
    the site search show every option of every filter on every request.
    """
    name = escaped(facet.name)
    options = "\n".join(
        FACET_OPTION.format(
            name,
            number,
            escaped(option.value),
            " checked" if option.checked else "",
            escaped(option.label),
            escaped(option.count),
            "result" if option.count == 1 else "results",
        )
        for number, option in enumerate(facet.options, start=1)
    )
    return mark_safe(FACET.format(escaped(facet.legend), options))  # noqa: S308 - all escaped()
