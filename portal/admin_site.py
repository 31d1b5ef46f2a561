"""The admin site: Django's, with malformed addresses answered 400 or 404 rather than 500.

Every model registered with the admin, ours and other apps' alike, gets `MalformedAddressMixin`
put in front of its admin class, so a model added later is covered without changes here.
"""

from functools import cache, wraps

from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import (
    AutocompleteJsonView as DjangoAutocompleteJsonView,
)
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.db import DataError
from django.db.models import ForeignObjectRel
from django.db.models.fields.related import RelatedField
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .request_checks import NUL


class AdminConfig(DjangoAdminConfig):
    default_site = "portal.admin_site.AdminSite"


class AutocompleteJsonView(DjangoAutocompleteJsonView):
    """Django's autocomplete, refusing a request for a field that has none.

    Django answers 403 when the app, model or field is unknown and fails with a server error
    when the field is a reverse relation. An autocomplete exists only for a foreign key or
    many-to-many field of the model named, pointing at a model the admin has.
    """

    def process_request(self, request):
        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            field = model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, FieldDoesNotExist) as error:
            raise BadRequest("No such field.") from error
        if not isinstance(field, RelatedField) or not self.admin_site.is_registered(
            field.related_model
        ):
            raise BadRequest("That field has no autocomplete.")
        return super().process_request(request)

    def get_queryset(self):
        queryset = super().get_queryset()
        # Pages of an unordered list can repeat or miss rows.
        return queryset if queryset.ordered else queryset.order_by("pk")


class GuardedChangeListMixin:
    """The database refusing a filter value is a malformed address, as Django's own checks are.

    Django turns a value it cannot convert into "?e=1" but passes others to the database:
    text for an IP address column (a PostgreSQL error) or a number too big for SQLite. A year
    too big for a date fails in Python. All three now get Django's "?e=1" answer.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except (DataError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


@cache
def guarded_changelist(changelist_class):
    return type(changelist_class.__name__, (GuardedChangeListMixin, changelist_class), {})


def is_id(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


def id_or_404(field, value):
    if not is_id(field, unquote(value)):
        raise Http404("No such item.")


def history_manager(model):
    """The model's django-simple-history manager, or None when its history is not kept."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute) if attribute else None


class CheckedAutocompleteMixin:
    """An autocomplete that shows a refused form again when a sent value is not an id: Django's
    looks the sent values up as they are, and one that is not a number fails the query."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if is_id(target, v)], attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class MalformedAddressMixin:
    """Put in front of every admin class registered with the site."""

    def get_changelist(self, request, **kwargs):
        return guarded_changelist(super().get_changelist(request, **kwargs))

    def lookup_allowed(self, lookup, value, request):
        # A search index is for the search box: as a filter it only fails (always on SQLite).
        field_name = lookup.split("__", 1)[0]
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, SearchVectorField):
            return False
        # Django lets any list filter on a reverse relation: "?enquiries=7" on the partners
        # would tell a partner's handler which partner has someone else's enquiry.
        if isinstance(field, ForeignObjectRel) and field_name not in self.filtered_names(request):
            return False
        # Django splits a range on its comma and compiles whatever it gets: not two ends fails.
        if lookup.endswith("__range") and len(str(value).split(",")) != 2:
            return False
        return super().lookup_allowed(lookup, value, request)

    def filtered_names(self, request):
        """The fields the list's own filters start from."""
        names = set()
        for item in self.get_list_filter(request):
            if isinstance(item, tuple):
                item = item[0]
            if isinstance(item, str):
                names.add(item.split("__", 1)[0])
        return names

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, *args, **kwargs):
        # Django filters on the ticked ids as sent, so one that is not an id fails the query.
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            if not is_id(self.model._meta.pk, value):
                raise BadRequest("A ticked item is not an id.")
        return super().response_action(request, *args, **kwargs)

    def get_changeform_initial_data(self, request):
        # "?mutual=3" prefills a choice on the add form; an autocomplete looks the value up.
        initial = super().get_changeform_initial_data(request)
        for name, value in initial.items():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, RelatedField):
                for item in value if isinstance(value, list) else [value]:
                    try:
                        # run_validators checks the range too: SQLite cannot take a bigger id.
                        field.target_field.run_validators(field.target_field.to_python(item))
                    except ValidationError as error:
                        raise BadRequest(f"{name} is not an id.") from error
        return initial

    # django-simple-history's views pass the ids in the address straight to the database;
    # Django's own history view checks the object id itself.

    def history_view(self, request, object_id, extra_context=None):
        if history_manager(self.model):
            id_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        id_or_404(self.model._meta.pk, object_id)
        id_or_404(history_manager(self.model).model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        default = super().get_history_queryset
        if default.__func__ is not SimpleHistoryAdmin.get_history_queryset:
            return default(request, history_manager, pk_name, object_id)  # the admin's own
        # django-simple-history calls select_related() with no field names when a model has
        # no foreign keys, which Django 6.1 deprecates; only the editor needs joining.
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")


def refuse_malformed_requests(view):
    """Answer 400 for a NUL character in the query string or a number too big to look up.

    PostgreSQL refuses text holding a NUL, and the admin passes filter and search values to
    the database as they are. A number too big for SQLite or for a date is the sender's
    mistake too: filters on the lists answer Django's "?e=1" for it (GuardedChangeListMixin);
    this covers the rest, such as a form that looks up the ids it was sent.
    """

    @wraps(view)
    def checked(request, *args, **kwargs):
        if any(NUL in key + "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("NUL character in the query string.")
        try:
            return view(request, *args, **kwargs)
        except OverflowError as error:
            raise BadRequest("A number is too big.") from error

    return checked


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(refuse_malformed_requests(view), cacheable)

    def autocomplete_view(self, request):
        return AutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        from .dashboard import sections

        extra_context = {**(extra_context or {}), "dashboard": sections(request)}
        return super().index(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, MalformedAddressMixin):
            attributes = {
                "__module__": admin_class.__module__,
                "__qualname__": admin_class.__qualname__,
            }
            admin_class = type(
                admin_class.__name__, (MalformedAddressMixin, admin_class), attributes
            )
        super().register(model_or_iterable, admin_class, **options)
