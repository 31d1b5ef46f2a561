"""The directory of mutuals as open data: one function gives the rows both downloads use.

The licence is a column of the CSV, not a comment line above the header: a spreadsheet or a
CSV parser then reads the header from the first line as it expects. The JSON has a "licence"
key. A fact that is not known is an empty cell in the CSV and null in the JSON, never 0.

Columns added later go at the end, after the licence, so a script that reads the columns by
position keeps working. A status comes with the year it was recorded (`status_year`); what
happened next is a list of outcomes in the JSON and one cell in the CSV, oldest first, such as
"2011: Became SEQOL; 2016: Contract ended (source: ...)".
"""

OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE = f"{OGL_NAME} ({OGL_URL})"

# Stable names: people's scripts and spreadsheets depend on them, so add, never rename.
COLUMNS = [
    "name",
    "came_from",
    "service_area",
    "legal_form",
    "region",
    "status",
    "year_spun_out",
    "staff",
    "contract_value_gbp",
    "website",
    "case_study_url",
    "licence",
    "status_year",
    "place",
    "pathfinder",
    "outcomes",
]
OUTCOME_SEPARATOR = "; "


def directory_rows(mutuals, absolute_url):
    """One dict per mutual; a fact not known is None (an empty cell in the CSV), never 0."""
    for mutual in mutuals:
        slug = mutual.case_study_slug
        yield {
            "name": mutual.name,
            "came_from": mutual.parent_body or None,
            "service_area": mutual.service_area.name if mutual.service_area else None,
            "legal_form": mutual.get_legal_form_display() or None,
            "region": mutual.get_region_display() or None,
            "status": mutual.get_progress_display() or None,
            "year_spun_out": mutual.year_spun_out or None,
            "staff": mutual.staff_count or None,
            "contract_value_gbp": mutual.contract_value or None,
            "website": mutual.website or None,
            "case_study_url": absolute_url(slug) if slug else None,
            "licence": OGL_NAME,
            "status_year": mutual.progress_year or None,
            "place": mutual.place or None,
            "pathfinder": mutual.pathfinder,
            "outcomes": [
                {
                    "year": outcome.year or None,
                    "description": outcome.description,
                    "source": outcome.source or None,
                }
                for outcome in mutual.outcomes.all()
            ],
        }


def outcome_text(outcome):
    """One outcome as the CSV writes it: '2016: Contract ended (source: ...)'."""
    text = outcome["description"]
    if outcome["year"]:
        text = f"{outcome['year']}: {text}"
    if outcome["source"]:
        text = f"{text} (source: {outcome['source']})"
    return text


def csv_row(row):
    """A row for the CSV: outcomes in one cell, 'yes' or 'no' for a Pathfinder."""
    return {
        **row,
        "pathfinder": "yes" if row["pathfinder"] else "no",
        "outcomes": OUTCOME_SEPARATOR.join(outcome_text(o) for o in row["outcomes"]) or None,
    }
