"""Malformed addresses in the admin answer 200, 302, 400 or 404, never a server error.

Every model registered with the admin is swept, so one added later is covered without a new
test: its list with broken filters, sorting, paging and searches; every other address its
admin serves, with broken object and version ids; and the autocomplete for each of its fields.
"""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.exceptions import BadRequest
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from enquiries.models import Enquiry, Partner
from portal.admin_site import AdminSite, MalformedAddressMixin
from tests.factories import make_enquiry

# What a superuser may get for a request that is wrong in some way: the page itself when the
# bad part is ignored, Django's redirect for a bad filter or missing object, 400 or 404.
EXPECTED = {200, 302, 400, 404}
NUL = "\x00"
HUGE = "9" * 30
BAD_IDS = ["abc", NUL, HUGE, "-1", "1.5", "%", "a b"]

MODEL_ADMINS = list(admin.site._registry.values())


@pytest.fixture
def superuser_client(shipped, admin_user):
    """A superuser, shown the answer a browser gets rather than the exception behind it."""
    make_enquiry(Partner.objects.get(is_fallback=True))
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def wrong_answers(client, urls):
    """Each address that did not answer as expected, with its status and the error behind it.

    `urls` holds (address, statuses expected) pairs, or (address, statuses expected, form
    data) for a POST.
    """
    wrong = []
    for url, expected, *data in urls:
        # Each request on its own, as on a live site: a database error in one (which on
        # PostgreSQL aborts the transaction) must not fail the ones after it.
        savepoint = transaction.savepoint_create()
        response = client.post(url, data[0]) if data else client.get(url)
        transaction.savepoint_rollback(savepoint)
        if response.status_code not in expected:
            error = response.exc_info[1] if response.exc_info else ""
            sent = f" {data[0]!r}" if data else ""
            wrong.append(f"{response.status_code} {url!r}{sent} {type(error).__name__}: {error}")
    return wrong


def query(params):
    return "?" + urlencode(params)


def url_names(model_admin, arguments):
    """The names of the admin's addresses that take this many arguments."""
    return [
        pattern.name
        for pattern in model_admin.get_urls()
        if pattern.name and pattern.pattern.regex.groups == arguments
    ]


# Addresses that only take a POST (a button on the change page) answer a GET with 405.
POST_ONLY = ("_mark_reviewed", "_reply")


def expected_at(model_admin, name, superuser):
    """What an address may answer: also 403 where the admin lets nobody add or delete, and
    405 where it only takes a POST."""
    if name.endswith(POST_ONLY):
        return {*EXPECTED, 405}
    request = RequestFactory().get("/")
    request.user = superuser
    if name.endswith("_add") and not model_admin.has_add_permission(request):
        return {*EXPECTED, 403}
    if name.endswith("_delete") and not model_admin.has_delete_permission(request):
        return {*EXPECTED, 403}
    return EXPECTED


def lookup_names(model):
    """Every name a filter could start with: fields, relations both ways, and pk."""
    names = {"pk"}
    for field in model._meta.get_fields():
        names.add(field.name)
        if field.is_relation and not field.auto_created:
            names.add(f"{field.name}__id")
    return sorted(names)


def list_filter_names(model_admin):
    names = []
    for item in model_admin.list_filter:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, tuple):
            names.append(item[0])
        elif getattr(item, "parameter_name", None):
            names.append(item.parameter_name)
    return names


GENERAL_PARAMS = [
    {"q": NUL},
    {"q": "a" + NUL + "b"},
    {"q": "%"},
    {"p": "abc"},
    {"p": "-1"},
    {"p": HUGE},
    {"o": "x.y"},
    {"o": "99"},
    {"o": "-"},
    {"all": "abc"},
    {"no_such_field": "1"},
    {"no_such_field__exact": NUL},
    {"pk__no_such_lookup": "1"},
    {"_to_field": "no_such_field"},
    {"_popup": NUL},
    {"_changelist_filters": NUL},
    {"_facets": "abc"},
    {"e": "abc"},
    {NUL: "1"},
]


