"""The law as it stands in late 2026 is on the page where a worker would look for it.

Each test loads the shipped content and reads a task, a resource or a whole page as a visitor
sees it, then checks facts by their key words rather than by the sentence that states them.
Where a detail may have changed, the page must say so and name the official source to check.
"""

import html
import re

import pytest

from guides.models import Resource, Stage, Task
from portal.models import Page
from tests.content_text import says

pytestmark = pytest.mark.django_db

MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def plain(markdown):
    """Markdown as a reader sees the words: link text kept, addresses and emphasis dropped."""
    return MARKDOWN_LINK.sub(r"\1", markdown).replace("**", "")


def task(stage_slug, task_slug):
    return Task.objects.published().get(stage__slug=stage_slug, slug=task_slug)


def task_text(stage_slug, task_slug):
    return plain(task(stage_slug, task_slug).body)


def resource_text(slug):
    resource = Resource.objects.get(slug=slug)
    return plain(f"{resource.summary}\n{resource.body}")


def page_text(client, url):
    """The visible text of a page, one line per block, without tags."""
    response = client.get(url)
    assert response.status_code == 200, url
    main = response.content.decode().split("<main", 1)[1]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"</(p|li|h[1-6]|div|dt|dd|td|th)>|<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def links_to_contact_or_names_a_source(markdown):
    return "(/contact/)" in markdown or "legislation.gov.uk" in markdown or "HMRC" in markdown


def says_check(text, *terms):
    """A sentence holding the terms and telling the reader to check (an official source)."""
    return says(text, "check", *terms)


# Buying services


def test_reserved_contracts_are_set_out_precisely(shipped):
    body = task_text("set-up-and-spin-out", "bid-for-the-contract")
    assert says(body, "section 33", "Procurement Act 2023")
    assert says(body, "competitive flexible procedure")
    assert says(body, "light-touch services", "regulations")
    # The mutual's three tests.
    assert says(body, "main purpose", "public services")
    assert says(body, "reinvest", "profits", "members")
    assert says(body, "employees", "control")
    # The term and the bar are named, and left for the reader to check in the Act.
    assert says(body, "maximum term")
    assert says(body, "recently won", "barred")
    assert says_check(body, "section 33", "legislation.gov.uk")
    assert says(body, "regulation 77", "Public Contracts Regulations 2015")
    assert says(body, "regulation 77", "3 years")
    assert links_to_contact_or_names_a_source(
        task("set-up-and-spin-out", "bid-for-the-contract").body
    )


def test_social_value_is_with_the_bid(shipped):
    body = task_text("set-up-and-spin-out", "bid-for-the-contract")
    assert says(body, "Public Services (Social Value) Act 2012", "social", "environmental")


def test_social_value_is_a_duty_not_a_request(shipped):
    myths = resource_text("working-with-the-public-sector-busting-the-myths")
    assert says(myths, "Public Services (Social Value) Act 2012", "requires", "consider")
    assert "still asks" not in myths


def test_the_stage_says_which_procurement_law_applies(client, shipped):
    stage = Stage.objects.get(slug="set-up-and-spin-out")
    text = page_text(client, stage.get_absolute_url())
    assert says(text, "Procurement Act 2023", "24 February 2025")
    assert says(text, "began before", "Public Contracts Regulations 2015")
    assert says(text, "1 January 2024", "health care", "Provider Selection Regime")
    assert says(text, "social care", "Procurement Act 2023")


def test_direct_award_needs_the_acts_grounds_and_a_transparency_notice(shipped):
    body = task_text("set-up-and-spin-out", "agree-a-direct-commissioning-route")
    assert says(body, "direct award", "only on the grounds", "Act")
    assert says(body, "transparency notice", "before")
    assert says(body, "exempt", "controls")
    assert says(body, "usually ends", "staff control")
    assert says(body, "Health Care Services (Provider Selection Regime) Regulations 2023")
    assert says(body, "public health")
    assert says(body, "Social care", "Procurement Act 2023")
    assert says_check(body, "legislation.gov.uk")


