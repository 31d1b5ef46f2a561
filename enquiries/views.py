"""The contact form's three pages: the questions, check your answers, and the confirmation."""

import re
import secrets
from datetime import date

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.views.generic import FormView, ListView, TemplateView, View
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from portal.cache import KeptForContentVersion, content_version, for_one_visitor
from portal.core.querystring import MAX_SEARCH_LENGTH
from portal.views import BreadcrumbsMixin

from .access import enquiry_for_link
from .conversation import (
    accepts_answers,
    can_reopen,
    may_give_verdict,
    receive_answer,
    record_verdict,
)
from .forms import AnswerForm, EnquiryForm, VerdictForm
from .links import BadLink
from .models import Message, Partner
from .retention import period

REFERENCE = re.compile(r"MIS-\d{4}-\d{5}")
ANSWERS_KEY = "enquiry_answers"
TOKEN_KEY = "enquiry_token"
SENT_KEY = "enquiry_sent"
# Answers another page offers to start an enquiry with (the readiness check's result).
PREFILL_KEY = "enquiry_prefill"
PREFILL_MAX_TOPICS = 20


def offer_prefill(session, stage, topics, message):
    """Keep a stage slug, topic slugs and a start to the message for the contact form."""
    session[PREFILL_KEY] = {"stage": stage, "topics": list(topics), "message": message}


def prefill_initial(session):
    """The offered answers, checked: only strings, a known stage and topics, a short message.

    An unknown stage or topic matches no option on the form, so it is simply not ticked.
    """
    offered = session.get(PREFILL_KEY)
    if not isinstance(offered, dict):
        return {}
    initial = {}
    if isinstance(offered.get("stage"), str):
        initial["stage"] = offered["stage"]
    topics = offered.get("topics")
    if isinstance(topics, list):
        initial["topics"] = [t for t in topics if isinstance(t, str)][:PREFILL_MAX_TOPICS]
    if isinstance(offered.get("message"), str):
        initial["message"] = offered["message"][: settings.ENQUIRY_MESSAGE_MAX_CHARACTERS]
    return initial


def enquiry_rate(group, request):
    return settings.ENQUIRY_RATE_LIMIT


def rate_limited(request, exception=None):
    """The 429 page: too many enquiries from one address."""
    period = settings.ENQUIRY_RATE_LIMIT.split("/")[-1]
    wait = {"s": "a minute", "m": "a few minutes", "h": "an hour", "d": "a day"}
    return render(
        request,
        "429.html",
        {"wait": wait.get(period[-1:], "an hour")},
        status=429,
    )


def stored_form(session):
    answers = session.get(ANSWERS_KEY)
    if not answers:
        return None
    form = EnquiryForm(data=_as_querydict(answers))
    return form if form.is_valid() else None


def _as_querydict(answers):
    return MultiValueDict(answers)


# The questions as most visitors first see them: nothing answered, nothing chosen.
BLANK_INITIAL = {"stage": ""}
# Each process keeps the blank form's HTML for the current content version (its options are
# the published stages and the topics): rendering it through the form library's templates is
# most of the page's time, and it is the same for every visitor (the page adds the token).
_blank_form = KeptForContentVersion()


def blank_form_html(form):
    version = content_version()
    html = _blank_form.kept(version)
    if html is None:
        html = render_crispy_form(form)
        _blank_form.keep(version, html)
    return html


# The whole blank page, likewise, for visitors it is the same for: no query string and no
# session, so no answers, messages or sign-in. Only the CSRF token differs between them; it is
# kept as a marker and each visitor's own token put in its place.
_blank_page = KeptForContentVersion()
TOKEN_MARKER = "\x00csrf-token\x00"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def shares_the_blank_page(request):
    return not request.META.get("QUERY_STRING") and set(request.COOKIES) <= {
        settings.CSRF_COOKIE_NAME
    }


def with_token_marker(html):
    """`html` with its CSRF token replaced by the marker; None if it has none or several."""
    tokens = set(CSRF_INPUT.findall(html))
    if len(tokens) != 1:
        return None
    return html.replace(tokens.pop(), TOKEN_MARKER)


def searched_words(text):
    """Search words passed to the contact form: printable, single-spaced and no longer than a
    search may be; anything else is dropped.
    """
    printable = "".join(character for character in text if character.isprintable())
    return " ".join(printable.split())[:MAX_SEARCH_LENGTH].strip()


