"""The admin for partners, routing rules, enquiries and who handles for which partner."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from portal.exports import csv_response
from portal.review_admin import ReviewableAdminMixin

from . import kept_counts, stats
from .access import sees_every_enquiry
from .admin_filters import DestinationFilter, EmailProblemFilter, OverdueFilter
from .admin_forms import (
    EnquiryTriageForm,
    ReplyForm,
    RoutingRuleForm,
    SubjectAccessForm,
    TryRoutingForm,
)
from .conversation import ask_for_verdict, send_reply
from .exports import TRIAGE_COLUMNS, subject_access_download, subject_access_report, triage_rows
from .models import (
    EmailDelivery,
    Enquiry,
    EnquiryNote,
    Message,
    Partner,
    PartnerMembership,
    RoutingRule,
    SatisfactionAnswer,
    SavedReply,
    overdue_condition,
)
from .triage import reassign


@admin.register(Partner)
class PartnerAdmin(ReviewableAdminMixin, SimpleHistoryAdmin):
    """Routing managers edit partners' public text and addresses; the fallback is superusers'."""

    list_display = ["name", "helps_with", "is_active", "is_fallback"]
    list_filter = ["is_active"]
    search_fields = ["name", "helps_with"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["stages", "topics"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else [*readonly, "is_fallback"]

    def save_model(self, request, obj, form, change):
        # Every way in (the form, a reverted version) saves here: only a superuser moves the
        # flag that decides where unmatched enquiries go.
        if not request.user.is_superuser:
            obj.is_fallback = Partner.objects.filter(pk=obj.pk, is_fallback=True).exists()
        super().save_model(request, obj, form, change)


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
    fields = ["kind", "partner", "recipients", "progress", "attempts", "last_error", "sent_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever may read an enquiry may see how its emails went.
        return request.user.has_perm("enquiries.view_enquiry")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EnquiryNoteInline(admin.StackedInline):
    """Notes are a record: anyone handling the enquiry adds one; nobody edits or deletes one."""

    model = EnquiryNote
    extra = 1
    can_delete = False
    # Who wrote a note and when is its heading (its __str__), so a new note shows only a box.
    fields = ["text"]
    verbose_name = "note"
    verbose_name_plural = "Notes"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Filters the kept counts answer (enquiries/kept_counts.py): a list filtered by these alone is
# counted from them rather than by counting its rows again.
KEPT_COUNT_FILTERS = {"status__exact": "status", "destination__id__exact": "destination_id"}


class IdsFirstChangeList(ChangeList):
    """Sorts by reading only the ids and the sort keys, which indexes hold, then reads in full
    the rows of the page alone: not every row of the table to sort them.

    In the list's own order, overdue first, no query sorts the rows: the overdue ones come in
    order from one index (enquiry_overdue), the rest from another (enquiry_newest), each
    stopping at the end of the page. A column's own order is sorted by the database from the
    index that holds every sort key (enquiry_list_order). Three queries, for one page or many.
    """

    def get_results(self, request):
        # Read by EnquiryAdmin.get_paginator, which Django's get_results asks for a paginator.
        request.enquiry_list_count = self.kept_count(request)
        super().get_results(request)
        ids = self.page_ids(self.result_list)
        page_rows = self.queryset.filter(pk__in=ids).order_by().only(*self.model_admin.list_fields)
        rows = {row.pk: row for row in page_rows}
        self.result_list = [rows[pk] for pk in ids if pk in rows]

    def page_ids(self, page):
        """The ids of the rows on `page`, the list's queryset sliced to the page, in order."""
        if self.params.get(ORDER_VAR):
            return list(page.values_list("pk", flat=True))
        start, end = page.query.low_mark, page.query.high_mark
        # The rows the ORDER BY of EnquiryAdmin.get_ordering puts first, then the others, each
        # in that ORDER BY's order: up to the page's end from each, then the page itself.
        overdue = overdue_condition()
        rows = self.queryset.values_list("pk", flat=True)
        first = rows.filter(overdue).order_by("due_on", "-submitted_at", "-pk")[:end]
        then = rows.exclude(overdue).order_by("-submitted_at", "-pk")[:end]
        return [*first, *then][start:end]

    def kept_count(self, request):
        """How many rows the list has, from the kept counts, when it is filtered by status or
        partner alone; else None."""
        counts = getattr(request, "enquiry_counts", None)
        filters = self.get_filters_params()
        if counts is None or self.query or not set(filters) <= set(KEPT_COUNT_FILTERS):
            return None
        wanted = {}
        for name, values in filters.items():
            if len(values) != 1:
                return None
            wanted[KEPT_COUNT_FILTERS[name]] = values[0]
        if "destination_id" in wanted:
            try:
                wanted["destination_id"] = int(wanted["destination_id"])
            except ValueError:
                return None
        return counts.total(**wanted)


