from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from guides.library.search import search_snippet as snippet

register = template.Library()


RESULT = (
    '<li class="app-finder-result">\n'
    '<h3 class="govuk-heading-s app-finder-result__title">'
    '<a class="govuk-link" href="{}">{}</a></h3>\n'
    '<p class="govuk-body app-finder-result__summary">{}</p>\n'
    '<ul class="govuk-list govuk-body-s app-finder-result__meta">\n{}\n</ul>\n'
    "</li>"
)


@register.simple_tag
def finder_results(resources, text):
    """The finder's results, each with its title, snippet (marked for a search `text`), type,
    publisher, date and download. Built here rather than by a loop in the template: a page of
    twenty rows cost more to render than the queries behind it.
    """
    rows = []
    for resource in resources:
        facts = [
            format_html(
                '<li><span class="govuk-visually-hidden">Type: </span>{}</li>',
                resource.get_resource_type_display(),
            )
        ]
        if resource.publisher:
            facts.append(format_html("<li>From: {}</li>", resource.publisher.name))
        if published := resource.publication_date_display:
            facts.append(format_html("<li>Published: {}</li>", published))
        if resource.file:
            facts.append(format_html("<li>{}</li>", resource.file_description))
        rows.append(
            format_html(
                RESULT,
                resource.get_absolute_url(),
                resource.title,
                snippet(resource, text),
                mark_safe("\n".join(facts)),  # noqa: S308 - each built by format_html
            )
        )
    return format_html(
        '<ul class="govuk-list app-finder-results">\n{}\n</ul>',
        mark_safe("\n".join(rows)),  # noqa: S308 - each built by format_html
    )


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
