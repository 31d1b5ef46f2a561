from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from guides.models import Stage, Topic

from .models import (
    Answers,
    EmailDelivery,
    Enquiry,
    OrganisationType,
    Partner,
    Role,
    RoutingRule,
)


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "helps_with", "is_active", "is_fallback"]
    list_filter = ["is_active"]
    search_fields = ["name", "helps_with"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["stages", "topics"]


class RoutingRuleForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=RoutingRule._meta.get_field("roles").help_text,
    )
    organisation_types = forms.MultipleChoiceField(
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=RoutingRule._meta.get_field("organisation_types").help_text,
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "priority",
            "is_active",
            "topics",
            "stages",
            "roles",
            "organisation_types",
            "keywords",
            "destination",
            "copy_mutuals_team",
        ]


class TryRoutingForm(forms.Form):
    """Sample answers, as the contact form would give them."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("number"),
        required=False,
        empty_label="Not started yet",
    )
    role = forms.ChoiceField(choices=[("", "---------"), *Role.choices], required=False)
    organisation_type = forms.ChoiceField(
        choices=[("", "---------"), *OrganisationType.choices], required=False
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def answers(self):
        data = self.cleaned_data
        return Answers(
            topic_ids={t.pk for t in data["topics"]},
            stage_id=data["stage"].pk if data["stage"] else None,
            role=data["role"],
            organisation_type=data["organisation_type"],
            message=data["message"],
        )


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    form = RoutingRuleForm
    list_display = ["name", "priority", "destination", "copy_mutuals_team", "is_active"]
    list_editable = ["priority", "is_active"]
    list_filter = ["is_active", "destination"]
    list_select_related = ["destination"]
    search_fields = ["name", "keywords"]
    filter_horizontal = ["topics", "stages"]
    change_list_template = "admin/enquiries/routingrule/change_list.html"

    def get_urls(self):
        return [
            path(
                "try/",
                self.admin_site.admin_view(self.try_routing_view),
                name="enquiries_routingrule_try",
            ),
            *super().get_urls(),
        ]

    def try_routing_view(self, request):
        """Shows which rule sample answers would match, and why, without saving anything."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = TryRoutingForm(request.GET or None)
        result = None
        if form.is_bound and form.is_valid():
            answers = form.answers()
            evaluated = RoutingRule.objects.evaluate(answers)
            result = {
                "rules": evaluated,
                "decision": RoutingRule.objects.route(answers),
            }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Try the routing",
            "form": form,
            "result": result,
            "changelist_url": reverse("admin:enquiries_routingrule_changelist"),
        }
        return TemplateResponse(request, "admin/enquiries/routingrule/try.html", context)


class EmailDeliveryInline(admin.TabularInline):
    model = EmailDelivery
    extra = 0
    can_delete = False
    fields = ["kind", "partner", "recipients", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever may read an enquiry may see how its emails went.
        return request.user.has_perm("enquiries.view_enquiry")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "submitted_at", "organisation", "destination", "status", "due_on"]
    list_filter = ["status", "destination", "organisation_type", "role"]
    list_select_related = ["destination"]
    search_fields = ["reference", "name", "email", "organisation"]
    date_hierarchy = "submitted_at"
    inlines = [EmailDeliveryInline]
    readonly_fields = [
        "reference",
        "submitted_at",
        "due_on",
        "name",
        "email",
        "phone",
        "contact_method",
        "organisation",
        "organisation_type",
        "role",
        "service_area",
        "stage",
        "topic_names",
        "message",
        "rule",
        "rule_name",
        "destination",
        "copied_to_names",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "notes", "submitted_at", "due_on"]}),
        (
            "Enquirer",
            {
                "fields": [
                    "name",
                    "email",
                    "phone",
                    "contact_method",
                    "organisation",
                    "organisation_type",
                    "role",
                ]
            },
        ),
        ("Enquiry", {"fields": ["service_area", "stage", "topic_names", "message"]}),
        ("Routing", {"fields": ["destination", "copied_to_names", "rule", "rule_name"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics", "copied_to")

    @admin.display(description="Topics")
    def topic_names(self, obj):
        return ", ".join(t.name for t in obj.topics.all()) or "None"

    @admin.display(description="Copied to")
    def copied_to_names(self, obj):
        return ", ".join(p.name for p in obj.copied_to.all()) or "Nobody"

    def has_add_permission(self, request):
        # Enquiries come from the public form only.
        return False