@admin.register(Enquiry)
class EnquiryAdmin(SimpleHistoryAdmin):
    """Triage: each handler sees only their partner's enquiries; the Mutuals Team sees all.

    Every way in (list, search, filters, counts, detail, history, exports, actions) goes
    through get_queryset, which asks Enquiry.objects.visible_to.
    """

    form = EnquiryTriageForm
    list_display = [
        "reference",
        "overdue_tag",
        "submitted_at",
        "organisation",
        "destination",
        "status_label",
        "due_on",
    ]
    list_filter = [
        OverdueFilter,
        EmailProblemFilter,
        "status",
        "outcome",
        ("destination", DestinationFilter),
        "stage",
        "topics",
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["destination"]
    # 50 a page, as GOV.UK's own lists of cases show, rather than Django's 100: a handler reads
    # the top of the list, overdue first, and each row costs as much to make as the rest of the
    # page does, so the list comes twice as fast for the same use.
    list_per_page = 50
    # All the list's columns read: the rows of a page are read with these alone.
    list_fields = [
        "reference",
        "status",
        "outcome",
        "submitted_at",
        "due_on",
        "organisation",
        "destination__name",
    ]
    # A filtered list says "N results" without counting every visible enquiry again as well.
    show_full_result_count = False
    search_fields = ["reference", "name", "email", "organisation"]
    # No date hierarchy: the submitted-date filter covers it, and listing the years and months
    # that hold enquiries reads every row the list could show, twice, on every page.
    actions = ["export_selected"]
    inlines = [EnquiryNoteInline, EmailDeliveryInline]
    change_list_template = "admin/enquiries/enquiry/change_list.html"
    readonly_fields = [
        "reference",
        "submitted_at",
        "due_on",
        "closed_at",
        "anonymised_at",
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
    handling_fields = ["reference", "status", "outcome", "submitted_at", "due_on", "closed_at"]
    reassign_fields = ["destination", "reassign_to", "reassign_reason"]

    def get_fieldsets(self, request, obj=None):
        handling = [*self.handling_fields]
        if obj is not None and obj.anonymised_at:
            handling.append("anonymised_at")
        reassign = [*self.reassign_fields]
        if not self.has_change_permission(request, obj):
            reassign = ["destination"]
        return [
            (None, {"fields": handling}),
            ("Who answers it", {"fields": reassign}),
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
            ("Routing", {"fields": ["copied_to_names", "rule", "rule_name"]}),
        ]

    def get_queryset(self, request):
        # Built here rather than by super(), which sorts before the sort keys are annotated.
        return (
            Enquiry.objects.visible_to(request.user)
            .with_overdue()
            .order_by(*self.get_ordering(request))
        )

    def get_changelist(self, request, **kwargs):
        return IdsFirstChangeList

    def get_paginator(self, request, queryset, per_page, **kwargs):
        paginator = super().get_paginator(request, queryset, per_page, **kwargs)
        known = getattr(request, "enquiry_list_count", None)
        if known is not None:
            paginator.count = known  # so it does not count the rows again
        return paginator

    def get_ordering(self, request):
        # Overdue first, the longest overdue at the top; then the newest.
        return ["-overdue", "overdue_due_on", "-submitted_at"]

    @admin.display(description="Overdue", ordering="-overdue")
    def overdue_tag(self, obj):
        if obj.overdue:
            return mark_safe('<strong class="enquiry-tag enquiry-tag--overdue">Overdue</strong>')
        return ""

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        if obj.outcome:
            return f"{obj.get_status_display()}: {obj.get_outcome_display().lower()}"
        return obj.get_status_display()

    @admin.display(description="Topics")
    def topic_names(self, obj):
        return ", ".join(t.name for t in obj.topics.all()) or "None"

    @admin.display(description="Copied to")
    def copied_to_names(self, obj):
        return ", ".join(p.name for p in obj.copied_to.all()) or "Nobody"

    def has_add_permission(self, request):
        # Enquiries come from the public form only.
        return False

    def revert_disabled(self, request, obj=None):
        return True

    # Another partner's enquiry does not exist as far as a handler can tell: 404, not 403.
    def visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No enquiry matches that address.")
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.visible_or_404(request, object_id)
        context = {**(extra_context or {}), **self.conversation_context(request, obj)}
        return super().change_view(request, object_id, form_url, context)

    def saved_replies(self, request):
        """The saved replies a handler may start from: those with "view saved reply"."""
        if request.user.has_perm("enquiries.view_savedreply"):
            return SavedReply.objects.all()
        return None

    def conversation_context(self, request, obj, reply_form=None):
        """The timeline of messages on the change page, and the reply form for those who may
        change the enquiry. Both only ever for an enquiry get_queryset lets them see."""
        may_reply = self.has_change_permission(request, obj) and bool(obj.email)
        if may_reply and reply_form is None:
            reply_form = ReplyForm(enquiry=obj, saved_replies=self.saved_replies(request))
        conversation = (
            Message.objects.visible_to(request.user)
            .filter(enquiry=obj)
            .select_related("author", "partner", "delivery")
            .in_order()
        )
        return {
            "conversation": conversation,
            "reply_form": reply_form if may_reply else None,
            "reply_url": reverse("admin:enquiries_enquiry_reply", args=[obj.pk]),
        }

    def reply_view(self, request, object_id):
        """Send a reply, or put a saved reply in the box without sending.

        Opened as a page (a bookmark, a reloaded error), it goes back to the conversation.
        """
        obj = self.visible_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(obj.get_admin_url() + "#conversation")
        if not self.has_change_permission(request, obj) or not obj.email:
            raise PermissionDenied
        form = ReplyForm(request.POST, enquiry=obj, saved_replies=self.saved_replies(request))
        if "_use_saved_reply" in request.POST:
            form = form.filled_from_saved_reply() or form
            return self.render_with_reply_form(request, obj, form)
        if not form.is_valid():
            return self.render_with_reply_form(request, obj, form)
        send_reply(obj, form.cleaned_data["body"], request.user, form.cleaned_data["close_as"])
        self.message_user(request, f"Your reply to {obj} is on its way.", messages.SUCCESS)
        return HttpResponseRedirect(obj.get_admin_url() + "#conversation")

    def render_with_reply_form(self, request, obj, form):
        """The change page as it stands, with the reply form as the handler left it."""
        request.method = "GET"
        return super().change_view(
            request,
            str(obj.pk),
            extra_context=self.conversation_context(request, obj, reply_form=form),
        )

    def delete_view(self, request, object_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.visible_or_404(request, object_id)
        if request.method != "GET":
            # Old versions are for reading: nothing is put back from them.
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        partner = form.cleaned_data.get("reassign_to")
        if partner:
            obj._history_user = request.user
            reassign(obj, partner, form.cleaned_data["reassign_reason"], by=request.user)
            return
        closed_as_answered = (
            bool({"status", "outcome"} & set(form.changed_data))
            and obj.status == Enquiry.Status.CLOSED
            and obj.outcome == Enquiry.Outcome.ANSWERED
        )
        super().save_model(request, obj, form, change)
        if closed_as_answered:
            ask_for_verdict(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is EnquiryNote:
            for note in formset.save(commit=False):
                note.author = request.user
                note.save()
        else:
            super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        if not self.get_queryset(request).filter(pk=obj.pk).exists():
            self.message_user(
                request, f"{obj} was passed to {obj.destination}. It is no longer in your list."
            )
            return HttpResponseRedirect(reverse("admin:enquiries_enquiry_changelist"))
        return super().response_change(request, obj)

    def changelist_view(self, request, extra_context=None):
        # The summary's period is not a filter of the list: take it out before the list sees it.
        period = request.GET.get("period", stats.DEFAULT_PERIOD)
        if "period" in request.GET:
            request.GET = request.GET.copy()
            del request.GET["period"]
        days = stats.period_days(period)
        panels = kept_counts.list_panels(request.user, days)
        # The list's own count reads them too (IdsFirstChangeList.get_results).
        request.enquiry_counts = panels["counts"]
        status_counts = panels["counts"].by_status()
        query = request.GET.urlencode()
        export_url = reverse("admin:enquiries_enquiry_export")
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, *status_counts.get(value, (0, 0)))
                for value, label in Enquiry.Status.choices
            ],
            "overdue_total": sum(overdue for _total, overdue in status_counts.values()),
            "destination_counts": panels["counts"].by_destination(),
            "email_problems": panels["email_problems"],
            "export_url": f"{export_url}?{query}" if query else export_url,
            "can_export_subject_access": sees_every_enquiry(request.user),
            "reply_summary": panels["reply_summary"],
            "reply_period": str(days),
            "reply_periods": [(str(d), f"Last {d} days") for d in stats.PERIODS.values()],
            "list_query": [(k, v) for k in request.GET for v in request.GET.getlist(k)],
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="enquiries_enquiry_export"),
            path(
                "<path:object_id>/reply/",
                view(self.reply_view),
                name="enquiries_enquiry_reply",
            ),
            path(
                "subject-access/",
                view(self.subject_access_view),
                name="enquiries_enquiry_subject_access",
            ),
            *super().get_urls(),
        ]

    def export_csv(self, queryset):
        filename = f"enquiries-{timezone.localdate().isoformat()}.csv"
        return csv_response(filename, TRIAGE_COLUMNS, triage_rows(queryset))

    def export_view(self, request):
        """The list as filtered, searched and sorted on screen, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:enquiries_enquiry_changelist") + "?e=1")
        return self.export_csv(changelist.queryset)

    @admin.action(description="Download the selected enquiries as CSV", permissions=["view"])
    def export_selected(self, request, queryset):
        return self.export_csv(queryset)

    def subject_access_view(self, request):
        """For the Mutuals Team: everything held about one email address, as a JSON file."""
        if not (self.has_view_permission(request) and sees_every_enquiry(request.user)):
            raise PermissionDenied
        form = SubjectAccessForm(request.POST or None)
        nothing_found = False
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            report = subject_access_report(email)
            if report["enquiries"]:
                return subject_access_download(report)
            nothing_found = True
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Subject access request",
            "form": form,
            "nothing_found": nothing_found,
            "changelist_url": reverse("admin:enquiries_enquiry_changelist"),
        }
        return TemplateResponse(request, "admin/enquiries/enquiry/subject_access.html", context)


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    """Reply texts the Mutuals Team keeps; every handler can read and use them."""

    list_display = ["title", "updated_at"]
    search_fields = ["title", "body"]
    fields = ["title", "body"]


@admin.register(SatisfactionAnswer)
class SatisfactionAnswerAdmin(admin.ModelAdmin):
    """Enquirers' verdicts, to read: a partner's handlers see their partner's alone."""

    list_display = ["month", "partner", "score", "comment"]
    list_filter = ["score", ("partner", admin.RelatedOnlyFieldListFilter), "month"]
    list_select_related = ["partner"]
    fields = ["month", "partner", "score", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return SatisfactionAnswer.objects.visible_to(request.user).select_related("partner")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    """Which partner each handler works for. Only superusers change this (no group may)."""

    list_display = ["user", "partner"]
    list_filter = ["partner"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__username", "user__email", "partner__name"]
