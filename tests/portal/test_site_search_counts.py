"""The site search: partners, "Did you mean", the contact form's prefill, and the counts of
what people searched for with their admin list, dashboard panel and retention."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.site_search.counting import (
    looks_personal,
    normalise,
    record_search,
    remove_old_counts,
    retention_cutoff,
)
from portal.site_search.documents import rebuild
from portal.site_search.models import Kind, SearchCount, SearchDocument, SearchTerm, SearchWord
from portal.site_search.vocabulary import closest_words, words_in
from tests.scheduling import run_scheduled

SEARCH_URL = reverse("portal:search")
CHANGELIST = reverse("admin:portal_searchterm_changelist")
DAY = datetime.timedelta(days=1)


def search(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


def counted():
    """{words: (searches, results)} for today."""
    return {
        count.term.words: (count.searches, count.results)
        for count in SearchCount.objects.filter(day=timezone.localdate()).select_related("term")
    }


@pytest.fixture
def pension_resource(make_resource):
    return make_resource(
        title="Pension transfers explained", slug="pension-transfers", summary="About pensions."
    )


# Partners on the support page


def test_an_active_partner_is_found_as_a_page_that_opens_its_section(client, make_partner):
    partner = make_partner(
        "Pension Partners", slug="pension-partners", helps_with="Staff pension schemes"
    )
    response = search(client, q="pension")
    (document,) = response.context["page"].object_list
    assert (document.kind, document.title, document.url) == (
        Kind.PAGE,
        "Pension Partners",
        f"{reverse('enquiries:support')}#{partner.slug}",
    )
    assert '<span class="govuk-visually-hidden">Type: </span>Page</p>' in response.content.decode()


def test_an_inactive_partner_is_not_found(client, make_partner):
    partner = make_partner("Pension Partners", slug="pension-partners")
    partner.is_active = False
    partner.save()
    assert not SearchDocument.objects.exists()
    assert search(client, q="pension").context["page"].paginator.count == 0
    partner.is_active = True
    partner.save()
    assert SearchDocument.objects.get().title == "Pension Partners"


def test_rebuild_indexes_partners_and_the_vocabulary(make_partner):
    make_partner("Pension Partners", slug="pension-partners")
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    rebuild()
    assert SearchDocument.objects.get().url == "/support/#pension-partners"
    assert "pension" in set(SearchWord.objects.values_list("word", flat=True))


# "Did you mean"


def test_the_vocabulary_is_letters_only_without_stop_words_or_short_words():
    assert words_in("The Fair Deal, 2012: TUPE & pensions (an overview)!") == {
        "fair",
        "deal",
        "tupe",
        "pensions",
        "overview",
    }


def test_saving_a_document_adds_its_words(pension_resource):
    assert {"pension", "transfers", "explained", "pensions"} <= set(
        SearchWord.objects.values_list("word", flat=True)
    )


def test_a_misspelt_word_is_offered_the_closest_word(client, pension_resource):
    response = search(client, q="pensoin")
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] == {
        "text": "pension",
        "url": f"{SEARCH_URL}?q=pension",
    }
    html = response.content.decode()
    assert f'Did you mean <a class="govuk-link" href="{SEARCH_URL}?q=pension">pension</a>?' in html
    # The suggestion finds it.
    assert search(client, q="pension").context["page"].paginator.count == 1


def test_only_the_misspelt_words_are_replaced(client, pension_resource):
    response = search(client, q="Pensoin transfers")
    assert response.context["suggestion"]["text"] == "pension transfers"


def test_known_words_are_offered_nothing(client, pension_resource):
    response = search(client, q="explained transfers zzzzqqq")
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.content.decode()


def test_a_correction_that_would_find_no_more_is_not_offered(client, pension_resource):
    # "pension" is close to "pensoin", but "zzzzqqq" has nothing close: the corrected search
    # would still need "zzzzqqq", and find nothing.
    assert closest_words(["pensoin", "zzzzqqq"]) == {"pensoin": "pension"}
    response = search(client, q="pensoin zzzzqqq")
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.content.decode()


def test_a_word_the_search_already_finds_is_not_corrected(client, pension_resource):
    # Not a vocabulary word, but found: by its stem on PostgreSQL ("pensioning" is "pension"),
    # and inside "pension" on SQLite, which matches parts of words. Its correction finds the
    # same, so it is not offered.
    typed = "pensioning" if connection.vendor == "postgresql" else "pensio"
    assert closest_words([typed]) == {typed: "pension"}
    response = search(client, q=typed)
    assert response.context["page"].paginator.count == 1
    assert response.context["suggestion"] is None


def test_fewer_than_three_results_are_checked_for_a_correction(client, make_resource):
    for i in range(3):
        make_resource(title=f"Pension note {i}", slug=f"note-{i}")
    assert "suggestion" not in search(client, q="pension").context
    SearchDocument.objects.filter(title="Pension note 0").delete()
    # Checked, and every word is the site's own: nothing to suggest.
    assert search(client, q="pension").context["suggestion"] is None


def test_closest_words_is_one_query(pension_resource):
    with CaptureQueriesContext(connection) as queries:
        assert closest_words(["pensoin", "transferz", "explained"]) == {
            "pensoin": "pension",
            "transferz": "transfers",
        }
    assert len(queries) == 1


def test_a_search_with_a_suggestion_makes_the_same_queries_as_the_vocabulary_grows(
    client, pension_resource, make_resource
):
    search(client, q="pensoin")  # counted once, so each measured search is one update
    with CaptureQueriesContext(connection) as few:
        assert search(client, q="pensoin").context["suggestion"]["text"] == "pension"
    for i in range(30):
        make_resource(title=f"Wordy{'x' * i} note", slug=f"wordy-{i}", summary=f"Extra{i}.")
    search(client, q="pensoin")  # ranked afresh after the change, then kept
    with CaptureQueriesContext(connection) as many:
        assert search(client, q="pensoin").context["suggestion"]["text"] == "pension"
    assert len(many) == len(few)


def test_nothing_found_offers_the_guide_the_library_and_a_prefilled_question(client, db):
    html = search(client, q="zebra crossings").content.decode()
    assert f'href="{reverse("guides:overview")}"' in html
    assert f'href="{reverse("guides:resource-list")}"' in html
    assert f'href="{reverse("portal:contact")}?search=zebra%20crossings"' in html


# The contact form, started from a search


def message_field(client, **params):
    response = client.get(reverse("portal:contact"), params)
    assert response.status_code == 200
    return response.context["form"]["message"].value()


def test_the_contact_form_starts_with_the_search_words(client, db):
    assert message_field(client, search="  staff   pensions ") == (
        "I searched the site for ‘staff pensions’. My question is: "
    )


def test_the_prefill_is_cut_and_drops_control_characters(client, db):
    message = message_field(client, search="a\x07b " + "x" * 500)
    assert message == f"I searched the site for ‘ab {'x' * 197}’. My question is: "


def test_no_search_words_no_prefill(client, db):
    assert message_field(client, search="   ") is None
    assert message_field(client) is None


# What is counted


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("  Staff   PENSIONS ", "staff pensions"),
        ('"fair deal" -tupe', "fair deal -tupe"),
        ("pension?!", "pension"),
        ("- pension", "pension"),
    ],
)
def test_normalised_words(text, words):
    assert normalise(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "sam.jones@council.example.org pension",
        "pension 07700 900123",
        "call +44 (0)161 496 0000",
        "pension SW1A 1AA",
        "pension sw1a1aa",
        "Sam Jones 12/03/1980",
        "sam jones 12-3-80",
        "Sam Jones 12 March 1980",
        "Sam Jones 1st Mar 1980",
        "Sam Jones 1980-03-12",
        "reference 12345678",
    ],
)
def test_what_looks_personal_is_not_counted(client, db, text):
    assert looks_personal(text)
    search(client, q=text)
    assert not SearchTerm.objects.exists()
    assert not SearchCount.objects.exists()


@pytest.mark.parametrize("text", ["pension", "fair deal 2012", "tupe transfer", "section 75"])
def test_ordinary_searches_are_not_personal(text):
    assert not looks_personal(text)


def test_a_search_is_counted_per_day_with_its_results(client, pension_resource):
    search(client, q="Pension")
    search(client, q="  pension ")
    search(client, q="pensoin")
    assert counted() == {"pension": (2, 1), "pensoin": (1, 0)}
    term = SearchTerm.objects.get(words="pension")
    assert term.first_searched == timezone.localdate()


def test_only_words_day_and_numbers_are_kept():
    names = {field.name for field in SearchCount._meta.get_fields()}
    assert names == {"id", "term", "day", "searches", "results"}
    names = {field.name for field in SearchTerm._meta.get_fields()}
    assert names == {"id", "words", "first_searched", "dealt_with", "answered_by", "counts"}


def test_paging_sorting_and_filtering_the_same_search_are_not_counted(client, make_resource):
    for i in range(25):
        make_resource(title=f"Pension note {i}", slug=f"note-{i}")
    first = search(client, q="pension")
    search(client, q="pension", page=2)
    search(client, q="pension", sort="updated", searched="pension")
    search(client, q="pension", type="resource", searched="pension")
    # Page 2's link back to page 1 says what was searched.
    second = search(client, q="pension", page=2)
    assert second.context["pagination"]["previous"] == f"{SEARCH_URL}?q=pension&searched=pension"
    assert first.context["pagination"]["next"] == f"{SEARCH_URL}?q=pension&page=2"
    assert counted() == {"pension": (1, 25)}
    # New words typed on the results page are a new search.
    search(client, q="pension note", searched="pension")
    assert counted() == {"pension": (1, 25), "pension note": (1, 25)}


def test_the_results_form_carries_what_was_searched(client, pension_resource):
    html = search(client, q="pension").content.decode()
    assert '<input type="hidden" name="searched" value="pension">' in html


def test_a_search_with_nothing_to_look_for_is_not_counted(client, db):
    for text in ("", "   ", "the and", "!!!", '"""', "-pension"):
        search(client, q=text)
    assert not SearchTerm.objects.exists()