def test_re_tendering_warns_of_the_reserved_contract_term_and_bar(shipped):
    body = task_text("trade-and-grow", "prepare-for-re-tendering")
    assert says(body, "section 33", "reserved")
    assert says_check(body, "term", "bar", "legislation.gov.uk")


def test_rights_to_provide_are_past_policy_and_the_right_to_challenge_is_to_check(shipped):
    body = task_text("explore-the-idea", "find-out-about-rights-to-provide")
    assert says(body, "Rights to Provide", "2010", "2012")
    assert says(body, "policy, not a law")
    assert says(body, "Localism Act 2011", "made the Community Right to Challenge law")
    assert "is in law" not in body
    assert says_check(body, "English devolution and community empowerment legislation")
    hints = resource_text("right-to-provide-hints")
    assert says(hints, "Rights to Provide", "policy", "not law")
    history = plain(Page.objects.get(slug="what-is-a-mutual").body)
    assert says(history, "From 2010 to 2012", "Rights to Provide")
    assert says(history, "Rights to Provide were policy, not a law")
    assert says(history, "Localism Act 2011", "made the Community Right to Challenge law")
    assert says(history, "may since have changed", "where to check")
    assert "introduced Rights to Provide" not in history


def test_the_procurement_paper_is_brought_up_to_date(shipped):
    text = resource_text("procurement-options-for-new-mutuals")
    assert says(text, "Procurement Act 2023", "24 February 2025")
    assert says(text, "section 33", "competitive flexible procedure")
    assert says(text, "regulation 77", "3 years")
    assert says(text, "transparency notice")
    assert says(text, "usually ends", "staff control")
    assert says(text, "Provider Selection Regime", "1 January 2024")
    assert says_check(text, "Procurement Act 2023", "legislation.gov.uk")
    assert Resource.objects.get(slug="procurement-options-for-new-mutuals").not_legal_advice


def test_commissioners_are_named_as_they_are_now(shipped):
    body = task_text("explore-the-idea", "find-out-who-approves-a-spin-out")
    assert says(body, "integrated care boards", "replaced", "1 July 2022")
    assert says(body, "National Probation Service", "June 2021")


def test_no_page_speaks_of_ccgs_or_crcs_as_current(client, shipped):
    texts = [plain(t.body) for t in Task.objects.all()]
    texts += [plain(s.body) for s in Stage.objects.all()]
    texts += [resource_text(r.slug) for r in Resource.objects.all()]
    texts += [plain(Page.objects.get(slug="home").body)]
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
            lowered = sentence.lower()
            for old in ("clinical commissioning group", "community rehabilitation compan"):
                if old in lowered:
                    assert "replaced" in lowered or "took back" in lowered, sentence


# Staff and pensions


def test_new_fair_deal_and_the_lgps_are_explained_where_pensions_are_planned(shipped):
    body = task_text("build-the-business-case", "plan-for-staff-pensions")
    assert says(body, "New Fair Deal", "HM Treasury", "October 2013")
    assert says(body, "central government", "NHS", "schools")
    assert says(body, "admission body")
    assert "admitted body" not in body
    assert says(body, "Best Value Authorities Staff Transfers (Pensions) Direction 2007")
    assert says(body, "broadly comparable scheme")
    assert says(body, "exit payment", "regulation 64")
    # What a bond or guarantee is, in the words around it.
    assert says(body, "bond or guarantee")
    assert says(body, "promise", "pay the fund")
    # The consultation is unsettled: the page says so and where to check.
    assert says(body, "consulted", "Fair Deal", "LGPS")
    assert says_check(body, "legislation.gov.uk", "regulations")


def test_pension_admission_task_uses_the_schemes_terms(shipped):
    body = task_text("set-up-and-spin-out", "arrange-pension-admission")
    assert says(body, "admission body") and "admitted body" not in body
    assert says(body, "Direction 2007")
    assert says(body, "exit payment", "regulation 64")
    assert says_check(body, "Fair Deal", "legislation.gov.uk") or says_check(
        body, "legislation.gov.uk", "regulations"
    )


