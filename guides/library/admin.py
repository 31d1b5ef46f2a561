"""The library's admin: topics, publishers and resources, with uploads and link checks."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from portal.admin import HistoryAdmin, PublishableAdmin
from portal.core.publishing import Status

from .files import file_response
from .forms import ResourceAdminForm
from .links import broken_link_condition
from .models import Publisher, Resource, Topic
from .views import resource_detail_context


class PublishedResourceCountMixin:
    """Lists how many published resources each row has, counted in the changelist's one query."""

    def get_queryset(self, request):
        published = Q(resources__status=Status.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .annotate(published_resource_count=Count("resources", filter=published))
        )

    @admin.display(description="Published resources", ordering="published_resource_count")
    def published_resource_count(self, obj):
        return obj.published_resource_count


@admin.register(Topic)
class TopicAdmin(PublishedResourceCountMixin, HistoryAdmin):
    list_display = ["name", "slug", "published_resource_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]
    ordering = ["name"]


@admin.register(Publisher)
class PublisherAdmin(PublishedResourceCountMixin, HistoryAdmin):
    list_display = ["name", "slug", "published_resource_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]
    ordering = ["name"]


class LinkCheckFilter(admin.SimpleListFilter):
    """Resources by what the last check of their web address found."""

    title = "link check"
    parameter_name = "link"
    BROKEN, OK, NOT_CHECKED = "broken", "ok", "not-checked"

    def lookups(self, request, model_admin):
        return [
            (self.BROKEN, "Broken"),
            (self.OK, "OK"),
            (self.NOT_CHECKED, "Not checked yet"),
        ]

    def queryset(self, request, queryset):
        broken = broken_link_condition()
        checked = Q(link_checked_at__isnull=False)
        if self.value() == self.BROKEN:
            return queryset.filter(broken)
        if self.value() == self.OK:
            return queryset.filter(checked).exclude(broken)
        if self.value() == self.NOT_CHECKED:
            return queryset.exclude(external_url="").filter(link_checked_at__isnull=True)
        return queryset


@admin.register(Resource)
class ResourceAdmin(PublishableAdmin):
    form = ResourceAdminForm
    preview_template = "guides/resource_detail.html"
    list_display = [
        "title",
        "resource_type",
        "publisher",
        "status",
        "last_reviewed",
        "link_check",
        "preview_link",
    ]
    list_display_links = ["title"]
    list_filter = ["status", "resource_type", "topics", "stages", "publisher", LinkCheckFilter]
    list_select_related = ["publisher"]
    search_fields = ["title", "summary"]
    search_help_text = "Search titles and summaries."
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    about_fields = [
        "title",
        "slug",
        "summary",
        "body",
        "resource_type",
        "publisher",
        "published_on",
        "published_precision",
    ]
    document_fields = ["file", "file_format", "external_url", "link_check", "not_legal_advice"]
    checked_fields = ["file_format", "link_check"]
    placement_fields = ["topics", "stages"]
    content_fields = [*about_fields, *document_fields, *placement_fields]

    def get_fieldsets(self, request, obj=None):
        _content, *publishing = super().get_fieldsets(request, obj)
        document_fields = self.document_fields
        if obj is None:
            # Nothing has been uploaded or checked yet, so these would only say so.
            document_fields = [f for f in document_fields if f not in self.checked_fields]
        return [
            ("About the document", {"fields": self.about_fields}),
            (
                "The document",
                {
                    "fields": document_fields,
                    "description": "Upload the document, give the web address where it can be "
                    "read elsewhere, or both.",
                },
            ),
            (
                "Where it appears",
                {
                    "fields": self.placement_fields,
                    "description": "Tick the topics the document is about, and the stages of "
                    "the guide where it helps. It is listed under each one.",
                },
            ),
            *publishing,
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.checked_fields]

    @admin.display(description="File format and size")
    def file_format(self, resource):
        return resource.file_description or "No file uploaded"

    @admin.display(description="Link")
    def link_check(self, resource):
        if not resource.external_url:
            return "No web address"
        if resource.link_checked_at is None:
            return "Not checked"
        if resource.link_is_broken:
            return f"Broken ({resource.link_error or resource.link_status})"
        return "OK"

    def get_urls(self):
        file_url = path(
            "<path:object_id>/file/",
            self.admin_site.admin_view(self.file_view),
            name="guides_resource_file",
        )
        return [file_url, *super().get_urls()]

    def file_view(self, request, object_id):
        """The uploaded file, drafts included, for staff checking it before publishing."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such resource.")
        if not self.has_view_or_change_permission(request, obj):
            return TemplateResponse(request, "403.html", status=403)
        return file_response(obj)  # admin_view marks it never to be cached

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.replaced_file_name:
            self.delete_files_after_commit([form.replaced_file_name])

    def delete_model(self, request, obj):
        name = obj.file.name
        super().delete_model(request, obj)
        self.delete_files_after_commit([name])

    def delete_queryset(self, request, queryset):
        names = list(queryset.exclude(file="").values_list("file", flat=True))
        super().delete_queryset(request, queryset)
        self.delete_files_after_commit(names)

    def delete_files_after_commit(self, names):
        """Remove stored files once the change is saved; if it fails, the files stay."""
        storage = Resource._meta.get_field("file").storage
        for name in filter(None, names):
            transaction.on_commit(lambda name=name: storage.delete(name))

    def preview_context(self, request, obj):
        """The resource as its public page shows it, with its topics, stages and neighbours."""
        return resource_detail_context(obj)
