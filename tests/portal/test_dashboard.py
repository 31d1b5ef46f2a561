"""The Mutuals Team dashboard on the admin's front page: counts, who sees them, their links."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.kept_counts import enquiries_changed
from enquiries.models import EmailDelivery, Enquiry
from guides.models import Resource
from portal.core.publishing import Status
from portal.dashboard import sections
from portal.feedback.models import PageFeedback
from portal.models import Page
from portal.site_search.models import SearchCount, SearchTerm

DAY = timedelta(days=1)


def _pages(prefix, n, **fields):
    Page.objects.bulk_create(
        Page(title=f"{prefix} {i}", slug=f"{prefix}-{i}", summary="A summary.", body="Text.",
             status=Status.PUBLISHED, **fields)
        for i in range(n)
    )  # fmt: skip


def _enquiries(prefix, n, destination, due_on, **fields):
    """n enquiries; references are at most 20 characters."""
    Enquiry.objects.bulk_create(
        Enquiry(reference=f"MIS-{prefix}-{i:05d}", due_on=due_on, name="Sam Jones",
                email="sam@council.example.org", contact_method="email",
                organisation="Anytown Borough Council", organisation_type="local-authority",
                role="manager", service_area="adult-social-care", message="A question.",
                destination=destination, **fields)
        for i in range(n)
    )  # fmt: skip
    return list(Enquiry.objects.filter(reference__startswith=f"MIS-{prefix}-"))


def _emails(enquiries, **fields):
    EmailDelivery.objects.bulk_create(
        EmailDelivery(enquiry=enquiry, kind=EmailDelivery.Kind.NOTIFICATION,
                      recipients=["x@example.org"], **fields)
        for enquiry in enquiries
    )  # fmt: skip


@pytest.fixture
def people(make_staff, make_partner, make_handler):
    ours, theirs = make_partner("Ours", slug="ours"), make_partner("Theirs", slug="theirs")
    return {
        "superuser": get_user_model().objects.create_superuser("boss", password="x" * 20),
        "editor": make_staff("Content editors", username="editor"),
        "handler": make_handler(ours),
        "ours": ours,
        "theirs": theirs,
    }


def build(n, people):
    """n of each thing the dashboard counts, and n of each thing it must leave out."""
    today, now = timezone.localdate(), timezone.now()
    ours, theirs, editor = people["ours"], people["theirs"], people["editor"]
    # Enquiries: overdue at each partner, due today, not due, and overdue but closed.
    _enquiries("lo", n, ours, today - DAY)
    _enquiries("lt", n, theirs, today - DAY)
    _enquiries("td", n, ours, today)
    _enquiries("lr", n, ours, today + 30 * DAY)
    _enquiries("cl", n, ours, today - DAY, status=Enquiry.Status.CLOSED)
    email_ours = _enquiries("eo", 2 * n, ours, today + 30 * DAY)
    email_theirs = _enquiries("et", n, theirs, today + 30 * DAY)
    _emails(email_ours[:n], status=EmailDelivery.Status.FAILED, next_attempt_at=None)
    _emails(email_ours[n:], status=EmailDelivery.Status.PENDING, next_attempt_at=now - DAY)
    _emails(email_theirs, status=EmailDelivery.Status.FAILED, next_attempt_at=None)
    # Pages: overdue and the editor's, overdue and nobody's, and not due.
    reviewed = today - 400 * DAY
    _pages("mine", n, owner_user=editor, last_reviewed=reviewed, review_by=today - DAY)
    _pages("others", n, last_reviewed=reviewed, review_by=today - DAY)
    _pages("current", n, last_reviewed=today, review_by=today + 300 * DAY)
    # Scheduled: in the next 7 days, and later.
    future = {"last_reviewed": today, "review_by": today + 300 * DAY}
    Page.objects.bulk_create(
        Page(title=f"Draft {i}", slug=f"draft-{i}", summary="S.", body="T.", status=Status.DRAFT,
             publish_at=now + 3 * DAY if i < n else now + 10 * DAY, **future)
        for i in range(2 * n)
    )  # fmt: skip
    Page.objects.bulk_create(
        Page(title=f"Ending {i}", slug=f"ending-{i}", summary="S.", body="T.",
             status=Status.PUBLISHED, unpublish_at=now + 2 * DAY, **future)
        for i in range(n)
    )  # fmt: skip
    # Resources: broken links, and working ones.
    Resource.objects.bulk_create(
        Resource(title=f"Resource {i}", slug=f"resource-{i}", summary="S.", body="",
                 resource_type=Resource.Type.GUIDE, status=Status.PUBLISHED,
                 external_url="https://example.org/", link_checked_at=now,
                 link_status=404 if i < n else 200, **future)
        for i in range(2 * n)
    )  # fmt: skip
    # Visitors' answers: this week, and older.
    PageFeedback.objects.bulk_create(PageFeedback(path="/", answer="yes") for _i in range(2 * n))
    old = PageFeedback.objects.order_by("pk").values_list("pk", flat=True)[:n]
    PageFeedback.objects.filter(pk__in=list(old)).update(created=now - 8 * DAY)
    # Searches: new this week and found nothing; and, left out, new but dealt with, new and
    # found something, first made before this week, and found nothing only before this week.
    _searches("new", n, first_searched=today, results=0)
    _searches("done", n, first_searched=today, results=0, dealt_with=True, answered_by="/")
    _searches("found", n, first_searched=today, results=3)
    _searches("older", n, first_searched=today - 7 * DAY, results=0)
    for term in _searches("earlier", n, first_searched=today - 3 * DAY, results=2):
        SearchCount.objects.filter(term=term).update(day=today - 8 * DAY, results=0)


def _searches(prefix, n, first_searched, results, **fields):
    """n searched terms, each with one count on the day it was first searched."""
    SearchTerm.objects.bulk_create(
        SearchTerm(words=f"{prefix} {i}", first_searched=first_searched, **fields) for i in range(n)
    )
    terms = list(SearchTerm.objects.filter(words__startswith=f"{prefix} "))
    SearchCount.objects.bulk_create(
        SearchCount(term=term, day=first_searched, searches=2, results=results) for term in terms
    )
    return terms


def request_for(user):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    return request


def counts(user):
    """{section title: {link text: url}} as the user's dashboard shows it."""
    return {
        section.title: {panel.text: panel.url for panel in section.panels}
        for section in sections(request_for(user))
    }


