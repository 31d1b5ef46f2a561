"""The enquiry admin's forms: routing rules, trying the routing, triage, subject access."""

from django import forms
from django.conf import settings

from guides.models import Stage, Topic

from .choices import OrganisationType, Role
from .models import Enquiry, Partner, RoutingRule, SavedReply
from .routing import Answers


class RoutingRuleForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=RoutingRule._meta.get_field("roles").help_text,
    )
    organisation_types = forms.MultipleChoiceField(
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=RoutingRule._meta.get_field("organisation_types").help_text,
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "priority",
            "is_active",
            "topics",
            "stages",
            "roles",
            "organisation_types",
            "keywords",
            "destination",
            "copy_mutuals_team",
        ]


class TryRoutingForm(forms.Form):
    """Sample answers, as the contact form would give them."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("number"),
        required=False,
        empty_label="Not started yet",
    )
    role = forms.ChoiceField(choices=[("", "---------"), *Role.choices], required=False)
    organisation_type = forms.ChoiceField(
        choices=[("", "---------"), *OrganisationType.choices], required=False
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def answers(self):
        data = self.cleaned_data
        return Answers(
            topic_ids={t.pk for t in data["topics"]},
            stage_id=data["stage"].pk if data["stage"] else None,
            role=data["role"],
            organisation_type=data["organisation_type"],
            message=data["message"],
        )


class EnquiryTriageForm(forms.ModelForm):
    """Status and outcome, and passing the enquiry to another partner with a reason."""

    reassign_to = forms.ModelChoiceField(
        label="Pass it to another partner",
        queryset=Partner.objects.none(),
        required=False,
        help_text="Leave empty to keep it where it is. The partner is emailed a link to it, "
        "and it leaves your list unless you handle every enquiry.",
    )
    reassign_reason = forms.CharField(
        label="Why you are passing it on",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to pass it on. Kept as a note; only staff see it.",
    )

    class Meta:
        model = Enquiry
        fields = ["status", "outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reassign_to" in self.fields:
            self.fields["reassign_to"].queryset = Partner.objects.active().exclude(
                pk=self.instance.destination_id
            )

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("reassign_to")
        reason = (cleaned.get("reassign_reason") or "").strip()
        cleaned["reassign_reason"] = reason
        if partner and not reason:
            self.add_error("reassign_reason", "Enter why you are passing the enquiry on")
        if reason and not partner and "reassign_to" not in self.errors:
            self.add_error("reassign_to", "Choose the partner to pass the enquiry to")
        if partner and cleaned.get("status") == Enquiry.Status.CLOSED:
            self.add_error("status", "Choose a status other than closed to pass the enquiry on")
        return cleaned


class SubjectAccessForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address the person used to contact us, like name@example.com.",
        error_messages={
            "required": "Enter the email address to search for",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


CLOSE_CHOICES = [
    ("", "No, wait for the enquirer's answer"),
    *((value, f"Yes, as {label.lower()}") for value, label in Enquiry.Outcome.choices),
]


class ReplyForm(forms.Form):
    """A reply to the enquirer, written on the enquiry's page, optionally from a saved reply."""

    saved_reply = forms.ModelChoiceField(
        label="Start from a saved reply (optional)",
        queryset=SavedReply.objects.none(),
        required=False,
        empty_label="None",
        help_text="Puts the saved reply, with the enquirer's first name and the reference, "
        "in the box below for you to edit.",
    )
    body = forms.CharField(
        label="Your reply",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text. The enquirer reads it in an email and on their enquiry's page, "
        "signed with your first name and your partner's name. Notes stay internal.",
    )
    close_as = forms.ChoiceField(
        label="Close the enquiry as well?",
        choices=CLOSE_CHOICES,
        required=False,
        help_text="If you leave it open, its status becomes 'Waiting for the enquirer'. "
        "Closing it as answered asks the enquirer how they felt about the help.",
    )

    def __init__(self, *args, enquiry, saved_replies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        self.max_characters = settings.ENQUIRY_REPLY_MAX_CHARACTERS
        if saved_replies is None:
            del self.fields["saved_reply"]
        else:
            self.fields["saved_reply"].queryset = saved_replies

    def saved_reply_options(self):
        """Each saved reply with its text filled in for this enquiry, for the select."""
        chosen = str(self["saved_reply"].value() or "")
        return [
            {
                "value": str(saved.pk),
                "title": saved.title,
                "text": saved.filled_in(self.enquiry),
                "selected": str(saved.pk) == chosen,
            }
            for saved in self.fields["saved_reply"].queryset
        ]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > self.max_characters:
            raise forms.ValidationError(
                f"Your reply must be {self.max_characters:,} characters or fewer"
            )
        return body

    def filled_from_saved_reply(self):
        """A fresh form with the chosen saved reply in the box, or None if none was chosen."""
        if "saved_reply" not in self.fields or not self.is_valid():
            return None
        saved = self.cleaned_data.get("saved_reply")
        if saved is None:
            self.add_error("saved_reply", "Choose a saved reply to use")
            return None
        data = self.data.copy()
        data["body"] = saved.filled_in(self.enquiry)
        return ReplyForm(
            data, enquiry=self.enquiry, saved_replies=self.fields["saved_reply"].queryset
        )

    def clean(self):
        cleaned = super().clean()
        if self.data.get("_send_reply") and not cleaned.get("body") and "body" not in self.errors:
            self.add_error("body", "Enter your reply")
        return cleaned
