"""'Is this page useful?': answers from the foot of every public page, with no personal data."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from guides.models import Resource, Stage, Topic
from portal.core.publishing import Status
from portal.feedback.models import Answer, PageFeedback
from portal.feedback.scrub import remove_personal_data
from portal.models import Page
from tests.scheduling import run_scheduled

SEND = reverse("feedback:send")
THANK_YOU = reverse("feedback:thank-you")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with no answers counted against the client's address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def privacy(make_page):
    return make_page(title="Privacy notice", slug="privacy")


@pytest.fixture
def visitor():
    """A browser posting from the site's own pages, as browsers say with Sec-Fetch-Site."""
    return Client(enforce_csrf_checks=True, headers={"sec-fetch-site": "same-origin"})


def answer(client, path, value, **texts):
    return client.post(SEND, {"path": path, "answer": value, "website": "", **texts})


def text_of(response):
    return " ".join(response.content.decode().split())


# The component on the page


def test_a_public_page_ends_with_the_question_and_its_three_ways_to_answer(client, privacy):
    html = client.get("/privacy/").content.decode()

    component = html[html.index('class="govuk-feedback') : html.index("</main>")]
    assert "Is this page useful?" in component
    assert f'<form class="app-page-feedback__prompt" method="post" action="{SEND}"' in component
    assert '<input type="hidden" name="path" value="/privacy/">' in component
    assert re.search(r'name="answer" value="yes"[^>]*>\s*Yes', component)
    assert re.search(r'name="answer" value="no" formmethod="get"[^>]*>\s*No', component)
    assert f'href="{SEND}?path=%2Fprivacy%2F&amp;answer=problem">Report a problem' in component


def test_the_page_and_its_feedback_form_carry_no_csrf_token_so_it_is_cached_for_everyone(
    page_cache, privacy
):
    first = Client().get("/privacy/")
    second = Client().get("/privacy/")

    assert "Is this page useful?" in first.content.decode()
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert second["ETag"] == first["ETag"]


def test_the_question_is_not_asked_on_pages_about_feedback_or_errors(client, privacy):
    form = client.get(SEND, {"path": "/privacy/", "answer": "problem"})
    thanks = client.get(THANK_YOU, {"path": "/privacy/"})
    not_found = client.get("/no-such-page/")

    assert form.status_code == 200
    assert not_found.status_code == 404
    for response in (form, thanks, not_found):
        assert "Is this page useful?" not in response.content.decode()


def test_the_question_is_not_asked_in_the_admin_preview(editor_client, privacy):
    response = editor_client.get(reverse("admin:portal_page_preview", args=[privacy.pk]))

    assert response.status_code == 200
    assert "Is this page useful?" not in response.content.decode()


# Answering without JavaScript


def test_yes_is_saved_at_once_and_thanked(visitor, privacy):
    response = answer(visitor, "/privacy/", "yes")

    assert response.status_code == 302
    assert response["Location"] == f"{THANK_YOU}?path=%2Fprivacy%2F"
    feedback = PageFeedback.objects.get()
    assert (feedback.path, feedback.answer, feedback.item) == ("/privacy/", Answer.YES, privacy)
    thanks = visitor.get(response["Location"])
    assert "Thank you for your feedback" in thanks.content.decode()
    assert 'href="/privacy/">Go back to the page you were on' in thanks.content.decode()


def test_text_sent_with_yes_is_not_kept(visitor, privacy):
    answer(visitor, "/privacy/", "yes", doing="Reading", went_wrong="Nothing")

    assert PageFeedback.objects.values_list("doing", "went_wrong").get() == ("", "")


def test_no_opens_the_short_form_on_its_own_page(client, privacy):
    # The "No" button sends the prompt's form by GET, as a browser without JavaScript does.
    response = client.get(SEND, {"path": "/privacy/", "website": "", "answer": "no"})

    html = text_of(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Tell us why this page was not useful</h1>' in html
    assert "What were you doing? (optional)" in html
    assert "What went wrong? (optional)" in html
    assert "Do not include personal information" in html
    assert '<input type="hidden" name="answer" value="no">' in html
    assert "csrfmiddlewaretoken" not in html
    assert not PageFeedback.objects.exists()


def test_no_counts_when_sent_even_without_an_explanation(visitor, privacy):
    response = answer(visitor, "/privacy/", "no", doing="", went_wrong="")

    assert response.status_code == 302
    assert PageFeedback.objects.values_list("answer", flat=True).get() == Answer.NO


def test_no_keeps_what_the_visitor_wrote(visitor, privacy):
    answer(visitor, "/privacy/", "no", doing="Looking for retention periods", went_wrong="Vague")

    feedback = PageFeedback.objects.get()
    assert (feedback.doing, feedback.went_wrong) == ("Looking for retention periods", "Vague")


def test_report_a_problem_opens_the_form_and_saves_the_report(client, visitor, privacy):
    form = client.get(SEND, {"path": "/privacy/", "answer": "problem"})
    response = answer(visitor, "/privacy/", "problem", doing="Reading", went_wrong="A dead link")

    assert '<h1 class="govuk-heading-l">Report a problem with this page</h1>' in text_of(form)
    assert response.status_code == 302
    feedback = PageFeedback.objects.get()
    assert (feedback.answer, feedback.went_wrong) == (Answer.PROBLEM, "A dead link")


def test_an_empty_problem_report_is_refused_with_an_error_summary(visitor, privacy):
    response = answer(visitor, "/privacy/", "problem", doing="Reading the notice", went_wrong=" ")

    html = text_of(response)
    assert response.status_code == 200
    assert "<title>Error: Report a problem with this page" in html
    assert "There is a problem" in html
    assert '<a href="#id_went_wrong">Enter what went wrong</a>' in html
    assert "Reading the notice</textarea>" in html  # nothing typed is lost
    assert not PageFeedback.objects.exists()


def test_a_text_too_long_is_refused_and_kept(visitor, privacy, settings):
    settings.PAGE_FEEDBACK_MAX_CHARACTERS = 20
    long_text = "The table of periods is missing"

    response = answer(visitor, "/privacy/", "no", doing="Reading", went_wrong=long_text)

    html = text_of(response)
    assert response.status_code == 200
    assert "What went wrong must be 20 characters or fewer" in html
    assert f"{long_text}</textarea>" in html
    assert "Reading</textarea>" in html
    assert not PageFeedback.objects.exists()


def test_a_nul_character_in_the_text_is_a_form_error_not_a_server_error(visitor, privacy):
    response = answer(visitor, "/privacy/", "problem", went_wrong="bad\x00text")

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not PageFeedback.objects.exists()


# Spam, floods and personal data


def test_a_filled_in_honeypot_is_thanked_but_nothing_is_kept(visitor, privacy):
    response = visitor.post(
        SEND,
        {"path": "/privacy/", "answer": "problem", "went_wrong": "Buy", "website": "x.example"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(THANK_YOU)
    assert not PageFeedback.objects.exists()


def test_too_many_answers_from_one_address_are_refused_and_the_text_kept(
    visitor, privacy, settings
):
    settings.PAGE_FEEDBACK_RATE_LIMIT = "2/h"
    answer(visitor, "/privacy/", "yes")
    answer(visitor, "/privacy/", "yes")

    yes = answer(visitor, "/privacy/", "yes")
    problem = answer(visitor, "/privacy/", "problem", went_wrong="The table is wrong")

    assert yes.status_code == 429
    assert "Sorry, you have sent too much feedback" in yes.content.decode()
    assert problem.status_code == 429
    assert "You have sent a lot of feedback in a short time" in text_of(problem)
    assert "The table is wrong</textarea>" in problem.content.decode()
    assert PageFeedback.objects.count() == 2


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Write to sam.jones@council.example.org please", "Write to [removed] please"),
        ("Mail SAM+news@example.co.uk.", "Mail [removed]."),
        ("Ring 07700 900123 today", "Ring [removed] today"),
        ("Ring +44 7700 900123", "Ring [removed]"),
        ("Office (020) 7946 0018", "Office [removed]"),
        ("Office +44 (0)161 496 0000", "Office [removed]"),
        ("Desk 0161-496-0000 or 01632 960 001", "Desk [removed] or [removed]"),
        (
            "In 2012 about 100 mutuals had 35,000 staff",
            "In 2012 about 100 mutuals had 35,000 staff",
        ),
        ("Stage 3 of 5, 24 months", "Stage 3 of 5, 24 months"),
    ],
)
def test_email_addresses_and_uk_phone_numbers_are_removed(typed, kept):
    assert remove_personal_data(typed) == kept


def test_contact_details_are_removed_before_saving(visitor, privacy):
    answer(
        visitor,
        "/privacy/",
        "problem",
        doing="I am sam@example.org",
        went_wrong="Call me on 07700 900 982 about it",
    )

    feedback = PageFeedback.objects.get()
    assert (feedback.doing, feedback.went_wrong) == (
        "I am [removed]",
        "Call me on [removed] about it",
    )


def test_the_form_asks_for_no_personal_data(client, privacy):
    html = text_of(client.get("/privacy/"))

    assert (
        "Do not include personal information, such as your name, email address or phone number."
        in html
    )


# Only this site's own pages, sent from this site


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/privacy/",
        "//evil.example/privacy/",
        "privacy/",
        "/no/such/address/",
        "/no-such-page/",
        "/privacy",
        "/privacy/?utm=1",
        "/privacy/\x00",
        "/\x00",
        "/" + "a" * 400 + "/",
        "/admin/",
        "/page-feedback/",
        "/sitemap.xml",
        "/healthz",
        "/resources/feed/",
        "/how-to-set-up-a-mutual/no-such-stage/",
        "",
    ],
)
def test_an_answer_about_anything_but_a_page_of_this_site_is_a_bad_request(visitor, privacy, path):
    posted = answer(visitor, path, "yes")
    form = visitor.get(SEND, {"path": path, "answer": "problem"})

    assert posted.status_code == 400
    assert "Sorry, we could not take your feedback" in posted.content.decode()
    assert form.status_code == 400
    assert not PageFeedback.objects.exists()


def test_an_answer_with_no_path_or_an_unknown_answer_is_a_bad_request(visitor, privacy):
    assert visitor.post(SEND, {"answer": "yes"}).status_code == 400
    assert answer(visitor, "/privacy/", "maybe").status_code == 400
    assert visitor.get(SEND, {"path": "/privacy/", "answer": "yes"}).status_code == 400
    assert not PageFeedback.objects.exists()


def test_a_draft_page_cannot_be_answered_about(visitor, make_page):
    make_page(slug="coming-soon", status=Status.DRAFT)

    assert answer(visitor, "/coming-soon/", "yes").status_code == 400


def test_the_thank_you_page_links_home_for_an_address_not_on_this_site(client):
    response = client.get(THANK_YOU, {"path": "//evil.example/"})

    assert response.status_code == 200
    assert 'href="/">Go back to the page you were on' in response.content.decode()
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
    ],
)
def test_only_answers_sent_from_this_sites_own_pages_are_taken(privacy, headers, allowed):
    client = Client(enforce_csrf_checks=True)

    response = client.post(SEND, {"path": "/privacy/", "answer": "yes"}, **headers)

    assert response.status_code == (302 if allowed else 403)
    assert PageFeedback.objects.exists() is allowed


# The content item each answer is about


def item_pages():
    stage = Stage.objects.published().get(slug="explore-the-idea")
    resource = Resource.objects.published().order_by("title").first()
    case_study = CaseStudy.objects.published().order_by("title").first()
    topic = Topic.objects.order_by("name").first()
    return [
        ("/", Page.objects.get(slug=Page.HOME_SLUG)),
        (reverse("guides:overview"), Page.objects.get(slug=Page.GUIDE_INTRO_SLUG)),
        ("/what-is-a-mutual/", Page.objects.get(slug="what-is-a-mutual")),
        (stage.get_absolute_url(), stage),
        (resource.get_absolute_url(), resource),
        (case_study.get_absolute_url(), case_study),
        (topic.get_absolute_url(), topic),
        (reverse("guides:resource-list"), None),
        (reverse("casestudies:mutual-list"), None),
        (reverse("enquiries:support"), None),
    ]


def test_each_answer_is_linked_to_the_item_its_page_shows(visitor, site_pages):
    pages = item_pages()

    for path, _item in pages:
        assert "Is this page useful?" in visitor.get(path).content.decode(), path
        assert answer(visitor, path, "yes").status_code == 302, path

    saved = {feedback.path: feedback.item for feedback in PageFeedback.objects.all()}
    assert saved == dict(pages)


def test_answers_are_found_by_their_item(visitor, site_pages):
    stage = Stage.objects.published().get(slug="explore-the-idea")
    answer(visitor, stage.get_absolute_url(), "yes")
    answer(visitor, "/what-is-a-mutual/", "no")

    assert [f.path for f in PageFeedback.objects.for_item(stage)] == [stage.get_absolute_url()]


# Keeping answers only as long as the privacy notice says


def answers_from(days_ago, count=1, value=Answer.YES, item=None):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    made = [
        PageFeedback.objects.create(path=f"/{days_ago}/", answer=value, item=item)
        for _ in range(count)
    ]
    PageFeedback.objects.filter(pk__in=[f.pk for f in made]).update(created=when)
    return made


@pytest.mark.django_db(transaction=True)
def test_the_retention_job_deletes_answers_past_the_period_only(settings):
    assert settings.PAGE_FEEDBACK_RETENTION_DAYS == 365
    for days_ago in (1, 364, 366, 800):
        answers_from(days_ago)

    result = run_scheduled("portal.tasks.remove_old_page_feedback")

    assert result.return_value == {"page_feedback": 2}
    assert sorted(PageFeedback.objects.values_list("path", flat=True)) == ["/1/", "/364/"]


def test_the_retention_period_comes_from_the_setting(db, settings):
    settings.PAGE_FEEDBACK_RETENTION_DAYS = 30
    for days_ago in (29, 31):
        answers_from(days_ago)

    assert list(PageFeedback.objects.expired().values_list("path", flat=True)) == ["/31/"]


# "Useful" as a percentage, for owners and the dashboard


def test_useful_is_the_share_of_yes_among_yes_and_no_over_30_and_90_days(db):
    answers_from(1, 3, Answer.YES)
    answers_from(10, 1, Answer.NO)
    answers_from(20, 2, Answer.PROBLEM)
    answers_from(45, 1, Answer.YES)
    answers_from(60, 3, Answer.NO)
    answers_from(120, 5, Answer.NO)  # outside both windows

    usefulness = PageFeedback.objects.usefulness()

    assert usefulness[30] == {"days": 30, "answers": 4, "useful": 3, "percent": 75, "problems": 2}
    assert usefulness[90] == {"days": 90, "answers": 8, "useful": 4, "percent": 50, "problems": 2}


def test_with_no_answers_there_is_no_percentage(db):
    answers_from(1, 2, Answer.PROBLEM)

    usefulness = PageFeedback.objects.usefulness()

    assert usefulness[30]["percent"] is None
    assert (usefulness[30]["answers"], usefulness[30]["problems"]) == (0, 2)


def test_usefulness_is_one_query_and_counts_one_items_answers(db, make_page):
    page = make_page()
    answers_from(1, 2, Answer.YES, item=page)
    answers_from(1, 1, Answer.NO, item=page)
    answers_from(1, 5, Answer.NO)

    with CaptureQueriesContext(connection) as queries:
        usefulness = PageFeedback.objects.for_item(page).usefulness()

    assert len(queries) == 1
    assert (usefulness[30]["percent"], usefulness[30]["answers"]) == (67, 3)


def test_this_weeks_answers_are_the_last_7_days(db):
    answers_from(6)
    answers_from(8)

    assert list(PageFeedback.objects.this_week().values_list("path", flat=True)) == ["/6/"]


# The admin


def test_content_editors_may_only_read_answers(db):
    group = Group.objects.get(name="Content editors")
    codenames = set(
        group.permissions.filter(content_type__model="pagefeedback").values_list(
            "codename", flat=True
        )
    )

    assert codenames == {"view_pagefeedback"}


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_answer_list_filters_and_searches_with_the_same_queries_for_1_or_50(
    editor_client, make_page
):
    page = make_page(title="Cookies", slug="cookies")
    url = reverse("admin:portal_pagefeedback_changelist")
    PageFeedback.objects.create(
        path="/cookies/", answer=Answer.PROBLEM, went_wrong="Broken table", item=page
    )

    editor_client.get(url)  # content types and permissions are cached from here on
    one, response = changelist_queries(editor_client, url)
    for _ in range(49):
        PageFeedback.objects.create(path="/cookies/", answer=Answer.NO, item=page)
    fifty, _ = changelist_queries(editor_client, url)

    assert one == fifty
    html = response.content.decode()
    assert "Broken table" in html
    assert f'href="{reverse("admin:portal_page_change", args=[page.pk])}">Cookies</a>' in html
    for query, found in (("answer__exact=problem", 1), ("q=broken", 1), ("answer__exact=yes", 0)):
        assert editor_client.get(f"{url}?{query}").context["cl"].result_count == found, query
    by_item = editor_client.get(f"{url}?item=portal.page.{page.pk}")
    assert by_item.context["cl"].result_count == 50
    assert editor_client.get(f"{url}?item=auth.user.1").context["cl"].result_count == 0
    assert editor_client.get(f"{url}?item=nonsense").status_code == 200


def test_nobody_in_the_admin_can_add_or_change_an_answer(admin_client, db):
    feedback = PageFeedback.objects.create(path="/", answer=Answer.NO, went_wrong="Slow")
    change_url = reverse("admin:portal_pagefeedback_change", args=[feedback.pk])

    view = admin_client.get(change_url)
    posted = admin_client.post(change_url, {"went_wrong": "Edited"})

    assert view.status_code == 200
    assert "Slow" in view.content.decode()
    assert 'name="went_wrong"' not in view.content.decode()
    assert admin_client.get(reverse("admin:portal_pagefeedback_add")).status_code == 403
    assert posted.status_code == 403
    feedback.refresh_from_db()
    assert feedback.went_wrong == "Slow"


def test_an_items_change_page_sums_up_its_answers_with_the_same_queries_for_1_or_50(
    editor_client, site_pages
):
    stage = Stage.objects.published().get(slug="explore-the-idea")
    url = reverse("admin:guides_stage_change", args=[stage.pk])
    answers_from(2, 1, Answer.YES, item=stage)

    editor_client.get(url)  # content types and permissions are cached from here on
    one, _ = changelist_queries(editor_client, url)
    answers_from(3, 20, Answer.YES, item=stage)
    answers_from(40, 28, Answer.NO, item=stage)
    answers_from(5, 1, Answer.PROBLEM, item=stage)
    PageFeedback.objects.filter(answer=Answer.PROBLEM).update(went_wrong="The link is broken")
    fifty, response = changelist_queries(editor_client, url)

    assert PageFeedback.objects.for_item(stage).count() == 50
    assert one == fifty
    html = text_of(response)
    assert "Is this page useful?" in html
    assert '<th scope="row">Last 30 days</th> <td>100%</td> <td>21 of 21 said yes</td>' in html
    assert '<th scope="row">Last 90 days</th> <td>43%</td> <td>21 of 49 said yes</td>' in html
    assert "The link is broken" in html
    list_url = reverse("admin:portal_pagefeedback_changelist")
    assert f'href="{list_url}?item=guides.stage.{stage.pk}"' in html


def test_someone_who_may_not_read_answers_sees_no_summary(client, make_staff, make_page):
    page = make_page()
    user = make_staff(username="reader")
    user.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(user)

    response = client.get(reverse("admin:portal_page_change", args=[page.pk]))

    assert response.status_code == 200
    assert "Page feedback" not in response.content.decode()
