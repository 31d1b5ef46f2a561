"""The site search over the shipped content: what a new user finds for "pension"."""

from django.urls import reverse

from portal.site_search.models import SearchTerm

SEARCH_URL = reverse("portal:search")

FAIR_DEAL = "The Fair Deal for pensions: an overview"
PENSION_TASKS = {
    "Plan for staff pensions",
    "Arrange pension scheme admission",
    "Choose a pension scheme for new staff",
}
CASE_STUDIES_ABOUT_PENSIONS = {
    "A primary care trust's community services become a community interest company",
    "NHS staff in Leicester form a social enterprise for homeless people",
    "Bringing community health and adult social care together in Swindon",
}


def results(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


def test_pension_finds_fair_deal_the_pension_tasks_and_the_case_studies(client, shipped):
    response = results(client, q="pension")
    page = response.context["page"]
    assert page.paginator.num_pages == 1
    found = {(document.kind, document.title) for document in page.object_list}
    assert ("resource", FAIR_DEAL) in found
    guide = {title for kind, title in found if kind == "guide"}
    assert guide >= PENSION_TASKS
    assert {title for kind, title in found if kind == "case-study"} == CASE_STUDIES_ABOUT_PENSIONS
    html = response.content.decode()
    for title in (FAIR_DEAL, *PENSION_TASKS, *CASE_STUDIES_ABOUT_PENSIONS):
        item = html.split(f">{title}</a>")[0].rsplit('<li class="app-finder-result">', 1)[1]
        label = {FAIR_DEAL: "Resource", **dict.fromkeys(PENSION_TASKS, "Guide")}.get(
            title, "Case study"
        )
        assert f'<span class="govuk-visually-hidden">Type: </span>{label}</p>' in item


def test_the_support_pages_partners_are_found(client, shipped):
    response = results(client, q="co-operative", type="page")
    urls = {document.url for document in response.context["page"].object_list}
    assert "/support/#co-operatives-uk" in urls


def test_pensoin_suggests_pension_and_both_searches_reach_the_admin(client, shipped, editor_client):
    visitor = type(client)()
    response = results(visitor, q="pensoin")
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"]["text"] == "pension"
    results(visitor, q="pension")
    listed = editor_client.get(reverse("admin:portal_searchterm_changelist"), {"period": 7})
    rows = {(term.words, term.most_found) for term in listed.context["cl"].result_list}
    assert rows == {("pensoin", 0), ("pension", response_count(visitor))}
    assert set(SearchTerm.objects.values_list("words", flat=True)) == {"pensoin", "pension"}


def response_count(client):
    return results(client, q="pension", searched="pension").context["page"].paginator.count
