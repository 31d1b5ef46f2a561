from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from portal.admin import HistoryAdmin, PublishableAdmin
from portal.core.publishing import Status

from .models import CaseStudy, Mutual, Outcome, ServiceArea
from .views import case_study_context


@admin.register(ServiceArea)
class ServiceAreaAdmin(HistoryAdmin):
    list_display = ["name", "slug", "position", "published_mutual_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "position"]

    def get_queryset(self, request):
        published = Q(mutuals__status=Status.PUBLISHED)
        return (
            super().get_queryset(request).annotate(mutual_count=Count("mutuals", filter=published))
        )

    @admin.display(description="Published mutuals", ordering="mutual_count")
    def published_mutual_count(self, area):
        return area.mutual_count


class OutcomeInline(admin.StackedInline):
    """What happened next: a year, a short sentence and where it comes from, with the help
    text under each box (a table would hide it in a tooltip).
    """

    model = Outcome
    extra = 0
    fields = ["year", "description", "source"]
    verbose_name = "event"
    verbose_name_plural = "What happened next"
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 50})},
    }


@admin.register(Mutual)
class MutualAdmin(PublishableAdmin):
    preview_template = "casestudies/mutual_preview.html"
    inlines = [OutcomeInline]
    list_display = [
        "name",
        "service_area",
        "region",
        "progress",
        "progress_year",
        "pathfinder",
        "status",
        "preview_link",
    ]
    list_display_links = ["name"]
    list_filter = ["status", "pathfinder", "progress", "service_area", "region", "legal_form"]
    list_select_related = ["service_area"]
    search_fields = ["name", "parent_body", "place"]
    prepopulated_fields = {"slug": ["name"]}
    content_fields = [
        "name",
        "slug",
        "pathfinder",
        "parent_body",
        "service_area",
        "legal_form",
        "place",
        "region",
        "progress",
        "progress_year",
        "year_spun_out",
        "staff_count",
        "contract_value",
        "website",
    ]

    def get_fieldsets(self, request, obj=None):
        content, *publishing = super().get_fieldsets(request, obj)
        content[1]["description"] = (
            "Fill in only what you have checked; leave the rest empty and it shows as "
            "'Not known'. Give the status the year it was true, and add anything that "
            "happened later under 'What happened next' below, each with its year."
        )
        return [content, *publishing]

    def preview_context(self, request, obj):
        return {"mutual": obj, "outcomes": list(obj.outcomes.all())}


@admin.register(CaseStudy)
class CaseStudyAdmin(PublishableAdmin):
    preview_template = "casestudies/case_study_detail.html"
    list_display = ["title", "mutual", "status", "featured", "last_reviewed", "preview_link"]
    list_display_links = ["title"]
    list_filter = ["status", "featured", "stages", "topics", "mutual__service_area"]
    list_select_related = ["mutual"]
    search_fields = ["title", "summary", "mutual__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["mutual"]
    story_fields = [name for name, _label in CaseStudy.SECTIONS]
    content_fields = [
        "title",
        "slug",
        "mutual",
        "summary",
        *story_fields,
        "stages",
        "topics",
        "pull_quote",
        "quote_attribution",
        "featured",
    ]

    def get_fieldsets(self, request, obj=None):
        _content, *publishing = super().get_fieldsets(request, obj)
        return [
            ("About the case study", {"fields": ["title", "slug", "mutual", "summary"]}),
            (
                "The story",
                {
                    "fields": self.story_fields,
                    "description": "Each section shows under its own heading. Leave a section "
                    "empty to leave it out: a section that would only say something is not "
                    "known is better left empty.",
                },
            ),
            (
                "Where it appears",
                {"fields": ["stages", "topics", "featured"]},
            ),
            ("Quote", {"fields": ["pull_quote", "quote_attribution"]}),
            *publishing,
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A handful of stages and topics: ticking boxes beats a two-list selector.
        kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.story_fields or db_field.name == "pull_quote":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 6})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def preview_context(self, request, obj):
        """The case study as its public page shows it, with its stages and neighbours."""
        return case_study_context(obj)
