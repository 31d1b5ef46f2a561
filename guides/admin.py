"""The guide's admin: stages with their tasks. The library's admin is in guides/library/admin.py."""

from django import forms
from django.contrib import admin
from django.db import models

from portal.admin import HistoryAdmin, PublishableAdmin
from portal.publishing_admin import PublishingAdminMixin
from portal.review_admin import ReviewableAdminMixin

from .library import admin as library_admin  # noqa: F401 - registers the library's models
from .models import Stage, Task
from .readiness import admin as readiness_admin  # noqa: F401 - registers the readiness check's
from .views import stage_context


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    ordering = ["position", "pk"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["position", "title", "slug", "optional", "relation", "status", "body"]
    show_change_link = True
    # Shorter boxes, so a stage's tasks fit on a screen or two.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 5})}}


@admin.register(Stage)
class StageAdmin(PublishableAdmin):
    preview_template = "guides/stage_detail.html"
    inlines = [TaskInline]
    list_display = ["__str__", "status", "last_reviewed", "task_count", "preview_link"]
    list_display_links = ["__str__"]
    search_fields = ["title", "summary", "body", "tasks__title"]
    prepopulated_fields = {"slug": ["title"]}
    content_fields = ["number", "title", "slug", "summary", "body", "end_result"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_task_count()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Tasks", ordering="task_count")
    def task_count(self, stage):
        if stage.published_task_count == stage.task_count:
            return stage.task_count
        return f"{stage.task_count} ({stage.published_task_count} published)"

    def preview_context(self, request, obj):
        """The stage among the published ones, with its published tasks, as visitors will see it."""
        stage = Stage.objects.with_listing_data().get(pk=obj.pk)
        others = Stage.objects.published().exclude(pk=obj.pk).with_listing_data()
        stages = sorted([stage, *others], key=lambda s: s.number)
        return stage_context(stage, stages, request.session)


@admin.register(Task)
class TaskAdmin(ReviewableAdminMixin, PublishingAdminMixin, HistoryAdmin):
    list_display = ["title", "stage", "position", "optional", "relation", "status"]
    list_filter = ["stage", "status", "optional"]
    list_select_related = ["stage"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "modified"]

    def get_fieldsets(self, request, obj=None):
        step_by_step = ["position", "optional", "relation", "status"]
        return [
            (None, {"fields": ["stage", "title", "slug", "body"]}),
            ("In the step-by-step", {"fields": self.publishing_fields(step_by_step)}),
            *self.change_fieldset(obj),
            ("Record", {"classes": ["collapse"], "fields": ["created", "modified"]}),
        ]

    ordering = ["stage__number", "position", "pk"]
