"""The contact form: its questions, its checks, where it sends an enquiry, and saving it."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from guides.models import Stage, Topic
from portal.cache import KeptForContentVersion

from .choices import ContactMethod, OrganisationType, Role, ServiceArea
from .models import Enquiry, ReferenceCounter, RoutingRule, Satisfaction, new_token
from .routing import Answers
from .tasks import queue_emails
from .validators import validate_sendable_email
from .working_days import add_working_days

NOT_STARTED = "not-started"
# The first option of a set of radios or checkboxes carries the field's id, as in the GOV.UK
# components, so error summary and "Change" links land on it.
RADIOS = CHECKBOXES = "enquiries/fields/field.html"
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def message_limit():
    return settings.ENQUIRY_MESSAGE_MAX_CHARACTERS


def query_published_stages():
    stages = Stage.objects.published().in_order().only("slug", "number", "title")
    return {stage.slug: stage for stage in stages}


# Each process reads the stages once for the content version, not each time a form is made.
published_stages = KeptForContentVersion(query_published_stages)


class StageChoiceField(forms.ChoiceField):
    """A published stage by slug, or 'not started yet'."""

    stages = {}

    def load(self):
        """Read the stages when a form is made, not when this module is imported."""
        self.stages = published_stages()
        self.choices = [
            *((slug, f"Stage {s.number}: {s.title}") for slug, s in self.stages.items()),
            (NOT_STARTED, "I have not started yet"),
        ]


class SendableEmailField(forms.EmailField):
    """An address that looks right and that the mail server can be given (one check, one
    message)."""

    default_validators = [validate_sendable_email]


class EnquiryForm(forms.Form):
    name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    email = SendableEmailField(
        label="Email address",
        max_length=254,
        help_text="We’ll only use this to reply to your enquiry.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=30,
        required=False,
        help_text="For international numbers include the country code.",
        # Phones show a number pad; the widget takes "type" as its own, so it is written once.
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    contact_method = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you would like us to contact you"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="The organisation you work for, for example Anytown Borough Council.",
        error_messages={"required": "Enter the name of your organisation"},
    )
    organisation_type = forms.ChoiceField(
        label="What type of organisation is it?",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation you work for"},
    )
    role = forms.ChoiceField(
        label="What is your role?",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your role"},
    )
    service_area = forms.ChoiceField(
        label="Which service do you work in?",
        choices=[("", "Choose a service"), *ServiceArea.choices],
        error_messages={"required": "Select the service you work in"},
    )
    stage = StageChoiceField(
        label="Where are you in setting up a mutual?",
        widget=forms.RadioSelect,
        help_text="The stages are from our guide, How to set up a mutual.",
        error_messages={"required": "Select where you are in setting up a mutual"},
    )
    topics = forms.ModelMultipleChoiceField(
        label="What is your enquiry about? (optional)",
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select topics from the list"},
    )
    message = forms.CharField(
        label="Your enquiry",
        widget=forms.Textarea,
        help_text="Tell us what you would like help with. Do not include personal details "
        "about other people.",
        error_messages={"required": "Enter your enquiry"},
    )
    # We use the answers because answering enquiries is a task in the public interest, not
    # because the enquirer agrees: the box confirms they were told, it asks for no consent.
    privacy = forms.BooleanField(
        label="I have read the privacy notice",
        error_messages={"required": "Confirm that you have read the privacy notice"},
    )
    # A field people never see: bots that fill in every box fill this too.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].load()
        limit = message_limit()
        for name in ("name", "email", "phone", "organisation"):
            field = self.fields[name]
            label = field.label.removesuffix(" (optional)")
            field.error_messages["max_length"] = (
                f"{label} must be {field.max_length} characters or fewer"
            )
        self.fields["message"].max_length = limit
        self.fields["message"].validators.append(MaxLengthValidator(limit))
        self.fields["message"].error_messages["max_length"] = (
            f"Your enquiry must be {limit:,} characters or fewer"
        )
        privacy_url = reverse("portal:page-detail", kwargs={"slug": "privacy"})
        self.fields["privacy"].help_text = format_html(
            'Our <a class="govuk-link" href="{}">privacy notice</a> says who can see your '
            "enquiry, how long we keep it and what your rights are.",
            privacy_url,
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form adds its own token
        self.helper.layout = Layout(
            Field.text("name", field_width=20, autocomplete="name", spellcheck="false"),
            Field.text("email", field_width=20, autocomplete="email", spellcheck="false"),
            Field.text("phone", field_width=20, autocomplete="tel"),
            Field.radios("contact_method", legend_size="s", template=RADIOS),
            Field.text("organisation", autocomplete="organization"),
            Field.radios("organisation_type", legend_size="s", template=RADIOS),
            Field.radios("role", legend_size="s", template=RADIOS),
            Field.select("service_area"),
            Field.radios("stage", legend_size="s", template=RADIOS),
            Field.checkboxes("topics", legend_size="s", small=True, template=CHECKBOXES),
            Field.textarea("message", rows=8, max_characters=limit),
            Field.checkbox("privacy"),
        )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(
                "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            )
        return phone

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Enter your enquiry")
        return message

    def clean(self):
        cleaned = super().clean()
        wants_phone = cleaned.get("contact_method") == ContactMethod.PHONE
        if wants_phone and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Enter a phone number, as you asked us to phone you")
        return cleaned

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    @property
    def chosen_stage(self):
        return self.fields["stage"].stages.get(self.cleaned_data.get("stage"))

    def answers(self):
        """The answers routing looks at."""
        stage = self.chosen_stage
        return Answers(
            topic_ids={topic.pk for topic in self.cleaned_data.get("topics", [])},
            stage_id=stage.pk if stage else None,
            role=self.cleaned_data.get("role", ""),
            organisation_type=self.cleaned_data.get("organisation_type", ""),
            message=self.cleaned_data.get("message", ""),
        )

    def route(self):
        """Where this enquiry goes: the first matching rule's partner, or the Mutuals Team."""
        return RoutingRule.objects.route(self.answers())

    def save_once(self, token):
        """Save unless an enquiry was already sent with this token; return it either way."""
        try:
            return self.save(token=token)
        except IntegrityError:
            existing = Enquiry.objects.filter(submission_token=token).first()
            if existing is None:
                raise
            return existing

    def save(self, token=None):
        """Store the enquiry with its routing decision, and queue its emails, all at once."""
        decision = self.route()
        now = timezone.now()
        data = self.cleaned_data
        with transaction.atomic():
            enquiry = Enquiry.objects.create(
                reference=ReferenceCounter.next_reference(timezone.localdate(now).year),
                submission_token=token or new_token(),
                submitted_at=now,
                due_on=add_working_days(timezone.localdate(now), settings.ENQUIRY_DUE_WORKING_DAYS),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                contact_method=data["contact_method"],
                organisation=data["organisation"],
                organisation_type=data["organisation_type"],
                role=data["role"],
                service_area=data["service_area"],
                stage=self.chosen_stage,
                message=data["message"],
                rule=decision.rule,
                rule_name=decision.reason,
                destination=decision.destination,
            )
            enquiry.topics.set(data["topics"])
            enquiry.copied_to.set(decision.copies)
            queue_emails(enquiry)
        return enquiry

    def summary_rows(self):
        """The answers as GOV.UK summary list rows, each with a link back to its question."""
        data = self.cleaned_data
        stage = self.chosen_stage
        change = reverse("enquiries:contact") + "?change=1"
        rows = [
            ("Full name", data["name"], "name"),
            ("Email address", data["email"], "email"),
            ("Phone number", data["phone"] or "Not given", "phone"),
            ("Contact by", ContactMethod(data["contact_method"]).label, "contact_method"),
            ("Organisation", data["organisation"], "organisation"),
            (
                "Organisation type",
                OrganisationType(data["organisation_type"]).label,
                "organisation_type",
            ),
            ("Role", Role(data["role"]).label, "role"),
            ("Service", ServiceArea(data["service_area"]).label, "service_area"),
            (
                "Stage",
                f"Stage {stage.number}: {stage.title}" if stage else "Not started yet",
                "stage",
            ),
            ("Topics", ", ".join(t.name for t in data["topics"]) or "None chosen", "topics"),
            ("Your enquiry", data["message"], "message"),
        ]
        return [
            {
                "key": key,
                "value": value,
                "href": f"{change}#{self[name].auto_id}",
            }
            for key, value, name in rows
        ]


