"""What every publishable model's admin form shares: the change note and the schedule.

An edit is a minor change (nothing public but the page itself changes) or a major change with
a one-sentence public note, which moves the item's "Last updated" date. A draft can be given a
time to publish it and a published item a time to take it down; the scheduler does both
(portal/core/scheduled.py).
"""

import re

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from .core.change_notes import NOTE_MAX_LENGTH, ChangeNote
from .core.publishing import Status

MINOR, MAJOR = "minor", "major"
CHANGE_FIELDS = ["change_type", "change_note"]
SCHEDULE_FIELDS = ["publish_at", "unpublish_at"]


class PublishableAdminForm(forms.ModelForm):
    """The admin form of every publishable model: a change note on each edit, and the schedule."""

    change_type = forms.ChoiceField(
        label="Type of change",
        choices=[
            (MINOR, "Minor change: a typo, a broken link, clearer wording"),
            (MAJOR, "Major change: something a reader needs to know, with a public change note"),
        ],
        widget=forms.RadioSelect(attrs={"class": "app-change-type"}),
        initial=MINOR,
        # Sent by every browser, as one radio starts chosen; a post without it is minor.
        required=False,
        help_text="Only a major change moves the page's public 'Last updated' date.",
    )
    change_note = forms.CharField(
        label="Public change note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "app-change-note"}),
        help_text=f"For a major change: one sentence in plain text, shown on the page, on the "
        f"'Latest changes' page and in its feed, for example 'Added the 2026 pension rules.' "
        f"Up to {NOTE_MAX_LENGTH} characters.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Creating an item is its first publication: the note says so by itself.
            for name in CHANGE_FIELDS:
                self.fields.pop(name, None)

    @property
    def is_major_change(self):
        return self.cleaned_data.get("change_type") == MAJOR

    def clean_change_note(self):
        # One line of plain text: whatever whitespace was typed becomes single spaces.
        return re.sub(r"\s+", " ", self.cleaned_data.get("change_note", "")).strip()

    def clean(self):
        cleaned = super().clean()
        if "change_type" in self.fields:
            if cleaned.get("change_type") == MAJOR and not cleaned.get("change_note"):
                self.add_error("change_note", "Enter a change note for a major change")
            elif cleaned.get("change_type") == MINOR and cleaned.get("change_note"):
                self.add_error(
                    "change_note",
                    "A minor change has no public note: choose 'Major change' or clear the note",
                )
        self.clean_schedule(cleaned)
        return cleaned

    def clean_schedule(self, cleaned):
        if not all(name in self.fields for name in SCHEDULE_FIELDS):
            return
        now = timezone.now()
        status = cleaned.get("status", self.instance.status)
        publish_at, unpublish_at = cleaned.get("publish_at"), cleaned.get("unpublish_at")
        for name in SCHEDULE_FIELDS:
            value = cleaned.get(name)
            if value is not None and name in self.changed_data and value <= now:
                self.add_error(name, "Enter a time in the future")
        if publish_at and status == Status.PUBLISHED:
            self.add_error(
                "publish_at",
                "This is published already: clear the publish time, or make it a draft",
            )
        if unpublish_at and status != Status.PUBLISHED and not publish_at:
            self.add_error(
                "unpublish_at",
                "A draft is not shown, so there is nothing to unpublish: set a publish time too",
            )
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add_error("unpublish_at", "The unpublish time must be after the publish time")


class ScheduledFilter(admin.SimpleListFilter):
    """Items waiting for the scheduler to publish or unpublish them."""

    title = "scheduled"
    parameter_name = "scheduled"
    ANY, PUBLISH, UNPUBLISH = "yes", "publish", "unpublish"

    def lookups(self, request, model_admin):
        return [
            (self.ANY, "Scheduled"),
            (self.PUBLISH, "To be published"),
            (self.UNPUBLISH, "To be unpublished"),
        ]

    def queryset(self, request, queryset):
        to_publish = Q(status=Status.DRAFT, publish_at__isnull=False)
        to_unpublish = Q(unpublish_at__isnull=False)
        wanted = {
            self.ANY: to_publish | to_unpublish,
            self.PUBLISH: to_publish,
            self.UNPUBLISH: to_unpublish,
        }.get(self.value())
        return queryset if wanted is None else queryset.filter(wanted)


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")


class PublishingAdminMixin:
    """Change notes and the schedule in a publishable model's admin: form, list and saving.

    Put the fields in the form with `publishing_fields(obj)` and `change_fieldset(obj)`.
    """

    form = PublishableAdminForm

    class Media:
        js = ["js/admin-change-note.js"]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        at = columns.index("status") + 1 if "status" in columns else len(columns)
        return [*columns[:at], "schedule", *columns[at:]]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ScheduledFilter]

    def get_changeform_initial_data(self, request):
        # An add address may prefill fields (?publish_at=...); the date and time widget cannot
        # show text that is not a time, so such a value is left out rather than breaking the form.
        initial = super().get_changeform_initial_data(request)
        for name in SCHEDULE_FIELDS:
            if name in initial and not parse_datetime(str(initial[name])):
                del initial[name]
        return initial

    @admin.display(description="Scheduled", ordering="publish_at")
    def schedule(self, obj):
        parts = []
        if obj.publish_at and obj.status == Status.DRAFT:
            parts.append(f"Publishes {_when(obj.publish_at)}")
        if obj.unpublish_at:
            parts.append(f"Unpublishes {_when(obj.unpublish_at)}")
        return "; ".join(parts) or "–"

    @staticmethod
    def publishing_fields(base):
        return [*base, *SCHEDULE_FIELDS]

    @staticmethod
    def change_fieldset(obj):
        """The change note, at the end of the form, for an item that exists already."""
        if obj is None:
            return []
        description = (
            "Tell the public what changed, if it matters to them. Fixing a typo or a link is a "
            "minor change and has no note."
        )
        return [("This change", {"fields": CHANGE_FIELDS, "description": description})]

    def save_model(self, request, obj, form, change):
        major = change and getattr(form, "is_major_change", False)
        if major:
            note = form.cleaned_data["change_note"]
            obj.public_updated_at = timezone.now()
            obj._change_reason = f"Major change: {note}"
        elif change and "change_type" in form.fields:
            obj._change_reason = "Minor change"
        super().save_model(request, obj, form, change)
        if major:
            ChangeNote.objects.create(item=obj, note=note, published_at=obj.public_updated_at)
