"""The enquiry admin's forms: routing rules, trying the routing, triage, subject access."""

from django import forms

from guides.models import Stage, Topic

from .choices import OrganisationType, Role
from .models import Enquiry, Partner, RoutingRule
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