def test_tupe_task_gives_the_regulations_that_matter(shipped):
    body = task_text("build-the-business-case", "understand-tupe")
    assert says(body, "void", "economic, technical or organisational", "regulation 4(4)")
    assert says(body, "28 days", "regulation 11")
    assert says(body, "regulation 10", "old-age, invalidity and survivors' benefits")
    # Only those benefits stay behind, so the rest of a scheme's terms can move.
    assert says(body, "Regulation 10 excludes only those benefits")
    assert "Rights in such a scheme do not transfer" not in body
    assert says(body, "Enhanced early-retirement and redundancy terms", "Beckmann and Martin")
    assert says(body, "real cost")
    assert says(body, "Pensions Act 2004")
    assert says(body, "6%", "basic pay")
    assert says(body, "COSOP", "Statement of Practice")
    # "Occupational pension scheme" is explained where it is first used.
    assert says(body, "occupational pension scheme is", "employer")


def test_transfer_task_repeats_what_the_transfer_day_needs(shipped):
    body = task_text("set-up-and-spin-out", "transfer-staff-under-tupe")
    assert says(body, "28 days", "regulation 11")
    assert says(body, "regulation 4(4)")
    assert says(body, "COSOP")
    assert says(body, "enhanced early-retirement and redundancy terms")


def test_pension_and_tupe_resources_are_brought_up_to_date(shipped):
    tupe = resource_text("guide-to-the-tupe-regulations-2006")
    assert says(tupe, "amended in 2014")
    assert says(tupe, "regulation 4(4)") and says(tupe, "28 days", "regulation 11")
    assert says(tupe, "Beckmann and Martin")
    assert says(tupe, "Pensions Act 2004") and says(tupe, "COSOP")
    fair_deal = resource_text("fair-deal-for-pensions-overview")
    assert says(fair_deal, "New Fair Deal", "October 2013")
    assert says(fair_deal, "admission body", "2013 Regulations")
    assert says(fair_deal, "Direction 2007", "broadly comparable")
    assert says(fair_deal, "exit payment", "regulation 64")
    assert says_check(fair_deal, "legislation.gov.uk")


# Legal forms, tax and registration


def test_legal_forms_give_the_cic_cap_and_where_each_form_registers(shipped):
    body = task_text("appraise-the-options", "compare-legal-forms")
    assert says(body, "1 October 2014", "not to each share")
    assert says(body, "35%", "distributable profits")
    assert says(body, "CIC cannot be a charity")
    assert says(
        body, "Financial Conduct Authority", "Co-operative and Community Benefit Societies Act 2014"
    )
    assert says(body, "trustees", "governing document", "Charity Commission")


def test_employee_ownership_trusts_are_given_with_a_check_on_hmrc(shipped):
    body = task_text("appraise-the-options", "decide-how-staff-will-own-and-control")
    assert says(body, "employee ownership trust")
    assert says(body, "Finance Act 2014")
    assert says(body, "£3,600", "income tax")
    assert says(body, "Capital Gains Tax")
    assert says(body, "30 October 2024")
    assert says(body, "UK resident") and says(body, "former owners", "trustee board")
    assert says_check(body, "HMRC")


def test_tax_tasks_give_the_deadlines_and_the_vat_threshold(shipped):
    for stage_slug, task_slug in (
        ("build-the-business-case", "check-the-tax-position"),
        ("set-up-and-spin-out", "register-for-tax"),
    ):
        body = task_text(stage_slug, task_slug)
        assert says(body, "Corporation Tax", "3 months", "trade"), task_slug
        assert says(body, "PAYE", "first payday"), task_slug
        # PAYE is explained where it is used.
        assert says(body, "PAYE", "income tax and National Insurance"), task_slug
        assert says(body, "£90,000", "1 April 2024"), task_slug
        assert says(body, "check HMRC"), task_slug
    body = task_text("build-the-business-case", "check-the-tax-position")
    assert says(body, "section 33 of the VAT Act 1994", "recover")
    # Section 33 is the council's; whether the mutual recovers VAT turns on what it supplies.
    assert says(body, "That section does not apply to your mutual")
    assert "cannot do the same" not in body
    assert says(body, "exempt", "cannot recover")
    assert says(body, "VAT", "new cost")