class ContactView(BreadcrumbsMixin, FormView):
    """The questions. A valid answer set is kept in the session for the check page."""

    template_name = "enquiries/contact.html"
    form_class = EnquiryForm

    def get(self, request, *args, **kwargs):
        if not shares_the_blank_page(request):
            return super().get(request, *args, **kwargs)
        version = content_version()
        page = _blank_page.kept(version)
        if page is None:
            response = super().get(request, *args, **kwargs)
            page = with_token_marker(response.render().content.decode())
            if page is not None and response.status_code == 200:
                _blank_page.keep(version, page)
            return response
        return HttpResponse(page.replace(TOKEN_MARKER, get_token(request)))

    def get_form(self, form_class=None):
        if self.request.method == "GET" and self.request.GET.get("change"):
            answers = self.request.session.get(ANSWERS_KEY)
            if answers:
                return EnquiryForm(data=_as_querydict(answers))
        return super().get_form(form_class)

    def get_initial(self):
        # An unknown stage matches no option, so it is simply ignored.
        initial = {"stage": self.request.GET.get("stage", "")}
        if self.request.GET.get("prefill") == "1":
            initial.update(prefill_initial(self.request.session))
        # From a closed enquiry's page: a new enquiry that starts by naming the old one.
        reference = self.request.GET.get("reference", "")
        if REFERENCE.fullmatch(reference):
            initial["message"] = f"About my earlier enquiry {reference}: "
        # From a site search that found nothing: a question that starts with what was searched.
        elif searched := searched_words(self.request.GET.get("search", "")):
            initial["message"] = f"I searched the site for ‘{searched}’. My question is: "
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(working_days=settings.ENQUIRY_DUE_WORKING_DAYS, **kwargs)
        form = context["form"]
        if not form.is_bound and form.initial == BLANK_INITIAL:
            context["form_html"] = blank_form_html(form)
        return context

    def form_valid(self, form):
        if form.is_spam:
            # A bot sees what a person would, but nothing is kept or sent.
            year = timezone.localdate().year
            self.request.session[SENT_KEY] = {
                "reference": f"MIS-{year}-{secrets.randbelow(90000) + 10000:05d}",
                "destination": "",
                "is_fallback": True,
                "due_on": "",
            }
            return redirect("enquiries:confirmation")
        self.request.session[ANSWERS_KEY] = {
            name: self.request.POST.getlist(name) for name in form.fields if name != "website"
        }
        self.request.session[TOKEN_KEY] = secrets.token_urlsafe(16)
        return redirect("enquiries:check")


class CheckAnswersView(BreadcrumbsMixin, TemplateView):
    template_name = "enquiries/check_answers.html"

    def get(self, request, *args, **kwargs):
        form = stored_form(request.session)
        if form is None:
            return redirect("enquiries:contact")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=form.summary_rows(),
                token=request.session.get(TOKEN_KEY, ""),
            )
        )

    @method_decorator(ratelimit(key="ip", rate=enquiry_rate, method="POST", block=False))
    def post(self, request, *args, **kwargs):
        token = request.POST.get("token", "")
        sent = request.session.get(SENT_KEY)
        # Sent already (a double click, or Back then Send again): show the same confirmation.
        if sent and token and secrets.compare_digest(str(sent.get("token", "")), token):
            return redirect("enquiries:confirmation")
        expected = request.session.get(TOKEN_KEY)
        form = stored_form(request.session)
        if form is None or not expected or not secrets.compare_digest(expected, token):
            return redirect("enquiries:contact")
        if getattr(request, "limited", False):
            return rate_limited(request)
        enquiry = form.save_once(token)
        for key in (ANSWERS_KEY, TOKEN_KEY, PREFILL_KEY):
            request.session.pop(key, None)
        request.session[SENT_KEY] = {
            "token": token,
            "reference": enquiry.reference,
            "destination": enquiry.destination.name if enquiry.destination else "",
            "is_fallback": not enquiry.destination or enquiry.destination.is_fallback,
            "due_on": enquiry.due_on.isoformat(),
        }
        return redirect("enquiries:confirmation")

    def get_breadcrumbs(self):
        return [
            *super().get_breadcrumbs(),
            {"text": "Contact the Mutuals Team", "href": reverse("enquiries:contact")},
        ]


