"""The resource form in the admin, with its document upload."""

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.urls import reverse

from portal.publishing_admin import PublishableAdminForm

from .files import EMPTY, FORMATS, clean_upload, describe_upload
from .models import Resource


class StoredFileLink:
    """Stands in for the stored file in the upload widget, linking to where staff can open it."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name.rsplit("/", 1)[-1]


class DocumentInput(AdminFileWidget):
    """The upload box. Uploads are not served from a public folder, so link to the admin's copy."""

    file_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.file_url:
            context["widget"]["value"] = StoredFileLink(value.name, self.file_url)
        return context


class ResourceAdminForm(PublishableAdminForm):
    """The resource form in the admin: checks an uploaded file and records its format and size."""

    class Meta:
        model = Resource
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "resource_type",
            "publisher",
            "published_on",
            "published_precision",
            "file",
            "external_url",
            "not_legal_advice",
            "topics",
            "stages",
            "status",
            "last_reviewed",
            "publish_at",
            "unpublish_at",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "topics": forms.CheckboxSelectMultiple,
            "stages": forms.CheckboxSelectMultiple,
            "file": DocumentInput,
        }
        error_messages = {"file": {"empty": EMPTY}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # The name is shortened when it is made safe, so a long one is not an error.
            self.fields["file"].max_length = None
            # The admin shows this field's label as a legend, which does not name the input.
            self.fields["file"].widget.attrs["aria-label"] = "File to upload"
            # Narrows the file picker; the content is still checked on the server.
            self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in FORMATS)
            if self.instance.pk:
                url = reverse("admin:guides_resource_file", args=[self.instance.pk])
                self.fields["file"].widget.file_url = url
        # Kept so the admin can remove the replaced file once the new one is saved.
        self.previous_file_name = self.instance.file.name or ""

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))

    def save(self, commit=True):
        resource = super().save(commit=False)
        if "file" in self.changed_data:
            upload = self.cleaned_data.get("file")
            if upload:
                resource.file_type, resource.file_size = describe_upload(upload)
            else:
                resource.file_type, resource.file_size = "", None
        if commit:
            resource.save()
            self.save_m2m()
        return resource

    @property
    def replaced_file_name(self):
        """The stored file this save replaced or cleared, if any."""
        current = self.instance.file.name or ""
        if "file" in self.changed_data and self.previous_file_name not in ("", current):
            return self.previous_file_name
        return ""
