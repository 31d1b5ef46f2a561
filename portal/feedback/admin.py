"""Visitors' answers in the admin: a read-only list, and a summary on each item's change page."""

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator

from .models import PageFeedback
from .pages import has_feedback

# Answers with something written in them shown on an item's change page; the list has the rest.
LATEST_ON_CHANGE_PAGE = 5


def item_key(item):
    """How the list's item filter names an item: app label, model name and id."""
    opts = item._meta
    return f"{opts.app_label}.{opts.model_name}.{item.pk}"


class ItemFilter(admin.SimpleListFilter):
    """Answers about one content item, as linked from its change page (?item=guides.stage.3)."""

    title = "item"
    parameter_name = "item"

    def item(self):
        try:
            app_label, model_name, pk = self.value().split(".")
            model = apps.get_model(app_label, model_name)
            pk = int(pk)
        except (AttributeError, LookupError, ValueError):
            return None
        if not has_feedback(model):
            return None
        return model, pk

    def lookups(self, request, model_admin):
        # Only the item being looked at, so the filter shows what the list is narrowed to.
        if self.value() is None:
            return []
        found = self.item()
        if found is None:
            return [(self.value(), "No such item")]
        model, pk = found
        item = model._default_manager.filter(pk=pk).first()
        return [(self.value(), str(item) if item else f"Deleted {model._meta.verbose_name}")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        found = self.item()
        if found is None:
            return queryset.none()
        model, pk = found
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return queryset.filter(content_type=content_type, object_id=pk)


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    """What visitors said, exactly as they said it: nobody can add or change an answer."""

    list_display = ["created", "answer", "page_link", "item_link", "went_wrong_summary"]
    list_filter = [
        "answer",
        "created",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ItemFilter,
    ]
    search_fields = ["path", "doing", "went_wrong"]
    list_per_page = 50
    fields = ["created", "answer", "page_link", "item_link", "doing", "went_wrong"]
    readonly_fields = fields

    def get_queryset(self, request):
        # One query per kind of item on the page, however many answers it lists.
        return super().get_queryset(request).select_related("content_type").prefetch_related("item")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Page", ordering="path")
    def page_link(self, feedback):
        return format_html('<a href="{}">{}</a>', feedback.path, feedback.path)

    @admin.display(description="Item")
    def item_link(self, feedback):
        item = feedback.item
        if item is None:
            return "-"
        opts = item._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
        return format_html('<a href="{}">{}</a> ({})', url, item, opts.verbose_name)

    @admin.display(description="What went wrong?")
    def went_wrong_summary(self, feedback):
        return Truncator(feedback.went_wrong).chars(80)


class PageFeedbackSummaryMixin:
    """For a content item's admin: visitors' answers about its page, on its change page."""

    page_feedback_fields = ["page_feedback"]

    def shows_page_feedback(self, request, obj):
        return (
            obj is not None
            and has_feedback(self.model)
            and request.user.has_perm("portal.view_pagefeedback")
        )

    @admin.display(description="Is this page useful?")
    def page_feedback(self, obj):
        answers = PageFeedback.objects.for_item(obj)
        written = answers.exclude(doing="", went_wrong="")
        list_url = reverse("admin:portal_pagefeedback_changelist")
        context = {
            "windows": answers.usefulness().values(),
            "latest": written[:LATEST_ON_CHANGE_PAGE],
            "list_url": f"{list_url}?{urlencode({'item': item_key(obj)})}",
        }
        return render_to_string("admin/portal/page_feedback_summary.html", context)
