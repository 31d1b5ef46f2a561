"""GOV.UK Frontend's own fixtures for the site's component includes (templates/includes/govuk/).

GOV.UK Frontend publishes, for each component, the HTML its Nunjucks macro renders for each set
of options (dist/govuk/components/<name>/fixtures.json). Each include here takes the macro's
options as its arguments (camelCase names in snake_case at the top level; nested dictionaries and
lists as they are), and declares which options it supports: a fixture is checked when every
option it sets is supported, and counted as left out otherwise.

An option is named by its path: "items[].href" is the href of each item of the list `items`.
Naming a path supports everything under it ("attributes" covers every attribute), and an empty
list or dictionary, or an unset item, where something within it is supported.
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = ROOT / ".build" / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"


def makefile_version():
    """GOVUK_FRONTEND_VERSION in the Makefile: the version `make assets` fetches."""
    text = (ROOT / "Makefile").read_text()
    return re.search(r"^GOVUK_FRONTEND_VERSION := (\S+)$", text, re.MULTILINE).group(1)


def fetched_version():
    package = COMPONENTS.parent.parent.parent / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else None


ATTRIBUTES = {"classes", "attributes"}


@dataclass(frozen=True)
class Include:
    """One include and the options of its GOV.UK Frontend macro it renders as GOV.UK does."""

    template: str
    options: frozenset

    def supports(self, path):
        """Whether the option at path is supported: itself, what it is part of, or (for an empty
        or unset list or dictionary) something within it."""
        return any(
            path == option
            or path.startswith(f"{option}.")
            or path.startswith(f"{option}[]")
            or option.startswith(f"{path}.")
            or option.startswith(f"{path}[]")
            for option in self.options
        )


def include(template, *options):
    return Include(f"includes/govuk/{template}.html", frozenset(options))


CHOICES = (
    "name",
    "idPrefix",
    "value",
    "items[].value",
    "items[].text",
    "items[].html",
    "items[].id",
    "items[].checked",
    "items[].disabled",
    "items[].divider",
    "items[].hint.text",
    "items[].hint.html",
    "items[].hint.classes",
    "items[].hint.attributes",
    "items[].label.classes",
    "items[].label.attributes",
    "items[].conditional.html",
    "items[].attributes",
    "fieldset.legend.text",
    "fieldset.legend.html",
    "fieldset.legend.classes",
    "fieldset.legend.isPageHeading",
    "fieldset.describedBy",
    "fieldset.classes",
    "fieldset.attributes",
    "hint.text",
    "hint.html",
    "hint.classes",
    "hint.attributes",
    "errorMessage.text",
    "errorMessage.html",
    "errorMessage.classes",
    "errorMessage.attributes",
    "errorMessage.visuallyHiddenText",
    "formGroup.classes",
    "formGroup.attributes",
    "formGroup.beforeInputs.text",
    "formGroup.beforeInputs.html",
    "formGroup.afterInputs.text",
    "formGroup.afterInputs.html",
    *ATTRIBUTES,
)

# Component name in GOV.UK Frontend -> the include and the options it supports.
INCLUDES = {
    "back-link": include("back_link", "text", "html", "href", *ATTRIBUTES),
    "breadcrumbs": include(
        "breadcrumbs",
        "items[].text",
        "items[].html",
        "items[].href",
        "items[].attributes",
        "collapseOnMobile",
        "labelText",
        *ATTRIBUTES,
    ),
    "button": include(
        "button",
        "element",
        "text",
        "html",
        "name",
        "type",
        "value",
        "disabled",
        "href",
        "preventDoubleClick",
        "isStartButton",
        "id",
        *ATTRIBUTES,
    ),
    "checkboxes": include(
        "checkboxes",
        *(option.replace("value", "values") if option == "value" else option for option in CHOICES),
        "items[].name",
        "items[].behaviour",
        "describedBy",
    ),
    "details": include(
        "details", "summaryText", "summaryHtml", "text", "html", "id", "open", *ATTRIBUTES
    ),
    "error-message": include(
        "error_message", "text", "html", "id", "visuallyHiddenText", *ATTRIBUTES
    ),
    "error-summary": include(
        "error_summary",
        "titleText",
        "titleHtml",
        "descriptionText",
        "descriptionHtml",
        "errorList[].href",
        "errorList[].text",
        "errorList[].html",
        "errorList[].attributes",
        "disableAutoFocus",
        *ATTRIBUTES,
    ),
    "feedback": include(
        "feedback", "titleText", "titleHtml", "headingLevel", "text", "html", *ATTRIBUTES
    ),
    "fieldset": include(
        "fieldset",
        "legend.text",
        "legend.html",
        "legend.classes",
        "legend.isPageHeading",
        "html",
        "describedBy",
        "role",
        *ATTRIBUTES,
    ),
    "footer": include(
        "footer",
        "meta.items[].href",
        "meta.items[].text",
        "meta.items[].attributes",
        "meta.text",
        "meta.html",
        "meta.visuallyHiddenTitle",
        "navigation[].title",
        "navigation[].width",
        "navigation[].columns",
        "navigation[].items[].href",
        "navigation[].items[].text",
        "navigation[].items[].attributes",
        "contentLicence.text",
        "contentLicence.html",
        "copyright.text",
        "copyright.html",
        "containerClasses",
        *ATTRIBUTES,
    ),
    "generic-header": include(
        "generic_header", "logoText", "logoHtml", "url", "containerClasses", *ATTRIBUTES
    ),
    "header": include("header", "homepageUrl", "productName", "containerClasses", *ATTRIBUTES),
    "hint": include("hint", "text", "html", "id", *ATTRIBUTES),
    "inset-text": include("inset_text", "text", "html", "id", *ATTRIBUTES),
    "label": include("label", "text", "html", "for", "isPageHeading", *ATTRIBUTES),
    "notification-banner": include(
        "notification_banner",
        "text",
        "html",
        "titleText",
        "titleHtml",
        "titleHeadingLevel",
        "type",
        "role",
        "titleId",
        "disableAutoFocus",
        *ATTRIBUTES,
    ),
    "pagination": include(
        "pagination",
        "previous.href",
        "previous.text",
        "previous.html",
        "previous.labelText",
        "previous.attributes",
        "next.href",
        "next.text",
        "next.html",
        "next.labelText",
        "next.attributes",
        "items[].number",
        "items[].href",
        "items[].current",
        "items[].ellipsis",
        "items[].visuallyHiddenText",
        "items[].attributes",
        "landmarkLabel",
        *ATTRIBUTES,
    ),
    "panel": include(
        "panel",
        "titleText",
        "titleHtml",
        "headingLevel",
        "text",
        "html",
        "actions.items[].text",
        "actions.items[].href",
        "actions.items[].type",
        "actions.items[].classes",
        "actions.items[].attributes",
        "actions.classes",
        "actions.attributes",
        *ATTRIBUTES,
    ),
    "phase-banner": include(
        "phase_banner", "text", "html", "tag.text", "tag.html", "tag.classes", *ATTRIBUTES
    ),
    "radios": include("radios", *CHOICES),
    "service-navigation": include(
        "service_navigation",
        "serviceName",
        "serviceUrl",
        "navigation[].href",
        "navigation[].text",
        "navigation[].html",
        "navigation[].current",
        "navigation[].active",
        "navigation[].attributes",
        "navigationId",
        "navigationLabel",
        "navigationClasses",
        "menuButtonText",
        "menuButtonLabel",
        "ariaLabel",
        "collapseNavigationOnMobile",
        "slots",
        *ATTRIBUTES,
    ),
    "skip-link": include("skip_link", "text", "html", "href", *ATTRIBUTES),
    "summary-list": include(
        "summary_list",
        "rows[].key.text",
        "rows[].key.html",
        "rows[].key.classes",
        "rows[].value.text",
        "rows[].value.html",
        "rows[].value.classes",
        "rows[].classes",
        "rows[].actions.items[].href",
        "rows[].actions.items[].text",
        "rows[].actions.items[].html",
        "rows[].actions.items[].visuallyHiddenText",
        "rows[].actions.items[].classes",
        "rows[].actions.items[].attributes",
        "rows[].actions.classes",
        "card.title.text",
        "card.title.html",
        "card.title.classes",
        "card.title.headingLevel",
        "card.actions.items[].href",
        "card.actions.items[].text",
        "card.actions.items[].html",
        "card.actions.items[].visuallyHiddenText",
        "card.actions.items[].classes",
        "card.actions.items[].attributes",
        "card.actions.classes",
        "card.classes",
        "card.attributes",
        *ATTRIBUTES,
    ),
    "tag": include("tag", "text", "html", *ATTRIBUTES),
    "task-list": include(
        "task_list",
        "items[].title.text",
        "items[].title.html",
        "items[].title.classes",
        "items[].href",
        "items[].hint.text",
        "items[].hint.html",
        "items[].status.tag",
        "items[].status.text",
        "items[].status.html",
        "items[].status.classes",
        "items[].classes",
        "idPrefix",
        *ATTRIBUTES,
    ),
    "warning-text": include("warning_text", "text", "html", "iconFallbackText", *ATTRIBUTES),
}


def option_paths(value, prefix=""):
    """Every option a fixture sets, as paths: {"items": [{"href": "/"}]} -> {"items[].href"}."""
    if isinstance(value, dict) and value:
        paths = set()
        for key, item in value.items():
            paths |= option_paths(item, f"{prefix}.{key}" if prefix else key)
        return paths
    if isinstance(value, list) and value:
        paths = set()
        for item in value:
            paths |= option_paths(item, f"{prefix}[]")
        return paths
    return {prefix} if prefix else set()


def snake_case(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def safe_html(value, key="", within_slots=False):
    """Options given as HTML (html, summaryHtml, slots, ...) are safe, as in Nunjucks; text stays
    text."""
    within_slots = within_slots or key == "slots"
    if isinstance(value, dict):
        return {k: safe_html(v, k, within_slots) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_html(item, key, within_slots) for item in value]
    if isinstance(value, str) and (within_slots or key == "html" or key.endswith("Html")):
        return mark_safe(value)
    return value


@dataclass(frozen=True)
class Fixture:
    component: str
    name: str
    options: dict
    html: str

    @property
    def id(self):
        return f"{self.component}: {self.name}"


def load(component):
    path = COMPONENTS / component / "fixtures.json"
    data = json.loads(path.read_text())
    return [Fixture(component, f["name"], f["options"], f["html"]) for f in data["fixtures"]]


def missing_message():
    return (
        f"GOV.UK Frontend's fixtures are not in {COMPONENTS}: "
        "run `make assets` (make test does it first)."
    )


def split(component):
    """The fixtures the include supports, and those it leaves out."""
    spec = INCLUDES[component]
    supported, left_out = [], []
    for fixture in load(component):
        paths = option_paths(fixture.options)
        (supported if all(spec.supports(p) for p in paths) else left_out).append(fixture)
    return supported, left_out


def table():
    """Per include: (supported, total) fixtures."""
    counts = {}
    for component in INCLUDES:
        supported, left_out = split(component)
        counts[component] = (len(supported), len(supported) + len(left_out))
    return counts


def render(fixture):
    context = {snake_case(k): safe_html(v, k) for k, v in fixture.options.items()}
    return render_to_string(INCLUDES[fixture.component].template, context)


# Normalising HTML: the same markup however it is spaced, and in whatever order its attributes
# and classes come.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        normal = []
        for name, value in attrs:
            value = "" if value is None else value
            if name == "class":
                value = " ".join(sorted(value.split()))
            normal.append((name, value))
        rendered = "".join(f' {name}="{value}"' for name, value in sorted(normal))
        self.tokens.append(f"<{tag}{rendered}>")

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.tokens.append(f"</{tag}>")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.tokens.append(text)


def normalise(html):
    """The markup as one token a line: tags with sorted attributes and classes, then text."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens
