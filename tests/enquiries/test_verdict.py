"""Closing an enquiry as answered asks the enquirer one question; the answer is the partner's."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.links import make_token
from enquiries.models import Enquiry, SatisfactionAnswer

VERY_SATISFIED, DISSATISFIED = 5, 2


def run_queued_tasks():
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()


def verdict_url(enquiry):
    return reverse("enquiries:verdict", kwargs={"token": make_token(enquiry)})


def page_url(enquiry):
    return reverse("enquiries:conversation", kwargs={"token": make_token(enquiry)})


@pytest.fixture
def answered(make_enquiry, co_ops):
    return make_enquiry(co_ops, status=Enquiry.Status.CLOSED, outcome=Enquiry.Outcome.ANSWERED)


def triage_form(enquiry, **changes):
    return {
        "status": enquiry.status,
        "outcome": enquiry.outcome,
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "0",
        **changes,
    }


def test_closing_as_answered_in_the_admin_emails_the_question(client, make_handler, co_ops,
                                                              make_enquiry):  # fmt: skip
    enquiry = make_enquiry(co_ops, status=Enquiry.Status.IN_PROGRESS)
    client.force_login(make_handler(co_ops))

    response = client.post(
        enquiry.get_admin_url(), triage_form(enquiry, status="closed", outcome="answered")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    run_queued_tasks()
    [email] = mail.outbox
    assert email.to == ["sam@council.example.org"]
    assert "how did you feel about the help" in email.subject.lower()
    assert "http://testserver/contact/your-enquiry/" in email.body


def test_closing_with_another_outcome_asks_nothing(client, make_handler, co_ops, make_enquiry):
    enquiry = make_enquiry(co_ops, status=Enquiry.Status.IN_PROGRESS)
    client.force_login(make_handler(co_ops))

    client.post(enquiry.get_admin_url(), triage_form(enquiry, status="closed", outcome="referred"))

    assert not enquiry.deliveries.exists()


def test_the_page_asks_the_question_on_the_five_point_scale(client, answered):
    html = client.get(page_url(answered)).content.decode()

    assert "Overall, how did you feel about the help you got?" in html
    labels = re.findall(
        r'<label class="govuk-label govuk-radios__label"[^>]*>\s*([^<]+?)\s*<', html
    )
    assert labels == [
        "Very satisfied",
        "Satisfied",
        "Neither satisfied nor dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ]


def test_a_verdict_is_kept_by_partner_and_month_only(client, answered, co_ops):
    response = client.post(
        verdict_url(answered), {"score": VERY_SATISFIED, "comment": "Quick and clear."}
    )

    assert response.status_code == 302
    answer = SatisfactionAnswer.objects.get()
    assert (answer.partner, answer.score, answer.comment) == (
        co_ops, VERY_SATISFIED, "Quick and clear.",
    )  # fmt: skip
    assert answer.month == timezone.localdate().replace(day=1)
    fields = {field.name for field in SatisfactionAnswer._meta.get_fields()}
    assert fields == {"id", "partner", "month", "score", "comment"}
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for telling us how you felt" in page
    assert "Overall, how did you feel" not in page


def test_one_answer_per_enquiry(client, answered):
    client.post(verdict_url(answered), {"score": VERY_SATISFIED})
    client.post(verdict_url(answered), {"score": DISSATISFIED})

    assert list(SatisfactionAnswer.objects.values_list("score", flat=True)) == [VERY_SATISFIED]


def test_an_open_enquiry_takes_no_verdict(client, make_enquiry, co_ops):
    enquiry = make_enquiry(co_ops, status=Enquiry.Status.WAITING)

    response = client.post(verdict_url(enquiry), {"score": VERY_SATISFIED})

    assert response.status_code == 302
    assert not SatisfactionAnswer.objects.exists()


def test_no_choice_is_an_error_on_the_page(client, answered):
    response = client.post(verdict_url(answered), {"score": ""})

    assert response.status_code == 200
    assert "Select how you felt about the help you got" in response.content.decode()
    assert not SatisfactionAnswer.objects.exists()


def test_a_tampered_verdict_link_answers_404(client, answered):
    token = make_token(answered)[:-3] + "abc"

    response = client.post(
        reverse("enquiries:verdict", kwargs={"token": token}), {"score": VERY_SATISFIED}
    )

    assert response.status_code == 404
    assert not SatisfactionAnswer.objects.exists()


def test_the_verdict_outlives_the_purge(client, answered):
    from enquiries.retention import purge_enquiries

    client.post(verdict_url(answered), {"score": VERY_SATISFIED})
    Enquiry.objects.filter(pk=answered.pk).update(
        closed_at=timezone.now() - timezone.timedelta(days=800)
    )

    purge_enquiries()

    assert SatisfactionAnswer.objects.get().score == VERY_SATISFIED


def test_the_list_shows_verdicts_and_time_to_first_reply_by_partner(
    client, make_handler, co_ops, eoa, make_enquiry, mutuals_team_handler
):
    now = timezone.now()
    make_enquiry(co_ops, submitted_at=now - timezone.timedelta(hours=30),
                 first_replied_at=now - timezone.timedelta(hours=3))  # fmt: skip
    make_enquiry(eoa, submitted_at=now - timezone.timedelta(days=2), first_replied_at=now)
    month = timezone.localdate().replace(day=1)
    SatisfactionAnswer.objects.create(partner=co_ops, month=month, score=VERY_SATISFIED)
    SatisfactionAnswer.objects.create(partner=co_ops, month=month, score=DISSATISFIED)
    SatisfactionAnswer.objects.create(partner=eoa, month=month, score=DISSATISFIED)
    changelist = reverse("admin:enquiries_enquiry_changelist")

    client.force_login(make_handler(co_ops))
    own = client.get(changelist + "?period=30")
    client.force_login(mutuals_team_handler)
    every = client.get(changelist + "?period=30&status__exact=new")

    assert own.status_code == 200
    summary = own.content.decode().split("Replies and verdicts by partner")[1].split("</table>")[0]
    assert "Co-operatives UK" in summary and "Employee Ownership" not in summary
    assert "1 day 3 hours" in summary
    assert "50%" in summary
    every_html = every.content.decode()
    assert every.status_code == 200
    table = every_html.split("Replies and verdicts by partner")[1].split("</table>")[0]
    assert "Co-operatives UK" in table and "Employee Ownership Association" in table
    assert "2 days" in table
    assert '<option value="30" selected>' in every_html


def test_verdicts_are_counted_through_the_enquiry_rule(
    make_handler, co_ops, eoa, mutuals_team_handler, make_staff
):
    month = timezone.localdate().replace(day=1)
    SatisfactionAnswer.objects.create(partner=co_ops, month=month, score=VERY_SATISFIED)
    SatisfactionAnswer.objects.create(partner=eoa, month=month, score=DISSATISFIED)

    assert SatisfactionAnswer.objects.visible_to(make_handler(eoa)).get().partner == eoa
    assert SatisfactionAnswer.objects.visible_to(mutuals_team_handler).count() == 2
    assert not SatisfactionAnswer.objects.visible_to(make_staff("Routing managers")).exists()


def test_a_partners_handlers_read_only_their_own_verdicts_in_the_admin(
    client, make_handler, co_ops, eoa
):
    month = timezone.localdate().replace(day=1)
    ours = SatisfactionAnswer.objects.create(
        partner=co_ops, month=month, score=VERY_SATISFIED, comment="Clear and quick"
    )
    theirs = SatisfactionAnswer.objects.create(
        partner=eoa, month=month, score=DISSATISFIED, comment="Too slow"
    )
    client.force_login(make_handler(co_ops))

    listing = client.get(reverse("admin:enquiries_satisfactionanswer_changelist"))
    other = client.get(reverse("admin:enquiries_satisfactionanswer_change", args=[theirs.pk]))
    own = client.get(reverse("admin:enquiries_satisfactionanswer_change", args=[ours.pk]))

    assert listing.status_code == 200
    assert "Clear and quick" in listing.content.decode()
    assert "Too slow" not in listing.content.decode()
    assert other.status_code == 302  # the admin's "does not exist", never the answer
    assert "Too slow" not in client.get(other["Location"]).content.decode()
    assert own.status_code == 200
    assert 'name="comment"' not in own.content.decode()  # read only


def test_the_summary_keeps_the_lists_queries_flat_as_enquiries_and_verdicts_grow(
    client, mutuals_team_handler, co_ops, eoa, make_enquiry
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    changelist = reverse("admin:enquiries_enquiry_changelist")
    client.force_login(mutuals_team_handler)
    month = timezone.localdate().replace(day=1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist).status_code == 200
        return len(captured)

    make_enquiry(co_ops, first_replied_at=timezone.now())
    SatisfactionAnswer.objects.create(partner=co_ops, month=month, score=VERY_SATISFIED)
    one = queries()
    for partner in (co_ops, eoa, co_ops, eoa):
        make_enquiry(partner, first_replied_at=timezone.now())
        SatisfactionAnswer.objects.create(partner=partner, month=month, score=DISSATISFIED)

    assert queries() == one


def test_the_summary_gives_each_partners_middle_wait_and_counts(
    co_ops, eoa, make_enquiry, mutuals_team_handler
):
    from enquiries import stats

    now = timezone.now()
    # Co-operatives UK: waits of 1, 2, 4 and 10 hours, halfway between the middle two is 3;
    # one enquiry not replied to. The EOA: one wait of 5 hours. Older ones are left out.
    for hours in (1, 2, 4, 10, None):
        submitted = now - timezone.timedelta(days=1)
        replied = submitted + timezone.timedelta(hours=hours) if hours else None
        make_enquiry(co_ops, submitted_at=submitted, first_replied_at=replied)
    make_enquiry(eoa, submitted_at=now - timezone.timedelta(days=2),
                 first_replied_at=now - timezone.timedelta(days=2, hours=-5))  # fmt: skip
    make_enquiry(eoa, submitted_at=now - timezone.timedelta(days=40),
                 first_replied_at=now - timezone.timedelta(days=39))  # fmt: skip

    rows = stats.summary(Enquiry.objects.all(), mutuals_team_handler, 30, now=now)

    assert [(r.name, r.received, r.replied, r.median_wait) for r in rows] == [
        ("Co-operatives UK", 5, 4, "3 hours"),
        ("Employee Ownership Association", 1, 1, "5 hours"),
    ]
