"""Rows and files for tests, each with sensible defaults: pass only what a test is about.

Plain functions, one per model, used through the fixtures of the same name in
tests/conftest.py (which also give them a database) or called directly. Numbers and slugs
count up from what is already stored, so two calls never clash.
"""

import datetime
import io
import re
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy, Mutual, ServiceArea
from enquiries.models import Enquiry, Partner, PartnerMembership, RoutingRule
from guides.models import Publisher, Resource, Stage, Task, Topic
from portal.core.publishing import Status
from portal.models import Page

REVIEWED = datetime.date(2026, 11, 23)
PASSWORD = "correct horse battery staple"

# Site pages and staff -------------------------------------------------------------------------


def make_page(**fields):
    """A published Page."""
    count = Page.objects.count() + 1
    defaults = {
        "title": f"Test page {count}",
        "slug": f"test-page-{count}",
        "summary": "A short summary.",
        "body": "## A section\n\nSome text.",
        "status": Status.PUBLISHED,
        "last_reviewed": REVIEWED,
    }
    return Page.objects.create(**{**defaults, **fields})


def make_staff(*group_names, username="staff", password=PASSWORD):
    """A staff account in the named groups (the groups exist after migrate)."""
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


# The guide and the library --------------------------------------------------------------------


def make_stage(**fields):
    """A published Stage; numbers count up from 1."""
    number = fields.pop("number", None) or Stage.objects.count() + 1
    defaults = {
        "number": number,
        "title": f"Stage title {number}",
        "slug": f"stage-{number}",
        "summary": f"What stage {number} is about.",
        "body": "## What to think about\n\nSome questions to ask.",
        "end_result": "- a decision",
        "status": Status.PUBLISHED,
        "last_reviewed": REVIEWED,
    }
    return Stage.objects.create(**{**defaults, **fields})


def make_task(stage=None, **fields):
    """A published Task, in a new stage unless one is given."""
    stage = stage or make_stage()
    count = Task.objects.count() + 1
    defaults = {
        "title": f"Do task {count}",
        "slug": f"task-{count}",
        "body": "How to do the task.",
        "position": count * 10,
        "status": Status.PUBLISHED,
    }
    return Task.objects.create(stage=stage, **{**defaults, **fields})


def make_topic(name=None, **fields):
    """A Topic named as given (slug from the name unless given)."""
    name = name or f"Topic {Topic.objects.count() + 1}"
    defaults = {"slug": slugify(name), "description": f"Documents about {name.lower()}."}
    return Topic.objects.create(name=name, **{**defaults, **fields})


def make_publisher(name="Cabinet Office"):
    """The Publisher of that name, made if it is not there yet."""
    return Publisher.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def make_resource(topics=(), stages=(), **fields):
    """A published Resource; pass topics= and stages= as lists to tag it."""
    count = Resource.objects.count() + 1
    defaults = {
        "title": f"Resource {count}",
        "slug": f"resource-{count}",
        "summary": f"What resource {count} is for.",
        "body": "",
        "resource_type": Resource.Type.GUIDE,
        "status": Status.PUBLISHED,
        "last_reviewed": REVIEWED,
    }
    resource = Resource.objects.create(**{**defaults, **fields})
    resource.topics.set(topics)
    resource.stages.set(stages)
    return resource


# Mutuals and case studies ---------------------------------------------------------------------


def make_service_area(name="Health", **fields):
    """The ServiceArea of that name, made if it is not there yet."""
    defaults = {"slug": slugify(name), "position": ServiceArea.objects.count() * 10}
    return ServiceArea.objects.get_or_create(name=name, defaults={**defaults, **fields})[0]


def make_mutual(**fields):
    """A published Mutual with only its name known unless more is given."""
    count = Mutual.objects.count() + 1
    name = fields.pop("name", f"Mutual {count:03}")
    defaults = {"slug": slugify(name), "status": Status.PUBLISHED, "last_reviewed": REVIEWED}
    return Mutual.objects.create(name=name, **{**defaults, **fields})


