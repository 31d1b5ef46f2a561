"""The contact form's three pages: the questions, check your answers, and the confirmation."""

import secrets
from datetime import date

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.views.generic import FormView, ListView, TemplateView
from django_ratelimit.decorators import ratelimit

from portal.views import BreadcrumbsMixin

from .forms import EnquiryForm
from .models import Partner

ANSWERS_KEY = "enquiry_answers"
TOKEN_KEY = "enquiry_token"
SENT_KEY = "enquiry_sent"


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


class ContactView(BreadcrumbsMixin, FormView):
    """The questions. A valid answer set is kept in the session for the check page."""

    template_name = "enquiries/contact.html"
    form_class = EnquiryForm

    def get_form(self, form_class=None):
        if self.request.method == "GET" and self.request.GET.get("change"):
            answers = self.request.session.get(ANSWERS_KEY)
            if answers:
                return EnquiryForm(data=_as_querydict(answers))
        return super().get_form(form_class)

    def get_initial(self):
        # An unknown stage matches no option, so it is simply ignored.
        return {"stage": self.request.GET.get("stage", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(working_days=settings.ENQUIRY_DUE_WORKING_DAYS, **kwargs)

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
        for key in (ANSWERS_KEY, TOKEN_KEY):
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
