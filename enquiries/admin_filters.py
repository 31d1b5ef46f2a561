"""The enquiry list's own filters: overdue, due soon or not, emails with a problem, partner."""

from django.contrib import admin

from .access import handled_partner_id, sees_every_enquiry
from .models import DUE_SOON_WORKING_DAYS, EmailDelivery, due_soon_condition, overdue_condition


class OverdueFilter(admin.SimpleListFilter):
    title = "reply date"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Overdue"),
            ("soon", f"Due in the next {DUE_SOON_WORKING_DAYS} working days"),
            ("no", "Not overdue"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_condition())
        if self.value() == "soon":
            return queryset.filter(due_soon_condition())
        if self.value() == "no":
            return queryset.exclude(overdue_condition())
        return queryset


class EmailProblemFilter(admin.SimpleListFilter):
    title = "email"
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [("failed", "An email was given up on"), ("stuck", "An email is stuck")]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            deliveries = EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED)
        elif self.value() == "stuck":
            deliveries = EmailDelivery.objects.stuck()
        else:
            return queryset
        return queryset.filter(pk__in=deliveries.values("enquiry_id"))


class DestinationFilter(admin.RelatedFieldListFilter):
    """The partners to filter by, read from the partners rather than from every enquiry the
    list could show: all of them for those who see every enquiry, a handler's own alone."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        if sees_every_enquiry(request.user):
            limit = None
        else:
            # No partner handled: pk=None matches none.
            limit = {"pk": handled_partner_id(request.user)}
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=limit)