def make_case_study(mutual=None, stages=(), topics=(), **fields):
    """A published CaseStudy about a new mutual unless one is given."""
    mutual = mutual or make_mutual()
    count = CaseStudy.objects.count() + 1
    defaults = {
        "title": f"Case study {count:03}",
        "slug": f"case-study-{count:03}",
        "summary": f"What happened in case {count}.",
        "service_before": "The council ran it.",
        "lessons": "## Start early\n\nTalk to staff first.",
        "status": Status.PUBLISHED,
        "last_reviewed": REVIEWED,
    }
    case_study = CaseStudy.objects.create(mutual=mutual, **{**defaults, **fields})
    case_study.stages.set(stages)
    case_study.topics.set(topics)
    return case_study


# Partners, routing and enquiries --------------------------------------------------------------


def make_partner(name=None, **fields):
    """A Partner; every field has a default."""
    count = Partner.objects.count() + 1
    name = name or f"Partner {count}"
    slug = fields.pop("slug", None) or f"partner-{count}"
    defaults = {
        "slug": slug,
        "description": f"What {name} does.",
        "helps_with": f"Things {name} knows about",
        "notification_emails": f"enquiries@{slug}.example.org",
    }
    stages = fields.pop("stages", ())
    partner = Partner.objects.create(name=name, **{**defaults, **fields})
    partner.stages.set(stages)
    return partner


def make_rule(destination, topics=(), stages=(), **fields):
    """A RoutingRule sending enquiries to `destination`."""
    defaults = {"name": f"Rule {RoutingRule.objects.count() + 1}", "priority": 100}
    rule = RoutingRule.objects.create(destination=destination, **{**defaults, **fields})
    rule.topics.set(topics)
    rule.stages.set(stages)
    return rule


def make_enquiry(destination, **fields):
    """An Enquiry saved straight to the database, as the contact form would have."""
    number = Enquiry.objects.count() + 1
    defaults = {
        "reference": f"MIS-2026-{number:05d}",
        "due_on": timezone.localdate() + datetime.timedelta(days=7),
        "name": "Sam Jones",
        "email": "sam@council.example.org",
        "contact_method": "email",
        "organisation": "Anytown Borough Council",
        "organisation_type": "local-authority",
        "role": "manager",
        "service_area": "adult-social-care",
        "message": "We want to run our day care service as a co-operative.",
        "destination": destination,
        "rule_name": "Rule 'Co-operatives' matched.",
    }
    return Enquiry.objects.create(**{**defaults, **fields})


def make_handler(partner, username=None, group="Enquiry handlers"):
    """A member of Enquiry handlers (or the group named), linked to `partner`."""
    user = make_staff(group, username=username or f"handler-{partner.slug}")
    PartnerMembership.objects.create(user=user, partner=partner)
    return user


def submit_enquiry(client, data):
    """Send an enquiry as a visitor does: answer the questions, then send from the check page.

    Returns the response to sending and the check page's token.
    """
    response = client.post(reverse("enquiries:contact"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(reverse("enquiries:check"))
    token = re.search(r'name="token" value="([^"]+)"', check.content.decode()).group(1)
    return client.post(reverse("enquiries:check"), {"token": token}), token


# Files to upload: the smallest of each kind that the upload checks accept ---------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def zipped(*entries):
    """A ZIP holding the named entries in order; 'mimetype' is stored, as ODF requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def office_open_xml(part):
    return zipped(
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", "<Relationships/>"),
        (part, "<document/>"),
    )


def open_document(mimetype):
    return zipped(("mimetype", mimetype), ("content.xml", "<office:document-content/>"))


DOCX = office_open_xml("word/document.xml")
XLSX = office_open_xml("xl/workbook.xml")
ODT = open_document("application/vnd.oasis.opendocument.text")
ODS = open_document("application/vnd.oasis.opendocument.spreadsheet")
PLAIN_ZIP = zipped(("notes.txt", "hello"))
