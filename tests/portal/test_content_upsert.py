"""upsert(): the one way every app's loader writes a shipped row and its many-to-many links."""

import pytest

from enquiries.models import Partner
from portal.core.content import LoadReport, upsert


@pytest.fixture
def topics(make_topic):
    return make_topic("Tax"), make_topic("Pensions")


def load_partner(topics, reset=False):
    """Upsert one shipped partner linked to the first topic, as a loader would."""
    report = LoadReport()
    partner = upsert(
        Partner,
        {"slug": "co-ops"},
        {"name": "Co-ops", "description": "Shipped.", "notification_emails": "a@example.org"},
        reset,
        report,
        "Partners",
        m2m={"topics": [topics[0]]},
    )
    return partner, report


def test_a_new_row_gets_its_values_and_links(topics):
    partner, report = load_partner(topics)

    assert report.counts == {"Partners": {"created": 1, "updated": 0, "unchanged": 0}}
    assert report.written == {"Partners": [partner.pk]}
    assert list(partner.topics.all()) == [topics[0]]


def test_a_plain_rerun_keeps_edited_values_and_links(topics):
    partner, _ = load_partner(topics)
    Partner.objects.filter(pk=partner.pk).update(description="Edited.")
    partner.topics.set([topics[1]])

    _, report = load_partner(topics)

    partner.refresh_from_db()
    assert report.counts == {"Partners": {"created": 0, "updated": 0, "unchanged": 1}}
    assert report.written == {}
    assert partner.description == "Edited."
    assert list(partner.topics.all()) == [topics[1]]


@pytest.mark.parametrize("edit", ["values", "links", "both"])
def test_a_reset_puts_back_values_and_links_and_counts_the_row_once(topics, edit):
    partner, _ = load_partner(topics)
    if edit in ("values", "both"):
        Partner.objects.filter(pk=partner.pk).update(description="Edited.")
    if edit in ("links", "both"):
        partner.topics.set([topics[1]])

    _, report = load_partner(topics, reset=True)

    partner.refresh_from_db()
    assert report.counts == {"Partners": {"created": 0, "updated": 1, "unchanged": 0}}
    assert report.written == {"Partners": [partner.pk]}
    assert partner.description == "Shipped."
    assert list(partner.topics.all()) == [topics[0]]


def test_a_reset_of_an_unedited_row_leaves_it_alone(topics):
    partner, _ = load_partner(topics)

    _, report = load_partner(topics, reset=True)

    assert report.counts == {"Partners": {"created": 0, "updated": 0, "unchanged": 1}}
    assert partner.history.count() == 1
