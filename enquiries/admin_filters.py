"""The enquiry list's own filters: overdue, due soon or not, and emails with a problem."""

from django.contrib import admin

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