def texts(user):
    return {title: sorted(panels) for title, panels in counts(user).items()}


EMPTY_MINE = "Your content past its review date"


def readiness_title():
    """The readiness check's section, this month (its counts are tested in
    tests/guides/test_readiness_admin.py)."""
    return f"Readiness check results in {timezone.localdate():%B %Y}"


def test_a_superuser_sees_every_count(people):
    build(2, people)
    assert texts(people["superuser"]) == {
        "Enquiries": [
            "2 enquiries due in the next 2 working days",
            "2 enquiries with a stuck email",
            "4 enquiries overdue",
            "4 enquiries with an email that was given up on",
        ],
        EMPTY_MINE: [],
        "All content past its review date that you can edit": ["4 pages"],
        "Link checks": ["2 resources with a broken link"],
        "Scheduled for the next 7 days": ["2 pages to be published", "2 pages to be unpublished"],
        "Is this page useful?": ["2 answers in the last 7 days"],
        readiness_title(): [],
        "What people searched for": ["2 new searches that found nothing this week"],
    }


def test_a_content_editor_sees_content_and_no_enquiries(people):
    build(1, people)
    assert texts(people["editor"]) == {
        EMPTY_MINE: ["1 page"],
        "All content past its review date that you can edit": ["2 pages"],
        "Link checks": ["1 resource with a broken link"],
        "Scheduled for the next 7 days": ["1 page to be published", "1 page to be unpublished"],
        "Is this page useful?": ["1 answer in the last 7 days"],
        readiness_title(): [],
        "What people searched for": ["1 new search that found nothing this week"],
    }


