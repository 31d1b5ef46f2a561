"""Every kind of public page is valid HTML, as the Nu HTML Checker (vnu) judges it.

The pages are rendered from the shipped content with the test client, written to files and
checked in one run of the checker, which is slow to start. `make test` installs the checker
(the vnu-jar npm package) into .build/vnu; it needs Java. Without them the test is skipped,
except in CI, where it fails.
"""

import json
import os
import shutil
import subprocess
from io import StringIO
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from casestudies.models import CaseStudy
from enquiries.forms import EnquiryForm
from guides.models import Resource, Stage, Topic
from portal.models import Page
from portal.views import server_error
from tests.guides import test_readiness as readiness

VNU_JAR = settings.BASE_DIR / ".build" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist"
VNU_JAR = VNU_JAR / "vnu.jar"
JAVA = shutil.which("java")

if os.environ.get("CI"):
    assert JAVA, "CI must install Java (.ci/run)"
    assert VNU_JAR.exists(), "CI must install the HTML checker (make test does)"
needs_checker = pytest.mark.skipif(
    not (JAVA and VNU_JAR.exists()),
    reason="needs Java and the HTML checker in .build/vnu (make test installs it)",
)


def contact_answers():
    """A complete set of answers to the contact form, from the choices it offers."""
    form = EnquiryForm()

    def first(name):
        return next(value for value, _label in form.fields[name].choices if value)

    return {
        "name": "Sam Jones",
        "email": "sam@council.example.org",
        "phone": "01632 960 001",
        "contact_method": first("contact_method"),
        "organisation": "Anytown Borough Council",
        "organisation_type": first("organisation_type"),
        "role": first("role"),
        "service_area": first("service_area"),
        "stage": first("stage"),
        "topics": [first("topics")],
        "message": "We want to run our day care service as a co-operative.",
        "privacy": "on",
        "website": "",
    }


def public_pages(client, django_user_model, settings):
    """(name, response) for every kind of public page, in the states a visitor can see."""
    stage = Stage.objects.published().in_order().first()
    topic = Topic.objects.order_by("name").first()
    resource = (
        Resource.objects.published().filter(publisher__isnull=False).order_by("title").first()
    )
    case_study = CaseStudy.objects.published().order_by("title").first()
    resources = reverse("guides:resource-list")
    filters = {
        "topic": topic.slug,
        "stage": stage.slug,
        "type": resource.resource_type,
        "publisher": resource.publisher.slug,
        "sort": "title",
    }

    def get(url, **params):
        return client.get(url, params)

    yield "home", get("/")
    contact = reverse("enquiries:contact")
    for page in Page.objects.published().standalone().exclude(slug=Page.HOME_SLUG):
        if page.get_absolute_url() != contact:  # the contact form has that address
            yield f"page {page.slug}", get(page.get_absolute_url())
    yield "support", get(reverse("enquiries:support"))
    yield "guide overview", get(reverse("guides:overview"))
    yield "stage", get(stage.get_absolute_url())
    yield "printable guide", get(reverse("guides:print"))
    yield "readiness start", get(reverse("guides:readiness-start"))
    first_question = reverse("guides:readiness-question", args=["staff"])
    yield "readiness question", get(first_question)
    yield "readiness question with errors", client.post(first_question, {})
    readiness.answer_all(client)
    yield "readiness check answers", get(reverse("guides:readiness-check"))
    client.post(reverse("guides:readiness-check"))
    yield "readiness result", get(reverse("guides:readiness-result"))
    yield "resource list", get(resources)
    yield "resource list filtered", get(resources, **filters)
    yield "resource search", get(resources, q="co-operative")
    yield "resource search with no results", get(resources, q="zzxqvw")
    yield "resource list with a filter ignored", get(resources, topic="no-such-topic")
    yield "topic", get(reverse("guides:topic-detail", args=[topic.slug]))
    yield "resource", get(resource.get_absolute_url())
    yield "case study list", get(reverse("casestudies:case-study-list"))
    yield "case study list filtered", get(reverse("casestudies:case-study-list"), stage=stage.slug)
    yield "case study", get(case_study.get_absolute_url())
    yield "mutuals directory", get(reverse("casestudies:mutual-list"))
    yield "mutuals directory sorted", get(reverse("casestudies:mutual-list"), sort="-year")
    yield (
        "mutuals directory with a filter ignored",
        get(reverse("casestudies:mutual-list"), region="atlantis"),
    )
    yield "latest changes", get(reverse("portal:latest-changes"))
    yield "contact form", get(contact)
    yield "contact form with errors", client.post(contact, {"contact_method": "phone"})
    client.post(contact, contact_answers())
    check = client.get(reverse("enquiries:check"))
    yield "check answers", check
    settings.ENQUIRY_RATE_LIMIT = "1/h"  # so the next one is one too many
    client.post(reverse("enquiries:check"), {"token": check.context["token"]})
    yield "confirmation", get(reverse("enquiries:confirmation"))
    client.post(contact, contact_answers())
    token = client.get(reverse("enquiries:check")).context["token"]
    yield "too many enquiries", client.post(reverse("enquiries:check"), {"token": token})
    yield "not found", get("/no-such-page/")
    yield "too many requests (nginx's page)", get(reverse("too-many-requests"))
    bad_cookie = Client()
    bad_cookie.cookies["sessionid"] = "\x00" * 32
    yield "bad request", bad_cookie.get("/")
    yield "server error", server_error(RequestFactory().get("/"))
    csrf_checked = Client(enforce_csrf_checks=True)
    yield "form sent without its token", csrf_checked.post(contact, contact_answers())
    django_user_model.objects.create_user(username="editor", password="right", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})
    yield "sign-in locked", locked


EXPECTED_STATUS = {
    "contact form with errors": 200,
    "not found": 404,
    "bad request": 400,
    "server error": 500,
    "form sent without its token": 403,
    "sign-in locked": 429,
    "too many enquiries": 429,
}


@pytest.fixture
def empty_cache():
    """No counts of enquiries sent left by other tests: the rate limit is kept in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.system
@needs_checker
def test_every_kind_of_public_page_is_valid_html(
    db, tmp_path, django_user_model, settings, empty_cache
):
    call_command("load_content", stdout=StringIO())
    client = Client()
    files = {}
    for number, (name, response) in enumerate(public_pages(client, django_user_model, settings)):
        assert response.status_code == EXPECTED_STATUS.get(name, 200), name
        path = tmp_path / f"{number:02d}.html"
        path.write_bytes(response.content)
        files[path.name] = name

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect", "--format", "json"]
        + sorted(str(tmp_path / file) for file in files),
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]  # the checker reports on stderr

    errors = [
        f"{files[unquote(urlsplit(m['url']).path).rsplit('/', 1)[-1]]}, line "
        f"{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
    ]
    assert not errors, "HTML errors:\n" + "\n".join(errors)
    assert result.returncode == 0


def test_the_phone_field_is_a_telephone_input_with_one_type(client, db):
    html = client.get(reverse("enquiries:contact")).content.decode()

    assert '<input type="tel" name="phone"' in html
    assert 'type="text" name="phone"' not in html
