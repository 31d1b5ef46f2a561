"""The shipped site pages (content/pages.toml)."""

from pathlib import Path

from portal.core.content import read_toml, upsert
from portal.core.publishing import Status

from .models import Page

PAGES_FILE = Path(__file__).parent / "content" / "pages.toml"


def load_pages(reset, report):
    for item in read_toml(PAGES_FILE)["page"]:
        values = {
            "title": item["title"],
            "summary": item.get("summary", ""),
            "body": item["body"].strip() + "\n",
            "last_reviewed": item["last_reviewed"],
            "status": Status.PUBLISHED,
        }
        upsert(Page, {"slug": item["slug"]}, values, reset, report, "Pages")