def test_a_partner_handler_sees_only_their_partners_enquiries(people):
    build(2, people)
    assert texts(people["handler"]) == {
        "Enquiries": [
            "2 enquiries due in the next 2 working days",
            "2 enquiries overdue",
            "2 enquiries with a stuck email",
            "2 enquiries with an email that was given up on",
        ],
    }


def test_a_handler_who_also_edits_content_sees_both(people):
    from django.contrib.auth.models import Group

    build(1, people)
    people["handler"].groups.add(Group.objects.get(name="Content editors"))
    handler = get_user_model().objects.get(pk=people["handler"].pk)
    assert set(counts(handler)) == {
        "Enquiries",
        EMPTY_MINE,
        "All content past its review date that you can edit",
        "Link checks",
        "Scheduled for the next 7 days",
        "Is this page useful?",
        readiness_title(),
        "What people searched for",
    }


def test_content_owned_by_a_team_counts_as_the_members_own(people):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name="Content editors")
    _pages("team", 3, owner_team=team, last_reviewed=timezone.localdate() - 400 * DAY,
           review_by=timezone.localdate() - DAY)  # fmt: skip
    assert texts(people["editor"])[EMPTY_MINE] == ["3 pages"]
    assert texts(people["superuser"])[EMPTY_MINE] == []


def test_nothing_to_do_says_so(client, people):
    client.force_login(people["editor"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "Nothing you or your teams own is past its review date." in page
    assert "Nothing you can edit is past its review date." in page
    assert "Nothing is scheduled to be published or unpublished in the next 7 days." in page
    dashboard = page.split('id="team-dashboard-heading"')[1].split('id="content-main"')[0]
    assert "enquir" not in dashboard.lower()


@pytest.mark.parametrize("role", ["superuser", "editor", "handler"])
def test_each_link_opens_a_list_of_exactly_that_many_rows(client, people, role):
    build(2, people)
    client.force_login(people[role])
    links = [
        (text, url) for panels in counts(people[role]).values() for text, url in panels.items()
    ]
    assert links
    for text, url in links:
        response = client.get(url)
        assert response.status_code == 200, (text, url)
        changelist = response.context["cl"]
        assert changelist.result_count == int(text.split()[0]), (text, url)
        # The list is filtered, not the whole table (which the enquiry list does not count).
        whole = changelist.root_queryset.count()
        assert changelist.result_count < whole, (text, url)


def test_the_front_page_shows_the_counts_as_links(client, people):
    build(1, people)
    client.force_login(people["handler"])
    page = client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:enquiries_enquiry_changelist")
    assert f'<a href="{url}?overdue=yes">1 enquiry overdue</a>' in page
    assert page.index("What needs doing") < page.index('id="content-main"')


# Queries: the same number however much there is. A superuser needs no permission queries; the
# others load their permissions (2), and a handler their partner (1). The readiness check's
# counts and the searches that found nothing take one more each for those who may see them.
# The enquiry counts take two (the counts, and when the next email waiting would be stuck) when
# they are worked out, and none once they are kept (enquiries/kept_counts.py).
QUERIES = {"superuser": 12, "editor": 11, "handler": 5}
WITH_COUNTS_KEPT = {"superuser": 10, "editor": 11, "handler": 3}


@pytest.mark.parametrize("n", [1, 1000])
@pytest.mark.parametrize("role", ["superuser", "editor", "handler"])
def test_queries_do_not_grow_with_the_data(people, role, n):
    build(n, people)
    enquiries_changed()  # bulk_create sends no signals

    def queries():
        user = get_user_model().objects.get(pk=people[role].pk)
        with CaptureQueriesContext(connection) as queries:
            found = sections(request_for(user))
        assert found
        return [q["sql"] for q in queries]

    worked_out = queries()
    kept = queries()

    assert len(worked_out) == QUERIES[role], worked_out
    assert len(kept) == WITH_COUNTS_KEPT[role], kept
