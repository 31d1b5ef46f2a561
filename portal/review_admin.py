"""Reviewing in the admin: owners and review dates on every content form, 'Mark as reviewed'
as an action and as a button on the change page, and a filter for what is due."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format

from .core.reviewing import ReviewState, owned_by_condition, review_condition, review_due

REVIEW_FIELDS = ["owner_user", "owner_team", "last_reviewed", "review_by"]


class ReviewFilter(admin.SimpleListFilter):
    """Items by how soon they are due for review; no query of its own."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        from django.conf import settings

        return [
            (ReviewState.OVERDUE, "Overdue"),
            (ReviewState.DUE_SOON, f"Due in the next {settings.REVIEW_DUE_SOON_DAYS} days"),
            (ReviewState.NOT_DUE, "Not due"),
        ]

    def queryset(self, request, queryset):
        if self.value() in ReviewState.values:
            return queryset.filter(review_condition(self.value()))
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    """Items the signed-in user owns, themselves or through one of their teams."""

    title = "owner"
    parameter_name = "owner"
    MINE = "mine"

    def lookups(self, request, model_admin):
        return [(self.MINE, "Yours or your team's")]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.filter(owned_by_condition(request.user))
        return queryset


class ReviewableAdminMixin:
    """For the admin of a Reviewable model: put it before the ModelAdmin in the bases."""

    actions = ["mark_reviewed"]
    review_description = (
        "Who keeps this up to date, and when it is next checked. Reviewing changes no date "
        "the public sees as 'Last updated'."
    )

    # The list.

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        at = columns.index("preview_link") if "preview_link" in columns else len(columns)
        return [*columns[:at], "owner_display", "review_by", *columns[at:]]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReviewFilter, OwnerFilter]

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if related is True:
            return True
        if not related:
            # Django would have joined the list's own foreign keys itself.
            related = [
                name
                for name in self.list_display
                if isinstance(name, str) and self._is_foreign_key(name)
            ]
        return [*related, "owner_user", "owner_team"]

    def _is_foreign_key(self, name):
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return field.many_to_one

    @admin.display(description="Owner")
    def owner_display(self, obj):
        owner = obj.owner
        if owner is None:
            return "No owner"
        if obj.owner_user_id:
            return owner.get_full_name() or owner.get_username()
        return owner.name

    # The form.

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", []) if f not in REVIEW_FIELDS]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        review = ("Review", {"fields": REVIEW_FIELDS, "description": self.review_description})
        names = [name for name, _options in fieldsets]
        at = names.index("Record") if "Record" in names else len(fieldsets)
        return [*fieldsets[:at], review, *fieldsets[at:]]

    def get_readonly_fields(self, request, obj=None):
        # Only 'Mark as reviewed' moves it, so history says each time who reviewed and when.
        return [*super().get_readonly_fields(request, obj), "last_reviewed"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner_user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Left empty: the review date its topics call for, as ticked on this form.
        if obj.review_by is None and obj.has_review_topics() and "topics" in form.cleaned_data:
            slugs = [topic.slug for topic in form.cleaned_data["topics"]]
            obj.review_by = review_due(obj.last_reviewed, slugs)
        super().save_model(request, obj, form, change)

    # Marking as reviewed.

    def _mark_reviewed(self, request, objs):
        marked = []
        for obj in objs:
            obj.mark_reviewed()
            self.log_change(request, obj, "Marked as reviewed.")
            marked.append(obj)
        return marked

    @admin.action(
        description="Mark the selected %(verbose_name_plural)s as reviewed today",
        permissions=["change"],
    )
    def mark_reviewed(self, request, queryset):
        if self.model.has_review_topics():
            queryset = queryset.prefetch_related("topics")
        marked = self._mark_reviewed(request, queryset)
        opts = self.model._meta
        noun = opts.verbose_name if len(marked) == 1 else opts.verbose_name_plural
        self.message_user(request, f"{len(marked)} {noun} marked as reviewed.", messages.SUCCESS)

    def get_urls(self):
        opts = self.model._meta
        mark = path(
            "<path:object_id>/mark-reviewed/",
            self.admin_site.admin_view(self.mark_reviewed_view),
            name=f"{opts.app_label}_{opts.model_name}_mark_reviewed",
        )
        return [mark, *super().get_urls()]

    def mark_reviewed_view(self, request, object_id):
        """The change page's button: a POST, for someone who may change this item."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # Rights first, so someone without them cannot learn which items exist.
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        self._mark_reviewed(request, [obj])
        self.message_user(
            request,
            f"Marked as reviewed. Next review by {date_format(obj.review_by)}.",
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_mark_reviewed", args=[object_id])
        extra_context = {**(extra_context or {}), "mark_reviewed_url": url}
        return super().change_view(request, object_id, form_url, extra_context)
