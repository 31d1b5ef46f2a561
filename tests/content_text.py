"""Checking shipped text for a fact, not for the exact sentence an editor wrote it in, and for
sentences copied from the documents it was written from."""

import os
import re
from pathlib import Path

# The documents the content was written from sit beside the project where it is edited; a
# clean clone elsewhere (such as CI's) may not have them, so SEEDS_DIR can point at them.
SEEDS_DIR = Path(
    os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds")
)


def says(text, *terms):
    """Whether one sentence or list item of `text` holds every term, whatever its wording.

    Terms are matched without regard to case, so a fact survives rewording as long as its
    key words stay together.
    """
    parts = re.split(r"(?<=[.!?])\s+|\n", text.lower())
    return any(all(term.lower() in part for term in terms) for part in parts)


def sentences(text):
    """Sentences of a text, whitespace collapsed, lower case, without Markdown markers."""
    text = re.sub(r"[#*`\[\]]|\(/[^)]*\)", " ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return [s.strip(" .") for s in re.split(r"(?<=[.!?:;])\s+|\s-\s", text) if s.strip(" .")]


def copied_sentences(texts, seed_text):
    """Sentences of 8 or more words in the texts that also appear in the seed text."""
    seed = " ".join(sentences(seed_text))
    return [
        sentence
        for text in texts
        for sentence in sentences(text)
        if len(sentence.split()) >= 8 and sentence in seed
    ]


def strings_in(value):
    """Every string in a value read from TOML, however deep in tables and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
