"""Taking an answer to 'Is this page useful?', with JavaScript or without.

The buttons and the short form sit on pages cached for everyone, so they carry no CSRF token:
same_site_post (portal/csrf.py) checks where the browser says the form was sent from. An
answer is saved, then the visitor is sent to a thank-you page (post, redirect, get).
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.csrf import same_site_post

from .forms import NO_PERSONAL_DATA, PageFeedbackForm
from .models import Answer
from .pages import NotAPage, page_and_item, resolve_page

FORM_TEMPLATE = "portal/feedback_form.html"
# The answers that open the short form; "Yes" is saved at once.
FORM_ANSWERS = {Answer.NO.value, Answer.PROBLEM.value}
HEADINGS = {
    Answer.NO.value: "Tell us why this page was not useful",
    Answer.PROBLEM.value: "Report a problem with this page",
}
TOO_MANY = "You have sent a lot of feedback in a short time. Wait an hour, then send it again"


def feedback_rate(group, request):
    return settings.PAGE_FEEDBACK_RATE_LIMIT


def not_a_page(request):
    """400: the answer names no page of this site, so there is nothing to thank anyone for."""
    context = {"hide_page_feedback": True}
    return render(request, "portal/feedback_bad_request.html", context, status=400)


# The CSRF token is left out so pages can be cached; save_answer() checks the sender instead.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def send(request):
    """GET: the short form, for browsers without JavaScript. POST: save an answer."""
    if request.method == "POST":
        return save_answer(request)
    answer = request.GET.get("answer")
    try:
        path, item = page_and_item(request.GET.get("path"))
    except NotAPage:
        return not_a_page(request)
    if answer not in FORM_ANSWERS:
        return not_a_page(request)
    return show_form(request, PageFeedbackForm(answer=answer), path, item)


@same_site_post
@ratelimit(key="ip", rate=feedback_rate, method="POST", block=False)
def save_answer(request):
    answer = request.POST.get("answer")
    try:
        path, item = page_and_item(request.POST.get("path"))
    except NotAPage:
        return not_a_page(request)
    if answer not in Answer.values:
        return not_a_page(request)
    # "Yes" has no questions: any text sent with it is not kept.
    data = request.POST if answer in FORM_ANSWERS else {"website": request.POST.get("website")}
    form = PageFeedbackForm(data, answer=answer)
    if getattr(request, "limited", False):
        if answer in FORM_ANSWERS:  # what they wrote stays in the form
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return show_form(request, form, path, item, status=429)
        context = {"hide_page_feedback": True}
        return render(request, "portal/feedback_too_many.html", context, status=429)
    if not form.is_valid():
        return show_form(request, form, path, item)
    if not form.is_spam:  # a bot is thanked as a person would be, and nothing is kept
        form.save(path, item)
    return redirect(f"{reverse('feedback:thank-you')}?{urlencode({'path': path})}")


def show_form(request, form, path, item, status=200):
    context = {
        "form": form,
        "answer": form.answer,
        "heading": HEADINGS[form.answer],
        "page_path": path,
        "item": item,
        "no_personal_data": NO_PERSONAL_DATA,
        "hide_page_feedback": True,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def thank_you(request):
    """Thanks, and a link back to the page the answer was about (home if that is unclear)."""
    try:
        resolve_page(request.GET.get("path"))
        back = request.GET["path"]
    except NotAPage:
        back = reverse("portal:home")
    return render(
        request, "portal/feedback_thank_you.html", {"back": back, "hide_page_feedback": True}
    )