class ConfirmationView(TemplateView):
    template_name = "enquiries/confirmation.html"

    def get(self, request, *args, **kwargs):
        sent = request.session.get(SENT_KEY)
        if not sent:
            return redirect("enquiries:contact")
        due_on = sent.get("due_on")
        return self.render_to_response(
            self.get_context_data(
                sent=sent,
                due_on=date.fromisoformat(due_on) if due_on else None,
                working_days=settings.ENQUIRY_DUE_WORKING_DAYS,
            )
        )


class SupportView(BreadcrumbsMixin, ListView):
    """Who can help: the active partners and what each helps with."""

    template_name = "enquiries/support.html"
    context_object_name = "partners"

    def get_queryset(self):
        return Partner.objects.active().order_by("-is_fallback", "name")


def private(response):
    """The enquirer's pages: never cached or indexed; the link is never sent to another site.

    "same-origin", not "no-referrer": a form posted from a no-referrer page says its origin
    is null, which the CSRF check refuses.
    """
    for_one_visitor(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def answer_rate(group, request):
    return settings.ENQUIRY_ANSWER_RATE_LIMIT


class EnquirerLinkMixin:
    """Opens the enquiry that the private link in the enquirer's email names; nothing else.

    The link is the enquirer's only way in (enquiries/access.py): a tampered one answers
    404 and an expired one, or one whose enquiry's personal data is gone, 410.
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            self.enquiry = enquiry_for_link(kwargs["token"])
        except BadLink as bad:
            response = render(
                request,
                "enquiries/link_not_valid.html",
                {
                    "expired": bad.status == 410,
                    "hide_page_feedback": True,
                    "retention_period": period(settings.ENQUIRY_RETENTION_MONTHS),
                },
                status=bad.status,
            )
            return private(response)
        return private(super().dispatch(request, *args, **kwargs))

    def page_url(self):
        return self.request.path

    def render_page(self, answer_form=None, verdict_form=None, status=200):
        enquiry = self.enquiry
        open_to_answers = accepts_answers(enquiry)
        context = {
            "enquiry": enquiry,
            "conversation": Message.objects.filter(enquiry=enquiry)
            .select_related("author", "partner")
            .in_order(),
            "answer_form": (answer_form or AnswerForm()) if open_to_answers else None,
            "verdict_form": (verdict_form or VerdictForm()) if may_give_verdict(enquiry) else None,
            "reopens": not enquiry.is_open and can_reopen(enquiry),
            "new_enquiry_url": f"{reverse('enquiries:contact')}?reference={enquiry.reference}",
            "verdict_url": reverse("enquiries:verdict", kwargs={"token": self.kwargs["token"]}),
            "hide_page_feedback": True,
            "form": answer_form if answer_form is not None and answer_form.errors else verdict_form,
        }
        return render(self.request, "enquiries/conversation.html", context, status=status)


class ConversationView(EnquirerLinkMixin, View):
    """The enquirer's page: their enquiry, our replies, and a form to write again."""

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST)
        if not accepts_answers(self.enquiry) or not form.is_valid():
            return self.render_page(answer_form=form)
        if form.is_spam:
            # A bot sees what a person would, but nothing is kept or sent.
            messages.success(request, "Your message has been sent")
            return redirect(self.page_url())
        limited = [
            is_ratelimited(
                request, group=group, key=key, rate=answer_rate, method="POST", increment=True
            )
            for group, key in (
                ("enquiries.answer.enquiry", lambda group, request: str(self.enquiry.pk)),
                ("enquiries.answer.address", "ip"),
            )
        ]
        if any(limited):
            form.add_error(
                "message",
                "You have sent too many messages about this enquiry. Your message has not "
                "been sent: try again in an hour",
            )
            return self.render_page(answer_form=form, status=429)
        reopened = not self.enquiry.is_open
        receive_answer(self.enquiry, form.cleaned_data["message"])
        messages.success(
            request,
            "Your message has been sent and your enquiry is open again"
            if reopened
            else "Your message has been sent",
        )
        return redirect(self.page_url())


class VerdictView(EnquirerLinkMixin, View):
    """The enquirer's one answer about the help, kept by partner and month only."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        page = reverse("enquiries:conversation", kwargs={"token": kwargs["token"]})
        if not may_give_verdict(self.enquiry):
            return redirect(page)
        form = VerdictForm(request.POST)
        if not form.is_valid():
            return self.render_page(verdict_form=form)
        if record_verdict(self.enquiry, form.cleaned_data["score"], form.cleaned_data["comment"]):
            messages.success(request, "Thank you for telling us how you felt about the help")
        return redirect(page)
