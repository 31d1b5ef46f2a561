"""The enquiry list's table in the admin (templates/admin/enquiries/enquiry/change_list.html)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields

from enquiries.admin_rows import EnquiryRows

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def enquiry_result_list(cl):
    """Django's result_list, with the rows made by EnquiryRows."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(EnquiryRows(cl)),
    }
