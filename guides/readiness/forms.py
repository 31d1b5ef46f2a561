"""The readiness check's forms: one question a page, and the admin's "Try it"."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

# The first option carries the field's id, so the error summary's link lands on it.
FIELD_TEMPLATE = "enquiries/fields/field.html"


def option_choices(question):
    options = list(question.options.all())
    choices = []
    for index, option in enumerate(options):
        extra = {}
        if option.hint:
            extra["hint"] = option.hint
        following = options[index + 1] if index + 1 < len(options) else None
        if question.is_checkboxes and following is not None and following.exclusive:
            extra["divider"] = "or"
        choices.append(Choice(str(option.pk), option.label, **extra))
    return choices


class QuestionForm(forms.Form):
    """One question, asked with radios or checkboxes; the answer is a list of option ids."""

    def __init__(self, question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        messages = {
            "required": question.empty_error,
            "invalid_choice": "Select an answer from the list",
            "invalid_list": "Select an answer from the list",
        }
        common = {
            "label": question.text,
            "help_text": question.hint,
            "choices": option_choices(question),
            "error_messages": messages,
        }
        if question.is_checkboxes:
            self.fields["answer"] = forms.MultipleChoiceField(
                widget=forms.CheckboxSelectMultiple, **common
            )
            layout = Field.checkboxes(
                "answer", legend_size="l", legend_tag="h1", template=FIELD_TEMPLATE
            )
        else:
            self.fields["answer"] = forms.ChoiceField(widget=forms.RadioSelect, **common)
            layout = Field.radios(
                "answer", legend_size="l", legend_tag="h1", template=FIELD_TEMPLATE
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(layout)

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        ids = [int(v) for v in (value if isinstance(value, list) else [value])]
        exclusive = [o for o in self.question.options.all() if o.exclusive and o.pk in ids]
        if exclusive and len(ids) > 1:
            raise forms.ValidationError(
                f"Select the answers that apply, or select ‘{exclusive[0].label}’ on its own"
            )
        return ids


class TryItForm(forms.Form):
    """Sample answers for the admin's "Try it": every question at once, none required."""

    include_drafts = forms.BooleanField(
        label="Include draft questions",
        required=False,
        help_text="See the effect of questions and answers before you publish them.",
    )

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(str(o.pk), o.label) for o in question.options.all()]
            label = question.text if question.status == "published" else f"{question.text} (draft)"
            if question.is_checkboxes:
                field = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(
                    choices=[("", "No answer"), *choices], required=False, widget=forms.RadioSelect
                )
            field.label = label
            self.fields[f"q_{question.slug}"] = field

    def answers(self):
        """{slug: [option ids]}, as the session keeps them."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.slug}")
            values = value if isinstance(value, list) else [value] if value else []
            if values:
                answers[question.slug] = [int(v) for v in values]
        return answers