def test_incorporation_covers_where_to_register_and_director_identity(shipped):
    body = task_text("set-up-and-spin-out", "incorporate-your-organisation")
    assert says(body, "company", "Companies House")
    assert says(body, "society", "Financial Conduct Authority")
    assert says(body, "verify their identity", "Companies House")
    assert says(body, "18 November 2025")


def test_insurance_says_what_the_law_requires_and_what_is_usual(shipped):
    body = task_text("set-up-and-spin-out", "arrange-insurance")
    assert says(body, "employers' liability insurance", "by law")
    assert says(body, "at least £5 million")
    assert says(body, "clinical or professional indemnity")
    assert says(body, "directors' and officers'")


def test_legal_and_tax_resources_are_brought_up_to_date(shipped):
    roadmap = resource_text("roadmap-from-public-to-employee-ownership")
    assert says(roadmap, "35%", "distributable profits")
    assert says(roadmap, "Financial Conduct Authority")
    assert says_check(roadmap, "HMRC")
    nuttall = resource_text("nuttall-review-of-employee-ownership")
    assert says(nuttall, "£3,600") and says_check(nuttall, "HMRC")
    hmrc = resource_text("hmrc-guide-for-new-businesses")
    assert says(hmrc, "3 months") and says(hmrc, "£90,000", "1 April 2024")
    assert says(hmrc, "section 33 of the VAT Act 1994")
    assert says_check(hmrc, "HMRC")
    assert says(resource_text("2012-budget-measures-affecting-mutuals"), "£90,000")


def test_baxi_partnership_appears_only_as_baxendales_former_name(shipped):
    texts = [plain(t.body) for t in Task.objects.all()]
    texts += [plain(s.body) for s in Stage.objects.all()]
    texts += [resource_text(r.slug) for r in Resource.objects.all()]
    texts += [plain(Page.objects.get(slug="home").body)]
    mentions = [m for text in texts for m in re.findall(r"[^.\n]*Baxi[^.\n]*", text)]
    assert mentions
    for mention in mentions:
        assert "Baxendale (formerly Baxi Partnership)" in mention, mention


# New tasks for the gaps a worker would fall into

NEW_TASKS = [
    ("appraise-the-options", "check-which-functions-can-be-handed-over"),
    ("build-the-business-case", "check-subsidy-control-and-council-land"),
    ("build-the-business-case", "get-the-decision-to-spin-out"),
    ("set-up-and-spin-out", "move-contracts-licences-and-leases"),
    ("set-up-and-spin-out", "take-over-service-users-records"),
]


@pytest.mark.parametrize(("stage_slug", "task_slug"), NEW_TASKS)
def test_new_tasks_are_shown_on_their_stage_page(client, shipped, stage_slug, task_slug):
    found = task(stage_slug, task_slug)
    page = client.get(found.stage.get_absolute_url()).content.decode()
    assert f'id="{found.anchor}"' in page
    assert found.title in html.unescape(page)


def test_data_protection_task_covers_taking_over_records(shipped):
    body = task_text("set-up-and-spin-out", "take-over-service-users-records")
    assert says(body, "controller")
    assert says(body, "data protection impact assessment")
    assert says(body, "commissioner", "shared")
    assert says(body, "data protection fee", "Information Commissioner's Office")
    assert says(body, "NHS", "Data Security and Protection Toolkit")
    assert says(body, "Caldicott Guardian")


