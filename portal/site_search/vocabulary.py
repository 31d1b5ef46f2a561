"""'Did you mean': the site's own words, and the closest of them to a word that found little.

The vocabulary is every distinct word of the search documents (letters only, at least
MIN_WORD_LENGTH long, no stop words), added as documents are written. A search that finds
fewer than FEW_RESULTS results is offered the same search with each of its words that is not
in the vocabulary replaced by the closest word that is: on PostgreSQL by pg_trgm's trigram
similarity, found with a trigram index in one query; on SQLite by Python's difflib over the
vocabulary, also one query. Either way the suggestion is a link to the corrected search, offered
only when that search finds more than the search typed (portal/site_search/views.py).
"""

import difflib
import re

from django.db import connection

from portal.core.search import STOP_WORDS, uses_full_text_search

from .models import WORD_MAX_LENGTH, SearchWord

# A search with fewer results than this is offered a correction, if there is one.
FEW_RESULTS = 3
MIN_WORD_LENGTH = 3
# At most this many of a search's words are looked up: a long search is rarely misspelt
# throughout, and the lookup stays one short query.
MOST_WORDS_CHECKED = 8
# How alike two words must be, from 0 to 1, for difflib. On PostgreSQL it is pg_trgm's own
# threshold for the % operator, 0.3 unless the database is set otherwise.
DIFFLIB_CUTOFF = 0.75

WORD = re.compile(r"[^\W\d_]+")


def words_in(*texts):
    """The distinct vocabulary words of `texts`, lower case."""
    found = set()
    for text in texts:
        for word in WORD.findall((text or "").lower()):
            if MIN_WORD_LENGTH <= len(word) <= WORD_MAX_LENGTH and word not in STOP_WORDS:
                found.add(word)
    return found


def add_words(documents):
    """Add the words of `documents` (title, summary, body) to the vocabulary: one query."""
    words = set()
    for document in documents:
        words |= words_in(document.title, document.summary, document.body)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True
        )


def closest_words(words):
    """{word: the closest vocabulary word} for each of `words` not in the vocabulary that has
    one close enough. One query on either database.
    """
    words = [word.lower() for word in words if WORD.fullmatch(word)][:MOST_WORDS_CHECKED]
    if not words:
        return {}
    if uses_full_text_search():
        return _closest_by_trigrams(words)
    return _closest_by_difflib(words)


def _closest_by_trigrams(words):
    table = SearchWord._meta.db_table
    # For each word typed: itself if the vocabulary has it, else its most similar word.
    sql = f"""
        SELECT typed.word, best.word
        FROM unnest(%s::text[]) AS typed(word)
        CROSS JOIN LATERAL (
            SELECT vocabulary.word
            FROM {table} AS vocabulary
            WHERE vocabulary.word %% typed.word
            ORDER BY vocabulary.word = typed.word DESC,
                     similarity(vocabulary.word, typed.word) DESC,
                     vocabulary.word
            LIMIT 1
        ) AS best
    """  # noqa: S608 - the table name is our own; the words are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [words])
        rows = cursor.fetchall()
    return {typed: best for typed, best in rows if typed != best}


def _closest_by_difflib(words):
    vocabulary = list(SearchWord.objects.values_list("word", flat=True))
    known = set(vocabulary)
    found = {}
    for word in words:
        if word in known:
            continue
        matches = difflib.get_close_matches(word, vocabulary, n=1, cutoff=DIFFLIB_CUTOFF)
        if matches:
            found[word] = matches[0]
    return found


def suggestion(text, words):
    """`text` with each of `words` that has a closer vocabulary word replaced, or "" if none."""
    replacements = closest_words(words)
    if not replacements:
        return ""

    def replace(match):
        word = match.group()
        return replacements.get(word.lower(), word)

    return WORD.sub(replace, text)