def test_counting_queries_are_constant(client, pension_resource):
    """A new search of the day: the update that finds nothing, the term and the count, each
    in a savepoint. The same search again: one update."""
    with CaptureQueriesContext(connection) as queries:
        assert record_search("pension", 1)
    writes = [q["sql"] for q in queries if "searchcount" in q["sql"] or "searchterm" in q["sql"]]
    assert len(writes) == 4, writes  # update, select term, insert term, insert count
    with CaptureQueriesContext(connection) as queries:
        assert record_search("pension", 1)
    assert len(queries) == 1
    assert counted() == {"pension": (2, 1)}


def test_a_search_is_counted_after_its_page_is_made(client, pension_resource):
    """The count's UPDATE locks the day's row for these words until the search's transaction
    ends, so it comes after every query the page makes, templates included."""
    search(client, q="pension")
    with CaptureQueriesContext(connection) as queries:
        search(client, q="pension")
    statements = [
        q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    counts = [i for i, sql in enumerate(statements) if "searchcount" in sql.lower()]
    assert counts == [len(statements) - 1], statements
    assert counted() == {"pension": (2, 1)}


def test_a_term_searched_again_on_a_later_day_gets_a_new_count(pension_resource):
    today = timezone.localdate()
    record_search("pension", 1, today=today - DAY)
    record_search("pension", 3, today=today)
    term = SearchTerm.objects.get()
    assert term.first_searched == today - DAY
    assert sorted(term.counts.values_list("day", "searches", "results")) == [
        (today - DAY, 1, 1),
        (today, 1, 3),
    ]


# Retention


def test_the_cutoff_is_13_months_back(settings):
    assert settings.SEARCH_COUNT_RETENTION_MONTHS == 13
    assert retention_cutoff(datetime.date(2026, 11, 30)) == datetime.date(2025, 10, 30)
    assert retention_cutoff(datetime.date(2027, 3, 31)) == datetime.date(2026, 2, 28)


def test_old_counts_and_terms_left_without_counts_are_deleted(db):
    today = datetime.date(2026, 11, 30)
    record_search("old", 0, today=datetime.date(2025, 10, 29))
    record_search("kept", 0, today=datetime.date(2025, 10, 30))
    record_search("both", 0, today=datetime.date(2025, 1, 1))
    record_search("both", 2, today=today)
    assert remove_old_counts(today) == {"search_counts": 2, "search_terms": 1}
    assert sorted(SearchTerm.objects.values_list("words", flat=True)) == ["both", "kept"]
    assert sorted(SearchCount.objects.values_list("term__words", "day")) == [
        ("both", today),
        ("kept", datetime.date(2025, 10, 30)),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_deletes_old_counts():
    today = timezone.localdate()
    record_search("recent", 0, today=today - 30 * DAY)
    record_search("ancient", 0, today=today - 500 * DAY)
    result = run_scheduled("portal.tasks.remove_old_search_counts")
    assert result.return_value == {"search_counts": 1, "search_terms": 1}
    assert list(SearchTerm.objects.values_list("words", flat=True)) == ["recent"]


# The admin: what people searched for


def searched(words, days_ago, searches, results, **term_fields):
    """A term with one day's count, `days_ago` days before today."""
    day = timezone.localdate() - days_ago * DAY
    term, _ = SearchTerm.objects.get_or_create(
        words=words, defaults={"first_searched": day, **term_fields}
    )
    SearchCount.objects.create(term=term, day=day, searches=searches, results=results)
    return term


@pytest.fixture
def searches(db):
    searched("pension", 1, 5, 4)
    searched("pension", 20, 10, 4)
    searched("pension", 60, 100, 4)
    searched("pensoin", 2, 3, 0)
    searched("pensoin", 40, 1, 0)
    searched("tupe", 10, 7, 2)
    searched("zebra", 0, 2, 0, dealt_with=True, answered_by="/resources/")


def listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [(term.words, term.searches) for term in response.context["cl"].result_list]


def test_top_searches_over_7_30_and_90_days(editor_client, searches):
    assert listed(editor_client, period=7) == [("pension", 5), ("pensoin", 3), ("zebra", 2)]
    assert listed(editor_client) == [("pension", 15), ("tupe", 7), ("pensoin", 3), ("zebra", 2)]
    assert listed(editor_client, period=30) == listed(editor_client)
    assert listed(editor_client, period=90) == [
        ("pension", 115),
        ("tupe", 7),
        ("pensoin", 4),
        ("zebra", 2),
    ]


def test_searches_that_found_nothing(editor_client, searches):
    assert listed(editor_client, period=90, found="nothing") == [("pensoin", 4), ("zebra", 2)]
    assert listed(editor_client, found="nothing", dealt_with__exact=0) == [("pensoin", 3)]
    assert listed(editor_client, found="something") == [("pension", 15), ("tupe", 7)]


def test_the_list_queries_do_not_grow(editor_client, searches):
    editor_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST)
    for i in range(40):
        searched(f"word{i}", i % 20, 2, 0)
    with CaptureQueriesContext(connection) as many:
        editor_client.get(CHANGELIST)
    assert len(many) == len(few)


def change(client, term, **data):
    url = reverse("admin:portal_searchterm_change", args=[term.pk])
    return client.post(url, {"dealt_with": "", "answered_by": "", **data})


def test_an_editor_marks_a_search_as_dealt_with(editor_client, searches):
    term = SearchTerm.objects.get(words="pensoin")
    response = change(editor_client, term, dealt_with="on", answered_by="/resources/")
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.dealt_with, term.answered_by) == (True, "/resources/")
    # The counts are not the editor's to change.
    change(editor_client, term, dealt_with="on", answered_by="/", words="changed")
    term.refresh_from_db()
    assert term.words == "pensoin"


