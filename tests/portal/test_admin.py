import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.core.publishing import Status
from portal.groups import GROUP_PERMISSIONS
from portal.models import Page


def test_migrate_creates_the_staff_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_PERMISSIONS)


def test_content_editors_may_edit_pages_but_not_users_or_groups(db):
    perms = set(
        Group.objects.get(name="Content editors").permissions.values_list("codename", flat=True)
    )

    assert {"add_page", "change_page", "delete_page", "view_page"} <= perms
    assert not any(p.endswith(("_user", "_group", "_permission")) for p in perms)


def test_enquiry_handlers_cannot_touch_content(db):
    perms = set(
        Group.objects.get(name="Enquiry handlers").permissions.values_list("codename", flat=True)
    )

    assert not any(p.endswith("_page") for p in perms)


def test_editor_sees_the_page_list_with_status_and_preview(editor_client, make_page):
    make_page(title="Cookies", slug="cookies")

    response = editor_client.get(reverse("admin:portal_page_changelist"))

    assert response.status_code == 200
    assert "Cookies" in response.content.decode()
    assert "Preview" in response.content.decode()


def test_editor_can_change_a_page_and_the_public_sees_it(editor_client, client, make_page):
    page = make_page(title="Cookies", slug="cookies")
    form = {
        "title": "Cookies on this site",
        "slug": "cookies",
        "summary": "",
        "body": "## Essential cookies\n\nWe set two.",
        "status": Status.PUBLISHED,
        "last_reviewed": "2026-11-24",
    }

    response = editor_client.post(reverse("admin:portal_page_change", args=[page.pk]), form)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Cookies on this site"
    assert page.history.count() == 2
    assert "Essential cookies" in client.get("/cookies/").content.decode()


def test_preview_shows_a_draft_to_an_editor(editor_client, make_page):
    page = make_page(title="Draft news", slug="draft-news", status=Status.DRAFT)

    response = editor_client.get(reverse("admin:portal_page_preview", args=[page.pk]))

    assert response.status_code == 200
    assert "Draft news" in response.content.decode()
    assert "This is a preview" in response.content.decode()


def test_preview_is_not_for_the_public(client, make_page):
    page = make_page(status=Status.DRAFT)

    response = client.get(reverse("admin:portal_page_preview", args=[page.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_outside_content_editors_cannot_open_pages(client, make_staff, make_page):
    page = make_page()
    client.force_login(make_staff("Enquiry handlers"))

    assert client.get(reverse("admin:portal_page_changelist")).status_code == 403
    assert client.get(reverse("admin:portal_page_preview", args=[page.pk])).status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_page_changelist_query_count_is_flat(
    editor_client, make_page, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_page()

    # The same number of queries whether the list holds one page or thirty.
    with django_assert_num_queries(7):
        editor_client.get(reverse("admin:portal_page_changelist"))


def test_admin_is_titled_for_the_service(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()

    assert "Mutuals Information Service admin" in html
    assert Page.objects.count() == 0


@pytest.mark.parametrize("object_id", ["999", "not-a-number"])
def test_preview_of_a_missing_page_is_a_404(editor_client, object_id):
    response = editor_client.get(reverse("admin:portal_page_preview", args=[object_id]))

    assert response.status_code == 404


def test_page_history_lists_edits_and_revert_restores_one(editor_client, make_page):
    page = make_page(title="Cookies", slug="cookies")
    first = page.history.earliest()
    page.title = "Cookies (changed)"
    page.save()

    history = editor_client.get(reverse("admin:portal_page_history", args=[page.pk]))
    assert history.status_code == 200
    assert "Cookies (changed)" in history.content.decode()

    revert_url = reverse("admin:portal_page_simple_history", args=[page.pk, first.history_id])
    initial = editor_client.get(revert_url).context["adminform"].form.initial
    # An empty time (publish at, unpublish at) is sent as nothing.
    form = {name: value for name, value in initial.items() if value is not None}
    response = editor_client.post(revert_url, {**form, "last_reviewed": "2026-11-23"})

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Cookies"


def test_preview_summarises_status_address_and_date(editor_client, make_page):
    page = make_page(slug="draft-news", status=Status.DRAFT)

    html = editor_client.get(reverse("admin:portal_page_preview", args=[page.pk])).content.decode()

    assert '<dl class="govuk-summary-list">' in html
    assert "/draft-news/" in html
    assert "Draft" in html
