"""The query-string toolkit the finder, the case study list and the directory share."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import QueryDict

from portal.cache import bump_content_version
from portal.core import querystring
from portal.core.querystring import (
    MAX_SEARCH_LENGTH,
    PAGE_NOT_RECOGNISED,
    KnownValuesField,
    KnownValuesFilter,
    QueryStringFilterSet,
    SearchTextField,
    SearchTextFilter,
    SortFilter,
    kept_form_classes,
    paginate,
    pagination_links,
)
from portal.models import Page


class ColourFilterSet(QueryStringFilterSet):
    """A list with a search, two checkbox filters and a sort that only a search can use."""

    q = SearchTextFilter(label="Search")
    colour = KnownValuesFilter(label="Colour", choices=[("red", "Red"), ("blue", "Blue")])
    size = KnownValuesFilter(label="Size", choices=[("s", "Small"), ("l", "Large")])
    sort = SortFilter(
        choices=[("relevance", "Relevance"), ("recent", "Most recent"), ("title", "Title")]
    )

    FACETS = ("colour", "size")
    DEFAULT_SORT = "recent"
    SEARCH_SORTS = ("relevance",)

    class Meta:
        model = Page
        fields = []

    url = "/things/"


def filterset(query=""):
    return ColourFilterSet(QueryDict(query), queryset=Page.objects.none())


class ShadeFilterSet(QueryStringFilterSet):
    """A list whose filter's options are read when it is made, as the finder's are."""

    shade = KnownValuesFilter(label="Shade")
    FACETS = ("shade",)
    shades = [("light", "Light")]

    class Meta:
        model = Page
        fields = []

    url = "/shades/"

    def __init__(self, data=None, **kwargs):
        super().__init__(data, queryset=Page.objects.none(), **kwargs)
        self.filters["shade"].extra["choices"] = list(self.shades)


def test_the_kept_form_follows_a_filters_options(monkeypatch):
    assert ShadeFilterSet(QueryDict("shade=light&shade=dark")).values["shade"] == ["light"]
    monkeypatch.setattr(ShadeFilterSet, "shades", [("light", "Light"), ("dark", "Dark")])
    values = ShadeFilterSet(QueryDict("shade=light&shade=dark")).values
    assert values["shade"] == ["light", "dark"]


def test_the_kept_forms_are_made_afresh_for_a_new_content_version(page_cache):
    assert ShadeFilterSet(QueryDict("shade=light")).values["shade"] == ["light"]
    assert any(key[0] is ShadeFilterSet for key in kept_form_classes())
    bump_content_version()
    assert not kept_form_classes()


def test_past_the_limit_forms_are_made_but_not_kept(monkeypatch):
    monkeypatch.setattr(querystring, "KEPT_FORM_CLASSES_LIMIT", 0)
    assert ShadeFilterSet(QueryDict("shade=light")).values["shade"] == ["light"]
    assert not kept_form_classes()


# Fields --------------------------------------------------------------------------------------


def test_known_values_keeps_each_known_value_once_in_the_order_given():
    field = KnownValuesField(choices=[("a", "A"), ("b", "B")], required=False)

    assert field.clean(["b", "nope", "a", "b"]) == ["b", "a"]
    assert field.clean([]) == []


def test_search_text_loses_control_characters_and_extra_spaces_and_is_capped():
    field = SearchTextField(required=False)

    assert field.clean(" pen\x00sions \t\n fair ") == "pen sions fair"
    assert len(field.clean("x" * 1000)) == MAX_SEARCH_LENGTH


# What a FilterSet understood -----------------------------------------------------------------


def test_values_keep_the_known_and_drop_the_unknown_one_by_one():
    values = filterset("colour=red&colour=green&size=l&q=hats&sort=title").values

    assert values == {
        "colour": ["red"],
        "size": ["l"],
        "q": "hats",
        "sort": "title",
        "sort_chosen": True,
    }


def test_default_sort_and_a_search_sort_only_with_a_search():
    assert filterset().values["sort"] == "recent"
    assert filterset("q=hats").values["sort"] == "relevance"
    without_search = filterset("sort=relevance").values
    assert (without_search["sort"], without_search["sort_chosen"]) == ("recent", False)


def test_notices_name_each_ignored_filter_and_sort_but_not_empty_values():
    assert filterset("colour=green&size=xl&sort=sideways").notices() == [
        "We ignored a colour filter we did not recognise.",
        "We ignored a size filter we did not recognise.",
        "We ignored a sort order we did not recognise.",
    ]
    assert filterset("colour=&size=&sort=&q=").notices() == []


def test_a_long_search_is_reported():
    notices = filterset(f"q={'x' * (MAX_SEARCH_LENGTH + 1)}").notices()

    assert notices == [
        f"Your search was longer than {MAX_SEARCH_LENGTH} characters, "
        f"so we searched for the first {MAX_SEARCH_LENGTH}."
    ]


def test_state_holds_only_what_was_understood_in_a_fixed_order():
    chosen = filterset("sort=title&size=l&colour=green&colour=red&q=hats")

    assert chosen.state() == [("q", "hats"), ("colour", "red"), ("size", "l"), ("sort", "title")]
    assert chosen.state(sort=False) == [("q", "hats"), ("colour", "red"), ("size", "l")]
    assert chosen.is_filtered
    assert not filterset("sort=title").is_filtered


def test_a_search_sort_goes_when_the_search_does():
    chosen = filterset("q=hats&colour=red&sort=relevance")

    assert chosen.state(without=("q", "hats")) == [("colour", "red")]


def test_selected_tags_link_to_the_list_without_each_value():
    tags = filterset("q=hats&colour=red&size=l").selected_tags

    assert [tag["label"] for tag in tags] == ["Search: hats", "Colour: Red", "Size: Large"]
    assert tags[1]["href"] == "/things/?q=hats&size=l"


def test_facets_tick_the_chosen_options_and_carry_counts_when_given():
    chosen = filterset("colour=blue")

    facet = chosen.facet("colour", counts={"red": 3, "blue": 1})

    assert (facet.name, facet.legend) == ("colour", "Colour")
    assert [(o.value, o.checked, o.count) for o in facet.options] == [
        ("red", False, 3),
        ("blue", True, 1),
    ]
    assert [o.count for o in chosen.facet("size").options] == [None, None]


def test_sort_options_offer_the_search_sort_only_with_a_search_and_send_no_default():
    assert filterset().sort_options == [
        {"value": "", "text": "Most recent", "selected": True},
        {"value": "title", "text": "Title", "selected": False},
    ]
    searching = filterset("q=hats&sort=title").sort_options
    assert [(o["value"], o["selected"]) for o in searching] == [
        ("relevance", False),
        ("recent", False),
        ("title", True),
    ]


# Pages ---------------------------------------------------------------------------------------

ROWS = list(range(45))


@pytest.mark.parametrize("number", ["abc", "0", "-3", "1e9", "2.5"])
def test_a_page_number_not_understood_gives_the_first_page_and_says_so(number):
    page, notice = paginate(ROWS, number, 20)

    assert page.number == 1
    assert notice == PAGE_NOT_RECOGNISED


@pytest.mark.parametrize("number", [None, "", "1"])
def test_no_page_number_is_the_first_page_without_a_notice(number):
    assert paginate(ROWS, number, 20)[0].number == 1
    assert paginate(ROWS, number, 20)[1] == ""


def test_a_page_past_the_end_gives_the_last_page_and_says_so():
    page, notice = paginate(ROWS, "99999", 20)

    assert page.number == 3
    assert notice == "There are only 3 pages of results, so we are showing the last one."
    assert paginate([], "5", 20)[1] == (
        "There is only 1 page of results, so we are showing the last one."
    )


def test_page_links_keep_the_state_and_leave_out_page_one():
    page, _ = paginate(list(range(200)), "5", 20)

    links = pagination_links(page, "/things/", [("colour", "red")])

    assert links["previous"] == "/things/?colour=red&page=4"
    assert links["next"] == "/things/?colour=red&page=6"
    items = links["items"]
    assert items[0] == {"number": 1, "href": "/things/?colour=red", "current": False}
    assert {"ellipsis": True} in items
    assert [item["number"] for item in items if item.get("current")] == [5]
    for item in items:
        if "href" in item:
            assert dict(parse_qsl(urlsplit(item["href"]).query))["colour"] == "red"


def test_one_page_has_no_page_links():
    page, _ = paginate(ROWS[:5], "1", 20)

    assert pagination_links(page, "/things/", []) is None