def list_params(model_admin):
    params = list(GENERAL_PARAMS)
    for name in lookup_names(model_admin.model):
        params += [{name: NUL}, {f"{name}__exact": "abc"}, {f"{name}__exact": HUGE}]
    for name in list_filter_names(model_admin):
        params += [{name: "abc"}, {name: HUGE}]
    if field := model_admin.date_hierarchy:
        params += [
            {f"{field}__year": "abc"},
            {f"{field}__year": HUGE},
            {f"{field}__year": "0"},
            {f"{field}__year": "2026", f"{field}__month": "13"},
            {f"{field}__year": "2026", f"{field}__month": "2", f"{field}__day": "31"},
            {f"{field}__year": "2026", f"{field}__month": "2", f"{field}__day": HUGE},
            {f"{field}__gte": "abc", f"{field}__lt": HUGE},
        ]
    return params


def list_urls(model_admin, superuser):
    """The list with every kind of broken parameter; the other addresses without an id (add,
    export and the like) with a few, and a bad value for every field."""
    opts = model_admin.model._meta
    changelist = f"{opts.app_label}_{opts.model_name}_changelist"
    url = reverse(f"admin:{changelist}")
    urls = [(url + query(params), EXPECTED) for params in list_params(model_admin)]
    for name in url_names(model_admin, 0):
        if name == changelist:
            continue
        url = reverse(f"admin:{name}")
        expected = expected_at(model_admin, name, superuser)
        params = [{NUL: "1"}, {"_changelist_filters": NUL}, {"_to_field": "nope"}, {"_popup": "a"}]
        for field in lookup_names(model_admin.model):
            params += [{field: "abc"}, {field: HUGE}]
        urls += [(url + query(p), expected) for p in params]
    return urls


def object_urls(model_admin, superuser):
    """Every address of the model's admin that takes ids, given bad ones."""
    real_id = model_admin.model._default_manager.values_list("pk", flat=True).first()
    urls = []
    for arguments in (1, 2):
        combinations = [[bad] * arguments for bad in BAD_IDS]
        if real_id is not None and arguments == 2:
            combinations += [[str(real_id), bad] for bad in BAD_IDS]
        elif real_id is not None:
            combinations += [[str(real_id)]]
        for name in url_names(model_admin, arguments):
            expected = expected_at(model_admin, name, superuser)
            for args in combinations:
                try:
                    url = reverse(f"admin:{name}", args=args)
                except NoReverseMatch:  # a converter that takes no such value
                    continue
                for params in ({}, {"_changelist_filters": NUL}, {"_to_field": "nope"}):
                    urls.append((url + query(params) if params else url, expected))
    return urls


