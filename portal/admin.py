from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .core.publishing import Status
from .feedback.admin import PageFeedbackAdmin, PageFeedbackSummaryMixin  # noqa: F401
from .models import Page
from .publishing_admin import PublishingAdminMixin
from .review_admin import ReviewableAdminMixin
from .site_search.admin import SearchTermAdmin  # noqa: F401


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
        # Rights first: looking the object up first would answer 404 or 403 and so tell
        # someone without rights which objects exist.
        if not self.has_view_or_change_permission(request):
            return TemplateResponse(request, "403.html", status=403)
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


class HistoryAdmin(SimpleHistoryAdmin):
    """History with diff and revert, for models edited by the Mutuals Team.

    The site (portal/admin_site.py) checks the ids in history addresses and how history is
    queried, for every history admin alike.
    """


class PublishingAdmin(
    PageFeedbackSummaryMixin, PublishingAdminMixin, PreviewAdminMixin, HistoryAdmin
):
    """Status, schedule, change notes, preview and history for content on the shared
    publishing base.

    `content_fields` are the model's own fields; the publishing ones are added here, and the
    preview link once the object has been saved, with what visitors said about its page.
    """

    content_fields = []
    list_filter = ["status"]
    actions = ["publish", "unpublish"]

    def get_readonly_fields(self, request, obj=None):
        # An object has no preview until it has been saved once.
        if obj is None:
            return ["created", "modified"]
        feedback = self.page_feedback_fields if self.shows_page_feedback(request, obj) else []
        return ["preview_link", "created", "modified", *feedback]

    def get_fieldsets(self, request, obj=None):
        publishing = self.publishing_fields(["status"])
        fieldsets = [(None, {"fields": self.content_fields})]
        if obj is None:
            return [*fieldsets, ("Publishing", {"fields": publishing})]
        feedback = []
        if self.shows_page_feedback(request, obj):
            feedback = [("Page feedback", {"fields": self.page_feedback_fields})]
        return [
            *fieldsets,
            ("Publishing", {"fields": [*publishing, "preview_link"]}),
            *self.change_fieldset(obj),
            *feedback,
            ("Record", {"classes": ["collapse"], "fields": ["created", "modified"]}),
        ]

    def _set_status(self, request, queryset, status, verb):
        # Saved one by one so that history records each change and who made it.
        changed = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save()
            changed += 1
        noun = (
            self.model._meta.verbose_name if changed == 1 else self.model._meta.verbose_name_plural
        )
        self.message_user(request, f"{changed} {noun} {verb}.", messages.SUCCESS)

    @admin.action(
        description="Publish the selected %(verbose_name_plural)s", permissions=["change"]
    )
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(
        description="Unpublish the selected %(verbose_name_plural)s", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "moved back to draft")


class PublishableAdmin(ReviewableAdminMixin, PublishingAdmin):
    """Admin for publishable content: PublishingAdmin with the owner and review dates and
    'Mark as reviewed' (portal/review_admin.py) around it. Marking as reviewed adds no change
    note and leaves the public 'Last updated' date alone."""

    actions = ["publish", "unpublish", "mark_reviewed"]


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    preview_template = "portal/page_detail.html"
    list_display = ["title", "slug", "status", "last_reviewed", "preview_link"]
    search_fields = ["title", "summary", "body"]
    content_fields = ["title", "slug", "summary", "body"]

    def preview_context(self, request, page):
        rows = [
            {"key": "Status", "value": page.get_status_display()},
            {"key": "Web address", "value": page.get_absolute_url()},
            {"key": "Last updated", "value": date_format(page.public_updated_at, "j F Y")},
        ]
        edit = reverse("admin:portal_page_change", args=[page.pk])
        rows[0].update(href=edit, action_text="Change")
        return {"page": page, "preview_rows": rows}


class SignInAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes counts expiry from the time of the sign-in it is checking, which it keeps
        # on the request; a request to this list is not a sign-in, so it counts from now.
        request.axes_attempt_time = None
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInAttemptAdmin)
