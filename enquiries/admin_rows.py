"""The enquiry list's rows, made column by column rather than cell by cell.

Django's `items_for_result` looks up each column's field, works out its classes, formats and
escapes its value and builds the link to the enquiry with the list's filters again for every
cell of every row: most of the list's time. These rows are the same HTML (tests/enquiries/
test_admin_rows.py compares them with Django's), with what is the same on every row worked
out once a page. A column added to the list that is not known here sends the whole page back to
Django's way.
"""

from django.contrib.admin.templatetags.admin_list import ResultList, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


class EnquiryRows:
    """Each row of `cl`, the enquiry list's ChangeList, as Django's admin would render it."""

    def __init__(self, cl):
        self.cl = cl
        self.model_admin = cl.model_admin
        self.empty = self.model_admin.get_empty_value_display()
        self.fields = {field.name: field for field in cl.lookup_opts.fields}
        opts = cl.opts
        # The link to an enquiry, with the list's filters kept, is the same on every row but
        # for the id: worked out once for id 0, then split around it.
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=["0"],
            current_app=self.model_admin.admin_site.name,
        )
        url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
        before, _zero, after = url.partition("/0/")
        self.link = (escape(before) + "/", "/" + escape(after))
        self.select_label = _("Select this object for an action - {}")
        self.dates = {}

    def known(self):
        """Whether every column, and the way the list is shown, is one these rows know."""
        cl = self.cl
        return (
            not (cl.formset or cl.is_popup or cl.to_field)
            and list(cl.list_display_links or ()) == ["reference"]
            and all(hasattr(self, f"cell_{name}") for name in cl.list_display)
        )

    def __iter__(self):
        """Rows as Django's change_list_results.html takes them: each a list of its cells,
        here one piece of HTML holding them all."""
        if not self.known():
            yield from results(self.cl)
            return
        columns = [getattr(self, f"cell_{name}") for name in self.cl.list_display]
        for enquiry in self.cl.result_list:
            yield ResultList(None, [SafeString("".join(cell(enquiry) for cell in columns))])

    def cell_action_checkbox(self, enquiry):
        label = format_html(self.select_label, str(enquiry))
        return format_html(
            '<td class="action-checkbox"><input type="checkbox" name="_selected_action" '
            'value="{}" class="action-select" aria-label="{}"></td>',
            enquiry.pk,
            label,
        )

    def text(self, value):
        """Text as Django's display_for_value shows it: trimmed, or the empty sign."""
        if isinstance(value, str) and not isinstance(value, SafeString):
            value = value.strip()
        return self.empty if value in ("", None) else conditional_escape(value)

    def cell_reference(self, enquiry):
        before, after = self.link
        return (
            f'<th class="field-reference"><a href="{before}{enquiry.pk}{after}">'
            f"{self.text(enquiry.reference)}</a></th>"
        )

    def cell_overdue_tag(self, enquiry):
        return (
            f'<td class="field-overdue_tag">{self.text(self.model_admin.overdue_tag(enquiry))}</td>'
        )

    def date_cell(self, name, value):
        # Formatting a date is the dearest part of a row, and a page holds few different dates.
        shown = self.dates.get((name, value))
        if shown is None:
            shown = display_for_field(value, self.fields[name], self.empty)
            self.dates[name, value] = shown = conditional_escape(shown)
        return f'<td class="field-{name} nowrap">{shown}</td>'

    def cell_submitted_at(self, enquiry):
        return self.date_cell("submitted_at", enquiry.submitted_at)

    def cell_due_on(self, enquiry):
        return self.date_cell("due_on", enquiry.due_on)

    def cell_organisation(self, enquiry):
        return f'<td class="field-organisation">{self.text(enquiry.organisation)}</td>'

    def cell_destination(self, enquiry):
        partner = enquiry.destination
        shown = self.empty if partner is None else conditional_escape(partner)
        return f'<td class="field-destination nowrap">{shown}</td>'

    def cell_status_label(self, enquiry):
        label = self.text(self.model_admin.status_label(enquiry))
        return f'<td class="field-status_label">{label}</td>'