class AnswerForm(forms.Form):
    """The enquirer writing again about their enquiry, on its private page."""

    message = forms.CharField(
        label="Write to us about this enquiry",
        widget=forms.Textarea,
        help_text="Answer our questions or add what you have found out. Do not include "
        "personal details about other people.",
        error_messages={"required": "Enter your message"},
    )
    # Never seen by people; bots fill it in (see EnquiryForm).
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = message_limit()
        field = self.fields["message"]
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.error_messages["max_length"] = f"Your message must be {limit:,} characters or fewer"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("message", rows=6, max_characters=limit, label_size="m")
        )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Enter your message")
        return message

    @property
    def is_spam(self):
        return bool(self.data.get("website"))


VERDICT_COMMENT_MAX_CHARACTERS = 1200


class VerdictForm(forms.Form):
    """The one question about the help, on GOV.UK's five-point satisfaction scale."""

    score = forms.TypedChoiceField(
        label="Overall, how did you feel about the help you got?",
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you felt about the help you got"},
    )
    comment = forms.CharField(
        label="How could we improve the help we give? (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=VERDICT_COMMENT_MAX_CHARACTERS,
        help_text="Do not include personal details, such as your name or email address.",
        error_messages={
            "max_length": f"Your comment must be {VERDICT_COMMENT_MAX_CHARACTERS:,} "
            "characters or fewer"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("score", legend_size="m", legend_tag="h2"),
            Field.textarea(
                "comment", rows=4, max_characters=VERDICT_COMMENT_MAX_CHARACTERS, label_size="s"
            ),
        )

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()
