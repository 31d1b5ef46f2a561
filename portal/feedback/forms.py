"""The short form behind 'No' and 'Report a problem with this page'."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from .models import Answer, PageFeedback
from .scrub import remove_personal_data

NO_PERSONAL_DATA = (
    "Do not include personal information, such as your name, email address or phone number."
)


class PageFeedbackForm(forms.Form):
    """What went wrong on a page. Only 'Report a problem' needs an answer; 'No' counts alone."""

    doing = forms.CharField(
        label="What were you doing?",
        help_text="For example, looking for what happens to staff pensions.",
        widget=forms.Textarea,
        required=False,
    )
    went_wrong = forms.CharField(
        label="What went wrong?",
        help_text="For example, a link did not work or something is out of date.",
        widget=forms.Textarea,
        required=False,
    )
    # A field people never see: bots that fill in every box fill this too.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer
        limit = settings.PAGE_FEEDBACK_MAX_CHARACTERS
        names = {"doing": "What you were doing", "went_wrong": "What went wrong"}
        for name, described in names.items():
            field = self.fields[name]
            # A validator, not max_length, so the browser never cuts off what is typed.
            field.validators.append(MaxLengthValidator(limit))
            field.error_messages["max_length"] = (
                f"{described} must be {limit:,} characters or fewer"
            )
        if answer == Answer.PROBLEM:
            self.fields["went_wrong"].required = True
            self.fields["went_wrong"].error_messages["required"] = "Enter what went wrong"
        else:
            for field in self.fields.values():
                field.label = f"{field.label} (optional)"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # sent without a token: portal/csrf.py guards it
        self.helper.layout = Layout(
            Field.textarea("doing", rows=3, max_characters=limit),
            Field.textarea("went_wrong", rows=4, max_characters=limit),
        )

    def clean_went_wrong(self):
        text = self.cleaned_data["went_wrong"].strip()
        if self.fields["went_wrong"].required and not text:
            raise forms.ValidationError("Enter what went wrong")
        return text

    def clean_doing(self):
        return self.cleaned_data["doing"].strip()

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def save(self, path, item):
        """Store the answer, with contact details removed from both texts."""
        return PageFeedback.objects.create(
            path=path,
            answer=self.answer,
            item=item,
            doing=remove_personal_data(self.cleaned_data.get("doing", "")),
            went_wrong=remove_personal_data(self.cleaned_data.get("went_wrong", "")),
        )