def action_posts(model_admin, superuser):
    """The list's actions, sent with ticked items that are not ids."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get("/")
    request.user = superuser
    posts = [(url, EXPECTED, {"action": "no_such_action", "index": "0"})]
    for action in list(model_admin.get_actions(request))[:1]:
        for bad in ["abc", NUL, HUGE, "1.5"]:
            posts.append((url, EXPECTED, {"action": action, "_selected_action": bad, "index": 0}))
        posts.append((url, EXPECTED, {"action": action, "_selected_action": "1", "index": "x"}))
    return posts


def autocomplete_urls(model_admin):
    url = reverse("admin:autocomplete")
    opts = model_admin.model._meta
    names = {"app_label": opts.app_label, "model_name": opts.model_name}
    params = [
        names,
        {**names, "field_name": "no_such_field", "term": NUL},
        {**names, "model_name": NUL, "field_name": "id"},
        {**names, "app_label": "no_such_app", "field_name": "id"},
    ]
    for field in opts.get_fields(include_hidden=True):
        params += [
            {**names, "field_name": field.name},
            {**names, "field_name": field.name, "term": "a", "page": "abc"},
        ]
    return [(url + query(p), EXPECTED) for p in params]


# One test per model and kind of address, so the sweeps spread over the test workers; the
# shipped content is loaded once for the module (every test here asks for it).


def model_label(model_admin):
    return model_admin.model._meta.label_lower


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=model_label)
def test_a_malformed_list_address_never_breaks_the_admin(superuser_client, admin_user, model_admin):
    urls = list_urls(model_admin, admin_user)

    assert wrong_answers(superuser_client, urls) == []


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=model_label)
def test_a_malformed_object_address_never_breaks_the_admin(
    superuser_client, admin_user, model_admin
):
    urls = object_urls(model_admin, admin_user)

    assert wrong_answers(superuser_client, urls) == []


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=model_label)
def test_a_malformed_action_never_breaks_the_admin(superuser_client, admin_user, model_admin):
    posts = action_posts(model_admin, admin_user)

    assert wrong_answers(superuser_client, posts) == []


def test_an_action_on_an_item_that_is_not_an_id_is_a_bad_request(superuser_client):
    response = superuser_client.post(
        "/admin/guides/topic/",
        {"action": "delete_selected", "_selected_action": "abc", "index": "0"},
    )

    assert response.status_code == 400


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=model_label)
def test_a_malformed_autocomplete_request_never_breaks_the_admin(superuser_client, model_admin):
    urls = autocomplete_urls(model_admin)

    assert wrong_answers(superuser_client, urls) == []


def test_every_model_admin_has_the_sites_checks():
    assert isinstance(admin.site, AdminSite)
    assert all(isinstance(a, MalformedAddressMixin) for a in MODEL_ADMINS)


@pytest.mark.parametrize(
    "query_string",
    [
        "app_label=guides&model_name=stage&field_name=enquiries",
        "app_label=guides&model_name=topic&field_name=enquiries",
        "app_label=enquiries&model_name=partner&field_name=enquiries",
        "app_label=enquiries&model_name=partner&field_name=no_such_field",
        "app_label=enquiries&model_name=partner",
        "app_label=auth&model_name=user&field_name=user_permissions",  # not in the admin
    ],
)
def test_autocomplete_for_a_field_without_one_is_a_bad_request(superuser_client, query_string):
    response = superuser_client.get(f"/admin/autocomplete/?{query_string}")

    assert response.status_code == 400


def test_autocomplete_still_finds_what_is_asked_for(superuser_client):
    query_string = "app_label=guides&model_name=resource&field_name=publisher&term=Cabinet"

    response = superuser_client.get(f"/admin/autocomplete/?{query_string}")

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Cabinet Office"]


def test_a_nul_in_an_admin_filter_is_a_bad_request(superuser_client):
    response = superuser_client.get("/admin/enquiries/enquiry/?status__exact=%00")

    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in response.content.decode()


def test_a_year_too_big_for_a_date_gets_djangos_bad_filter_answer(superuser_client):
    response = superuser_client.get(f"/admin/enquiries/enquiry/?submitted_at__year={HUGE}")

    assert response.status_code == 302
    assert response["Location"] == "/admin/enquiries/enquiry/?e=1"


def test_an_id_too_big_for_the_database_gets_djangos_bad_filter_answer(superuser_client):
    response = superuser_client.get(f"/admin/enquiries/enquiry/?destination__exact={HUGE}")

    if connection.vendor == "sqlite":  # cannot take an integer that big
        assert response.status_code == 302
        assert response["Location"] == "/admin/enquiries/enquiry/?e=1"
    else:  # compares it, and finds nothing
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


def test_a_number_too_big_anywhere_else_in_the_admin_is_a_bad_request(rf, admin_user, shipped):
    def view(request):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    request = rf.get("/admin/enquiries/routingrule/try/")
    request.user = admin_user

    with pytest.raises(BadRequest):
        admin.site.admin_view(view)(request)


def test_a_filter_value_the_database_refuses_gets_djangos_bad_filter_answer(superuser_client):
    response = superuser_client.get("/admin/axes/accessattempt/?ip_address__exact=abc")

    if connection.vendor == "postgresql":  # refuses text that is not an address
        assert response.status_code == 302
        assert response["Location"] == "/admin/axes/accessattempt/?e=1"
    else:  # compares it as text, and finds nothing
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/guides/resource/add/?publisher=abc",
        f"/admin/casestudies/casestudy/add/?mutual={HUGE}",
    ],
)
def test_a_prefilled_choice_that_is_not_an_id_is_a_bad_request(superuser_client, url):
    assert superuser_client.get(url).status_code == 400


def test_a_search_index_is_not_a_filter(superuser_client):
    response = superuser_client.get("/admin/guides/resource/?search_vector=co-operative")

    assert response.status_code == 400


@pytest.mark.parametrize("version", ["abc", "1.5", "%00"])
def test_a_history_version_that_is_not_a_number_is_not_found(superuser_client, version):
    enquiry = Enquiry.objects.get()

    response = superuser_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/history/{version}/")

    assert response.status_code == 404


@pytest.mark.parametrize("model", ["enquiries/partner", "guides/stage"])
def test_the_history_of_an_object_id_that_is_not_a_number_is_not_found(superuser_client, model):
    assert superuser_client.get(f"/admin/{model}/abc/history/").status_code == 404
    assert superuser_client.get(f"/admin/{model}/1.5/history/1/").status_code == 404


def test_a_real_version_still_shows(superuser_client):
    partner = Enquiry.objects.get().destination
    version = partner.history.first()

    response = superuser_client.get(
        f"/admin/enquiries/partner/{partner.pk}/history/{version.history_id}/"
    )

    assert response.status_code == 200
    assert partner.name in response.content.decode()


def test_an_admin_that_lists_history_its_own_way_keeps_it():
    from simple_history.admin import SimpleHistoryAdmin

    class OwnHistoryAdmin(SimpleHistoryAdmin):
        def get_history_queryset(self, request, history_manager, pk_name, object_id):
            return "its own"

    site = AdminSite(name="elsewhere")
    site.register(Partner, OwnHistoryAdmin)

    assert site.get_model_admin(Partner).get_history_queryset(None, None, "id", 1) == "its own"


@pytest.mark.parametrize("value", ["1", "", HUGE, "1,2,3"])
def test_a_range_without_two_ends_is_a_bad_request(superuser_client, value):
    for url in ("/admin/enquiries/partner/", "/admin/enquiries/enquiry/"):
        response = superuser_client.get(url + "?" + urlencode({"id__range": value}))

        assert response.status_code == 400, url


@pytest.mark.parametrize(
    ("url", "field"),
    [("/admin/guides/resource/add/", "publisher"), ("/admin/casestudies/casestudy/add/", "mutual")],
)
@pytest.mark.parametrize("value", ["x", "1.5", "2026-13-45"])
def test_a_chosen_item_that_is_not_an_id_shows_the_form_again(superuser_client, url, field, value):
    response = superuser_client.post(url, {"title": "A title", field: value})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


def test_an_earlier_version_of_a_readiness_question_shows(superuser_client):
    from guides.readiness.models import Question

    question = Question.objects.first()
    version = question.history.first()

    response = superuser_client.get(
        f"/admin/guides/question/{question.pk}/history/{version.history_id}/"
    )

    assert response.status_code == 200
    assert question.text in response.content.decode()


def test_cleaning_up_expired_sign_in_attempts_works_from_the_list(superuser_client, settings):
    import datetime

    from axes.models import AccessAttempt
    from django.utils import timezone

    old = AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    recent = AccessAttempt.objects.create(
        username="another", ip_address="192.0.2.2", user_agent="", failures_since_start=5
    )

    response = superuser_client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [recent.pk], "index": 0},
    )

    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=model_label)
def test_a_list_filters_through_a_reverse_relation_only_where_its_filters_do(
    model_admin, rf, admin_user
):
    """A reverse relation names the rows pointing at each item: who wrote what, where each
    enquiry went. Only a filter the list offers may go through one."""
    request = rf.get("/")
    request.user = admin_user
    offered = model_admin.filtered_names(request)
    for relation in model_admin.model._meta.related_objects:
        allowed = model_admin.lookup_allowed(relation.name, "1", request)
        assert allowed == (relation.name in offered), relation.name