def test_contracts_licences_and_leases_do_not_move_under_tupe(shipped):
    body = task_text("set-up-and-spin-out", "move-contracts-licences-and-leases")
    assert says(body, "TUPE", "does not move", "contracts", "software licences", "leases")
    assert says(body, "novated")
    assert says(body, "new contract")
    assert says(body, "landlord's consent")


def test_subsidy_control_and_council_land_are_explained(shipped):
    body = task_text("build-the-business-case", "check-subsidy-control-and-council-land")
    assert says(body, "grant", "loan", "guarantee", "market value")
    assert says(body, "subsidy", "Subsidy Control Act 2022", "4 January 2023")
    assert says(body, "best consideration reasonably obtainable")
    assert says(body, "section 123 of the Local Government Act 1972")
    assert says(body, "unless a consent")


def test_council_sign_off_names_the_key_decision_and_the_two_officers(shipped):
    body = task_text("build-the-business-case", "get-the-decision-to-spin-out")
    assert says(body, "key decision")
    assert says(body, "chief finance officer", "finances")
    assert says(body, "monitoring officer", "lawfully")
    assert task("build-the-business-case", "get-the-decision-to-spin-out").optional is False


def test_statutory_functions_are_delegated_only_as_the_law_allows(shipped):
    body = task_text("appraise-the-options", "check-which-functions-can-be-handed-over")
    assert says(body, "statutory function")
    assert says(body, "delegated", "only", "law allows")
    # General terms only: no statute or section is named for it.
    assert not re.search(r"\bAct \d{4}\b|\bsection \d", body)


# Writing

COMMISSIONER_EXPLAINED = re.compile(r"decides? which services to buy", re.I)
NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)\b", re.I
)


def stage_page_texts():
    """Each stage page's own text, in the order it shows it: body, tasks, end result."""
    for stage in Stage.objects.all():
        tasks = [t.body for t in stage.tasks.published().order_by("position")]
        yield stage.slug, plain("\n".join([stage.body, *tasks, stage.end_result]))


def test_commissioner_is_explained_once_on_each_stage_page(shipped):
    for slug, text in stage_page_texts():
        if "commissioner" in text.lower():
            assert len(COMMISSIONER_EXPLAINED.findall(text)) == 1, slug


def test_terms_are_explained_where_first_used(client, shipped):
    sme_bids = resource_text("observations-on-successful-sme-bids")
    assert says(sme_bids, "Crown Representative", "government appointed")
    white_paper = resource_text("open-public-services-progress-report")
    assert says(white_paper, "White Paper is a government document")
    explore = page_text(client, Stage.objects.get(slug="explore-the-idea").get_absolute_url())
    assert says(explore, "Mutual Pathfinders", "staff groups", "2010")
    mentor = task_text("trade-and-grow", "find-a-mentor")
    assert says(mentor, "groups of public sector staff", "Mutual Pathfinders")
    home = page_text(client, "/")
    assert says(home, "public sector staff", "mutuals") and "Mutual Pathfinders" in home


def test_numbers_are_written_as_numerals(shipped):
    texts = [plain(t.body) for t in Task.objects.all()]
    texts += [plain(f"{s.summary}\n{s.body}\n{s.end_result}") for s in Stage.objects.all()]
    texts += [resource_text(r.slug) for r in Resource.objects.all()]
    texts += [plain(Page.objects.get(slug="home").body)]
    for text in texts:
        assert not NUMBER_WORDS.search(text), NUMBER_WORDS.search(text).group(0)


def test_pages_that_state_the_law_keep_their_not_legal_advice_notes(shipped):
    for stage_slug, task_slug in [
        ("set-up-and-spin-out", "bid-for-the-contract"),
        ("set-up-and-spin-out", "agree-a-direct-commissioning-route"),
        ("build-the-business-case", "understand-tupe"),
        ("build-the-business-case", "plan-for-staff-pensions"),
        ("appraise-the-options", "compare-legal-forms"),
        *NEW_TASKS,
    ]:
        assert "not legal" in task_text(stage_slug, task_slug), task_slug