@pytest.mark.parametrize(
    ("answered_by", "error"),
    [
        ("", "Enter the address of the page that now answers this search"),
        ("https://example.org/", "Enter an address on this site that starts with /"),
        ("//example.org/", "Enter an address on this site that starts with /"),
        ("/no-such-place/at/all/", "Enter an address on this site that starts with /"),
    ],
)
def test_dealt_with_needs_a_page_on_this_site(editor_client, searches, answered_by, error):
    term = SearchTerm.objects.get(words="pensoin")
    response = change(editor_client, term, dealt_with="on", answered_by=answered_by)
    assert response.status_code == 200
    assert error in response.content.decode()
    term.refresh_from_db()
    assert not term.dealt_with


def test_nobody_adds_or_deletes_counts(admin_client, editor_client, searches):
    term = SearchTerm.objects.get(words="pension")
    for client in (admin_client, editor_client):
        assert client.get(reverse("admin:portal_searchterm_add")).status_code == 403
        delete = reverse("admin:portal_searchterm_delete", args=[term.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SearchTerm.objects.filter(pk=term.pk).exists()


def test_the_editors_group_may_view_and_change_only(db):
    from django.contrib.auth.models import Group

    codenames = Group.objects.get(name="Content editors").permissions.filter(
        content_type__model="searchterm"
    )
    assert sorted(codenames.values_list("codename", flat=True)) == [
        "change_searchterm",
        "view_searchterm",
    ]


def test_the_header_search_reaches_the_admin(client, editor_client, pension_resource):
    anonymous = type(client)()
    anonymous.get(SEARCH_URL, {"q": "pension"})
    anonymous.get(SEARCH_URL, {"q": "pensoin"})
    assert listed(editor_client, period=7) == [("pension", 1), ("pensoin", 1)]
    assert listed(editor_client, period=7, found="nothing") == [("pensoin", 1)]


def test_the_privacy_notice_says_what_is_kept_and_for_how_long(client, site_pages, settings):
    settings.SEARCH_COUNT_RETENTION_MONTHS = 7
    html = client.get("/privacy/").content.decode()
    assert "we count the words you searched for and how many results they found" in html
    assert "counts 7 months after that day." in html
