"""The shipped content: dated facts, precise legal points, the new guide tasks and plain style."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from casestudies.content import CONTENT_FILE as CASESTUDIES_FILE
from enquiries.content import PARTNERS_FILE
from guides.content import STAGES_FILE
from guides.library.content import LIBRARY_FILE
from guides.models import Stage, Task
from guides.readiness.content import READINESS_FILE
from portal.content import PAGES_FILE
from portal.core.content import read_toml
from tests.content_text import SEEDS_DIR, copied_sentences, says, strings_in

CONTENT_FILES = [
    PAGES_FILE,
    STAGES_FILE,
    LIBRARY_FILE,
    CASESTUDIES_FILE,
    PARTNERS_FILE,
    READINESS_FILE,
]

NEW_TASKS = {
    "explore-the-idea": ["find-out-who-approves-a-spin-out"],
    "appraise-the-options": ["manage-conflicts-of-interest", "agree-who-pays-for-advice"],
    "build-the-business-case": ["plan-your-working-capital"],
    "set-up-and-spin-out": [
        "register-for-tax",
        "choose-a-pension-for-new-staff",
        "register-with-a-regulator",
        "arrange-insurance",
    ],
    "trade-and-grow": ["prepare-for-re-tendering"],
}


def shipped_text():
    return [text for path in CONTENT_FILES for text in strings_in(read_toml(path))]


def task_body(stage_slug, task_slug):
    stage = next(s for s in read_toml(STAGES_FILE)["stage"] if s["slug"] == stage_slug)
    return next(t for t in stage["task"] if t["slug"] == task_slug)


@pytest.mark.parametrize(("stage_slug", "task_slugs"), NEW_TASKS.items())
def test_stage_pages_show_the_new_tasks(client, shipped, stage_slug, task_slugs):
    stage = Stage.objects.get(slug=stage_slug)
    html = client.get(stage.get_absolute_url()).content.decode()

    for slug in task_slugs:
        task = Task.objects.get(stage=stage, slug=slug)
        assert f'id="{task.anchor}"' in html
        assert task.title in html


def test_a_plain_reload_adds_new_tasks_to_an_existing_guide_and_keeps_edits(shipped):
    Task.objects.filter(slug__in=["arrange-insurance", "register-for-tax"]).delete()
    Task.objects.filter(slug="go-live").update(title="Go live (edited)")

    out = StringIO()
    call_command("load_content", stdout=out)

    assert "Tasks: 2 created, 0 updated" in out.getvalue()
    assert Task.objects.filter(slug="arrange-insurance").exists()
    assert Task.objects.get(slug="go-live").title == "Go live (edited)"


def test_registering_for_tax_is_required():
    task = task_body("set-up-and-spin-out", "register-for-tax")
    assert task["optional"] is False
    assert "Corporation Tax" in task["body"] and "PAYE" in task["body"]
    assert task_body("build-the-business-case", "check-the-tax-position")["optional"] is False


def test_tupe_says_what_transfers_what_does_not_and_that_staff_can_object():
    body = task_body("build-the-business-case", "understand-tupe")["body"]
    assert says(body, "most terms and conditions", "transfer")
    assert "regulation 10" in body and "Pensions Act 2004" in body
    assert says(body, "staff", "object")


def test_fair_deal_aims_to_protect_compulsorily_transferred_staff():
    body = task_body("build-the-business-case", "plan-for-staff-pensions")["body"]
    assert says(body, "aims", "compulsorily transferred")
    # The LGPS Regulations 2013 call the new employer an "admission body".
    assert says(body, "admission body") and says(body, "bond or guarantee")
    assert "deficit" in body


def test_legal_forms_separate_ownership_models_from_legal_forms():
    body = task_body("appraise-the-options", "compare-legal-forms")["body"]
    assert says(body, "co-operatives", "employee ownership", "ownership models")
    assert "asset lock" in body and says(body, "dividends", "cap")


def test_reserved_contracts_are_explained_with_both_laws():
    body = task_body("set-up-and-spin-out", "bid-for-the-contract")["body"]
    assert says(body, "regulation 77", "Public Contracts Regulations 2015")
    assert says(body, "section 33", "Procurement Act 2023")


def test_facts_of_2011_and_2012_are_dated_not_told_as_current():
    text = " ".join(shipped_text())
    for stale in (
        "The government is introducing Rights to Provide",
        "are already run by public service mutuals",
        "The Cabinet Office is looking for",
        "pays for this website",
        "about 110 applications",
        "readiness service",
        "session cookie only",
        "fully compliant",
    ):
        assert stale not in text, stale
    # Cobbetts is named only in a paragraph that says it no longer trades under that name.
    paragraphs = [line for line in text.splitlines() if "Cobbetts" in line]
    assert paragraphs
    for paragraph in paragraphs:
        assert says(paragraph, "Cobbetts", "no longer trades"), paragraph


def test_terms_are_explained_on_each_stage_page_where_first_used():
    explanations = {
        "commissioner": ("decide which services to buy", "decides which services to buy"),
        "procurement": ("formal process public bodies use to buy",),
        "tender": ("invitation to bid",),
        "governing document": ("legal document",),
    }
    for stage in read_toml(STAGES_FILE)["stage"]:
        # The order a stage page shows its text in: the body, the tasks, the end result.
        page = " ".join([stage["body"], *(t["body"] for t in stage["task"]), stage["end_result"]])
        page = page.lower()
        for term, phrases in explanations.items():
            first = page.find(term)
            if first == -1:
                continue
            explained = min(
                (page.find(p) for p in phrases if page.find(p) != -1), default=len(page)
            )
            # The explanation comes within a few sentences of the first use.
            assert explained - first < 400, (stage["slug"], term)


def test_sentences_are_short():
    for text in shipped_text():
        plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
        for line in plain.splitlines():
            if line.startswith("|"):
                continue  # table rows are not sentences
            line = re.sub(r"^[-*] |^#+ |\*\*", "", line)  # list and heading marks are not words
            for sentence in re.split(r"(?<=[.!?])\s+", line):
                assert len(sentence.split()) <= 25, sentence


def test_no_seed_sentence_is_copied_anywhere():
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no seed documents in {SEEDS_DIR}: set SEEDS_DIR to check against them")
    seed_text = " ".join(path.read_text() for path in seeds)
    assert copied_sentences(shipped_text(), seed_text) == []
