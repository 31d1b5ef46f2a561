from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .models import Page


class PreviewAdminMixin:
    """Adds a 'Preview' page to the change form that shows a draft as the public would see it."""

    preview_template = None

    def get_urls(self):
        opts = self.model._meta
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_context(self, request, obj):
        return {self.model._meta.model_name: obj}

    def preview_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such item.")
        if not self.has_view_or_change_permission(request, obj):
            return TemplateResponse(request, "403.html", status=403)
        context = {"preview": True, "breadcrumbs": [], **self.preview_context(request, obj)}
        return TemplateResponse(request, self.preview_template, context)

    @admin.display(description="Preview")
    def preview_link(self, obj):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
        return format_html(
            '<a href="{}">Preview<span class="visually-hidden"> {}</span></a>', url, obj
        )


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, SimpleHistoryAdmin):
    preview_template = "portal/page_detail.html"
    list_display = ["title", "slug", "status", "last_updated", "preview_link"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "body"]
    readonly_fields = ["preview_link", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "last_updated", "preview_link"]}),
        ("Record", {"classes": ["collapse"], "fields": ["created", "modified"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A page has no preview until it has been saved once.
        return self.readonly_fields if obj else ["created", "modified"]

    def get_fieldsets(self, request, obj=None):
        if obj:
            return self.fieldsets
        return [
            (None, {"fields": ["title", "slug", "summary", "body"]}),
            ("Publishing", {"fields": ["status", "last_updated"]}),
        ]
