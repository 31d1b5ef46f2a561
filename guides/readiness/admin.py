"""The readiness check in the admin: questions with their answer options and rules, "Try it",
and the monthly counts of results (read only)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from portal.core.publishing import Status

from ..models import Stage, Task
from .forms import TryItForm
from .models import Option, Question, ReadinessCount
from .rules import RuleSet, rule_problems, score, stored_problems


def saved_rule_pairs(exclude_pk=None):
    """Every saved question but one, with its options and their tasks, for checking rules."""
    questions = Question.objects.exclude(pk=exclude_pk).prefetch_related(
        "options__tasks_done__stage", "options__tasks_recommended__stage"
    )
    pairs = []
    for question in questions:
        options = list(question.options.all())
        for option in options:
            option._rule_tasks = [*option.tasks_done.all(), *option.tasks_recommended.all()]
        pairs.append((question, options))
    return pairs


class OptionInlineFormSet(forms.BaseInlineFormSet):
    """Refuses a question whose answers would leave the rules unusable (rules.rule_problems)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        options = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            option = form.instance
            option._rule_tasks = [*data.get("tasks_done", []), *data.get("tasks_recommended", [])]
            options.append(option)
        pairs = [*saved_rule_pairs(exclude_pk=self.instance.pk), (self.instance, options)]
        problems = rule_problems(pairs, list(Stage.objects.in_order()))
        if problems:
            raise ValidationError(problems)


class OptionInline(admin.StackedInline):
    model = Option
    formset = OptionInlineFormSet
    extra = 0
    ordering = ["position", "pk"]
    fields = [
        "position",
        "label",
        "hint",
        "exclusive",
        "stage",
        "tasks_done",
        "tasks_recommended",
        "topics",
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("tasks_done", "tasks_recommended"):
            kwargs["queryset"] = Task.objects.select_related("stage").in_order()
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 8})
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("tasks_done", "tasks_recommended"):
            # Titles alone can repeat between stages.
            field.label_from_instance = lambda task: f"Stage {task.stage.number}: {task.title}"
        return field


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    inlines = [OptionInline]
    list_display = ["text", "position", "kind", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["text", "hint", "options__label"]
    fields = ["text", "slug", "hint", "kind", "error_message", "position", "status"]
    actions = ["publish", "unpublish"]
    change_list_template = "admin/guides/question/change_list.html"

    def get_urls(self):
        return [
            path(
                "try/",
                self.admin_site.admin_view(self.try_it_view),
                name="guides_question_try",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Fixed once saved: readers part-way through keep their answers under it, and the
        # shipped content (load_content) finds its questions by it.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        # Not a prepopulated_fields attribute: django-simple-history's page of an earlier
        # version reads that as it is, and fails on the slug this form has as read-only.
        return {"slug": ["text"]} if obj is None else {}

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # One at a time, through delete_view, which checks the rules first.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """Refuse to delete a question the rules cannot do without, before asking to confirm."""
        question = self.get_object(request, unquote(object_id))
        if question is None or not self.has_delete_permission(request, question):
            return super().delete_view(request, object_id, extra_context)
        pairs = saved_rule_pairs(exclude_pk=question.pk)
        problems = rule_problems(pairs, list(Stage.objects.in_order()))
        if problems:
            for problem in problems:
                self.message_user(
                    request, f"This question cannot be deleted: {problem}", messages.ERROR
                )
            return redirect("admin:guides_question_change", question.pk)
        return super().delete_view(request, object_id, extra_context)

    def _set_status(self, request, queryset, status, verb):
        """Publish or unpublish, unless the rules would then be unusable."""
        chosen = set(queryset.values_list("pk", flat=True))
        pairs = saved_rule_pairs()
        for question, _options in pairs:
            if question.pk in chosen:
                question.status = status
        problems = rule_problems(pairs, list(Stage.objects.in_order()))
        if problems:
            for problem in problems:
                self.message_user(request, f"Nothing was changed: {problem}", messages.ERROR)
            return
        changed = 0
        for question in queryset.exclude(status=status):
            question.status = status
            question.save()
            changed += 1
        self.message_user(request, f"{changed} question{'s' if changed != 1 else ''} {verb}.")

    @admin.action(description="Publish the selected questions", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Unpublish the selected questions", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "moved back to draft")

    def try_it_view(self, request):
        """Runs sample answers through the rules, as the result page would, saving nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        include_drafts = request.GET.get("include_drafts") == "on"
        rules = RuleSet.load(include_drafts=include_drafts)
        form = TryItForm(rules.questions, request.GET or None)
        result = None
        if form.is_bound and form.is_valid() and "try" in request.GET:
            result = score(rules, form.answers())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Try the readiness check",
            "form": form,
            "result": result,
            "problems": stored_problems(include_drafts=include_drafts),
            "changelist_url": reverse("admin:guides_question_changelist"),
        }
        return TemplateResponse(request, "admin/guides/question/try.html", context)


@admin.register(Option)
class OptionAdmin(SimpleHistoryAdmin):
    """Each answer and its rules, to read and to see their history. They are changed on their
    question's page, where the whole rule set is checked before it is saved."""

    list_display = ["label", "question", "stage"]
    list_filter = ["stage"]
    list_select_related = ["question", "stage"]
    search_fields = ["label", "question__text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting stays a right (a question's answers go with it), used only on the question's page.
    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        return {}

    def delete_view(self, request, object_id, extra_context=None):
        option = self.get_object(request, unquote(object_id))
        if option is None:
            return super().delete_view(request, object_id, extra_context)  # "no such answer"
        self.message_user(
            request,
            "Delete an answer on its question's page, where the rules are checked.",
            messages.WARNING,
        )
        return redirect("admin:guides_question_change", option.question_id)


@admin.register(ReadinessCount)
class ReadinessCountAdmin(admin.ModelAdmin):
    """What readers' results were, counted by month and stage: nothing to add or change."""

    list_display = ["month_name", "stage", "count"]
    list_filter = ["month", "stage"]
    list_select_related = ["stage"]

    @admin.display(description="Month", ordering="month")
    def month_name(self, row):
        return f"{row.month:%B %Y}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
