"""Checking shipped text for a fact, not for the exact sentence an editor wrote it in."""

import re


def says(text, *terms):
    """Whether one sentence or list item of `text` holds every term, whatever its wording.

    Terms are matched without regard to case, so a fact survives rewording as long as its
    key words stay together.
    """
    parts = re.split(r"(?<=[.!?])\s+|\n", text.lower())
    return any(all(term.lower() in part for term in terms) for part in parts)
