"""The benchmark's account of where a page's time goes (portal/bench/breakdown.py)."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.bench.breakdown import PARTS, pages_to_break_down, print_breakdown, target_ratio
from portal.bench.pages import FLOORS, SEARCH_FLOOR
from portal.site_search.models import SearchTerm


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False  # as the run asks for it: every request is rendered


def test_each_page_is_split_into_parts_that_add_up_to_its_time(shipped, make_staff, capsys):
    make_staff("Content editors", username="bench-editor")
    pages = [
        ["plain", None, "/what-is-a-mutual/", 200],
        ["admin", "bench-editor", "/admin/", 200],
    ]
    call_command("benchmark", "--where-time-goes", json.dumps(pages))

    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["plain", "admin"]
    for spent in found.values():
        assert set(spent) == {"total_ms", *(f"{part}_ms" for part in PARTS)}
        parts = sum(spent[f"{part}_ms"] for part in PARTS)
        assert parts == pytest.approx(spent["total_ms"])
        assert spent["templates_ms"] > 0
        assert spent["sql_ms"] > 0  # the signed-in user's session, and the page's content
        assert spent["compression_ms"] > 0  # the site's own compression, whichever level


def test_a_page_that_answers_with_an_error_is_not_measured(db, capsys):
    pages = [["missing", None, "/no-such-page/", 200]]
    with pytest.raises(ValueError, match="/no-such-page/ answered 404"):
        call_command("benchmark", "--where-time-goes", json.dumps(pages))


def test_the_floors_are_measured_as_the_answer_they_are_meant_to_give(shipped, make_staff, capsys):
    make_staff("Mutuals Team handlers", username="bench-team")
    floors = [page for page in pages_to_break_down([], []) if page[0].startswith("floor:")]
    call_command("benchmark", "--where-time-goes", json.dumps(floors))

    found = json.loads(capsys.readouterr().out)
    assert list(found) == [label for label, *_ in FLOORS]
    assert all(spent["templates_ms"] > 0 for spent in found.values())


def test_the_search_floor_is_the_search_page_without_a_search(shipped, client):
    """What the searches cost beyond it is their own: it searches, ranks and counts nothing."""
    path = next(path for label, _who, path, _status in FLOORS if label == SEARCH_FLOOR)
    assert path.startswith(reverse("portal:search"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 200
    assert not [query for query in queries if "site_search" in query["sql"]]
    assert not SearchTerm.objects.exists()


def test_the_pages_broken_down_are_those_with_a_target_and_a_plain_page():
    found = pages_to_break_down(
        [("home", "/"), ("resources, keyword and 2 filters", "/resources/?q=x")],
        [("admin enquiries, Mutuals Team", "team", "/admin/enquiries/enquiry/")],
    )

    assert found == [
        ("what is a mutual (uncached)", None, "/what-is-a-mutual/", 200),
        ("resources, keyword and 2 filters", None, "/resources/?q=x", 200),
        ("admin enquiries, Mutuals Team", "bench-team", "/admin/enquiries/enquiry/", 200),
        ("floor: layout alone (page not found)", None, "/no-such-page/", 404),
        ("floor: site search, nothing searched for", None, "/search/?q=", 200),
        ("floor: admin list of a few rows", "bench-team", "/admin/enquiries/partner/", 200),
    ]
    assert target_ratio("resources, keyword and 2 filters") == 10
    assert target_ratio("admin enquiries, Mutuals Team") == 20
    assert target_ratio("home") is None


def test_the_table_gives_each_budget_in_milliseconds_of_a_workers_time():
    spent = {"total_ms": 9.0, "sql_ms": 2.0, "templates_ms": 5.0, "compression_ms": 0.5,
             "rest_ms": 1.5}  # fmt: skip
    report = {
        "settings": {"workers": 2},
        "baseline": {"minimal view": {"rps": 4000.0}},  # 0.5 ms of a worker each
        "pages": {"resources, keyword and 2 filters": {"rps": 200.0}},  # 10 ms each
        "admin": {},
        "floors": {"floor: admin list of a few rows": {"rps": 400.0}},  # 5 ms each
        "where time goes": {
            "what is a mutual (uncached)": spent,
            "resources, keyword and 2 filters": spent,
            "floor: admin list of a few rows": spent,
        },
    }
    lines = []
    print_breakdown(report, lines.append)

    assert "takes 0.50 ms of a worker under load" in lines[0]
    assert lines[2].split() == ["what", "is", "a", "mutual", "(uncached)", "-", "-",
                                "9.0", "2.0", "5.0", "0.5", "1.5"]  # fmt: skip
    assert lines[3].split()[-7:] == ["5.0", "10.0", "9.0", "2.0", "5.0", "0.5", "1.5"]
    # A floor has no budget of its own, and what it took under load beside its parts.
    assert lines[4].split()[-7:] == ["-", "5.0", "9.0", "2.0", "5.0", "0.5", "1.5"]
