"""The guide's form: marking a task as done."""

from django import forms

from .models import Task
from .progress import GuideProgress


class TaskProgressForm(forms.Form):
    """Marks one published task as done or not done in the visitor's session."""

    DONE = "yes"
    NOT_DONE = "no"

    task = forms.ModelChoiceField(
        queryset=Task.objects.published().select_related("stage"),
        error_messages={
            "required": "Choose a task to mark as done",
            "invalid_choice": "We could not find that task in the guide. "
            "It may have been changed or removed, so your progress has not been updated.",
        },
    )
    done = forms.ChoiceField(
        choices=[(DONE, "Done"), (NOT_DONE, "Not done")],
        error_messages={
            "required": "Choose whether the task is done",
            "invalid_choice": "Choose whether the task is done",
        },
    )

    def save(self, session):
        task = self.cleaned_data["task"]
        GuideProgress(session).mark(task, done=self.cleaned_data["done"] == self.DONE)
        return task

    def error_message(self):
        """The first problem, in words a visitor can act on."""
        for errors in self.errors.values():
            return errors[0]
        return ""
