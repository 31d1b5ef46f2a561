"""One search interface for every list that can be searched: the finder and the site search.

On PostgreSQL a search is full text over a stored, weighted search vector, in web-search syntax
("quoted phrases", -excluded words, or), ranked, with the passage that matched as a highlighted
snippet. On SQLite every word typed must appear somewhere in the item. search() and found_by()
hide the difference: a caller names its vector, the text its snippet comes from and how one word
is matched on SQLite, and gets the same queryset either way, with a `rank` to sort by;
with_headlines() gives rows read by id the snippets search() would.

Ranking is the part of a search that grows with what is searched: every row it finds is ranked
to show the first twenty. So each process keeps the rankings of the searches it answered for
the content version (KeptSearches, each list keeping its own), and a search filtered, counted,
paged or made again reads only the rows of the page it shows (RankedResults), by id.
"""

import re
import string
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from itertools import pairwise

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
# Highlight markers that cannot occur in the text (they are removed from it first), so the
# snippet can be escaped as a whole and only these become <mark> tags.
START_SEL, STOP_SEL = "\x02", "\x03"
SNIPPET_WORDS = 35
# Markdown as plain text in a snippet: a link's text without its address; what is left of a link
# when the passage starts or ends inside it (the end "](address)" or the start "[" of its text);
# the mark of a heading, list item or quote that starts a line; and emphasis, code and quote
# marks anywhere.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
LINK_END = re.compile(r"\]\([^)\s]*\)?")
LINK_START = re.compile(r"\[(?=[^\]]*$)")
BLOCK_MARK = re.compile(r"\s*(?:(#{1,6})|([-+*]|\d+[.)])|>)\s")
MARKDOWN_MARKS = "*_`>"
# A block that ends with one of these, before any closing quote or bracket and the marker of a
# highlighted word, has punctuation of its own.
SENTENCE_ENDS = ".!?:;,…"
CLOSING = "\"'”’)]" + STOP_SEL
WORD_EDGES = string.punctuation + "“”‘’"

# PostgreSQL's English stop words: words too common to search for, which full-text search
# leaves out. A search of nothing else is answered with a message rather than with no results.
_STOP_WORDS_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing don down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own s
same she should so some such t than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def uses_full_text_search():
    return connection.vendor == "postgresql"


def search_words(text):
    """The words of a search, without the quotes and operators PostgreSQL's syntax allows."""
    words = (word.strip(WORD_EDGES) for word in text.split())
    return [word for word in dict.fromkeys(words) if word and word.lower() != "or"]


def meaningful_words(text):
    """The words of a search that are neither stop words nor excluded ("-word")."""
    wanted = " ".join(word for word in text.split() if not word.startswith("-"))
    return [word for word in search_words(wanted) if word.lower() not in STOP_WORDS]


def excluded_words(text):
    """The words a search excludes with a minus sign, as in "pension -tupe"."""
    return search_words(" ".join(word[1:] for word in text.split() if word.startswith("-")))


def websearch_query(text):
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def headline(text_expression, query):
    """The passage of `text_expression` that `query` matched, its words between our markers."""
    without_markers = Replace(
        Replace(text_expression, Value(START_SEL), Value("")), Value(STOP_SEL), Value("")
    )
    return SearchHeadline(
        without_markers,
        query,
        config=CONFIG,
        start_sel=START_SEL,
        stop_sel=STOP_SEL,
        max_words=SNIPPET_WORDS,
        min_words=15,
    )


def search(
    queryset, text, *, vector, snippet_text, word_matches, title="title", words=None, excluded=()
):
    """The rows of `queryset` that `text` finds, each with a `rank` to sort by relevance and, on
    PostgreSQL, a `headline` made from `snippet_text` (an expression) for snippet() to show.

    `vector` names the stored search vector (PostgreSQL); `word_matches(word)` is the Q that
    matches one word anywhere in a row (SQLite), where a row with every word in its `title`
    ranks first. `words`, if given, are the words SQLite must find instead of all of `text`'s,
    and it leaves out rows matching any of `excluded`.
    """
    if uses_full_text_search():
        return full_text_search(queryset, text, vector=vector, snippet_text=snippet_text)
    return word_search(
        queryset, text, word_matches=word_matches, title=title, words=words, excluded=excluded
    )


def full_text_search(queryset, text, *, vector, snippet_text):
    """Web-search syntax ("quoted phrases", -excluded, or) over the stored search vector."""
    query = websearch_query(text)
    return (
        queryset.filter(**{vector: query})
        .annotate(rank=SearchRank(F(vector), query))
        .annotate(headline=headline(snippet_text, query))
    )


def word_search(queryset, text, *, word_matches, title="title", words=None, excluded=()):
    """Every word must appear; a row with every word in its title ranks first."""
    words = search_words(text) if words is None else words
    if not words:
        return queryset.none().annotate(rank=Value(0))
    for word in excluded:
        queryset = queryset.exclude(word_matches(word))
    in_title = Q()
    for word in words:
        in_title &= Q(**{f"{title}__icontains": word})
    return containing_every_word(queryset, words, word_matches).annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0))
    )


def with_headlines(queryset, text, *, snippet_text):
    """The rows of `queryset`, each with, on PostgreSQL, the `headline` search() would give it:
    for rows already found by a search, read by id, in a query of their own (not a subquery).
    """
    if not uses_full_text_search():
        return queryset
    sql, params = kept_headline_sql(queryset, snippet_text)
    params = [text if param == SEARCH_PLACEHOLDER else param for param in params]
    return queryset.annotate(headline=RawSQL(sql, params, output_field=TextField()))


# Stands for the search in a kept headline's parameters; no search can be it, as the search box
# drops control characters.
SEARCH_PLACEHOLDER = "\x00search\x00"
# Each model's headline SQL, as headline() compiles for a search, for each database and snippet
# text: the same for every search, and compiling it took longer than the rest of the query.
_headline_sql = {}


def kept_headline_sql(queryset, snippet_text):
    """The SQL and parameters of the headline of `snippet_text` in a query of `queryset`'s
    model, the search's text SEARCH_PLACEHOLDER: compiled once in each process.
    """
    key = (queryset.model, queryset.db, snippet_text.identity)
    kept = _headline_sql.get(key)
    if kept is None:
        query = queryset.model._default_manager.using(queryset.db).all().query
        expression = headline(snippet_text, websearch_query(SEARCH_PLACEHOLDER))
        resolved = expression.resolve_expression(query)
        sql, params = query.get_compiler(queryset.db).compile(resolved)
        kept = _headline_sql[key] = (sql, tuple(params))
    return kept


def found_by(queryset, text, *, vector, word_matches, words=None, excluded=()):
    """The rows `text` finds, with no rank or headline: for counting."""
    if uses_full_text_search():
        return queryset.filter(**{vector: websearch_query(text)})
    words = search_words(text) if words is None else words
    for word in excluded:
        queryset = queryset.exclude(word_matches(word))
    return containing_every_word(queryset, words, word_matches)


def containing_every_word(queryset, words, word_matches):
    """Rows in which every one of `words` is matched by `word_matches(word)`."""
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(word_matches(word))
    return queryset


def snippet(text, summary, headline_text=None):
    """What a result shows under its title: its summary, or for a search what matched, marked.

    `headline_text` is the row's headline from search() on PostgreSQL.
    """
    if not text:
        return summary
    if uses_full_text_search():
        return highlighted_snippet(headline_text or "")
    return mark_words(summary, search_words(text))


def highlighted_snippet(headline_text):
    """A ts_headline result as safe HTML: everything escaped except our own <mark> tags."""
    text = plain_passage(headline_text)
    html = escape(text).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our markers became tags


def plain_passage(markdown_text):
    """A passage of Markdown as one line of plain text, each heading, list item or paragraph
    ended so that it does not run into the next where it has no punctuation of its own: with a
    semicolon between items of a list, otherwise a full stop ("## What Fair Deal is" becomes
    "What Fair Deal is."). A phrase the passage opens with that is only the end of a heading or
    list item it cut into is left out, as long as something follows it.
    """
    text = MARKDOWN_LINK.sub(r"\1", markdown_text)
    text = LINK_START.sub("", LINK_END.sub("", text))
    blocks = [(False, [])]  # (is a list item, its lines)
    after_heading = False  # a heading is one line: what follows it is a block of its own
    for line in text.splitlines():
        mark = BLOCK_MARK.match(line)
        if mark or after_heading or not line.strip():
            blocks.append((bool(mark and mark.group(2)), []))
        blocks[-1][1].append(line[mark.end() :] if mark else line)
        after_heading = bool(mark and mark.group(1))
    opening, following = blocks[0][1], [line for _, lines in blocks[1:] for line in lines]
    if is_a_cut_phrase(opening) and any(line.strip() for line in following):
        del blocks[0]
    sentences = []
    for is_item, lines in blocks:
        sentence = " ".join(" ".join(lines).split())
        for sign in MARKDOWN_MARKS:  # rare, and replace() is far quicker than a pattern
            if sign in sentence:
                sentence = sentence.replace(sign, "")
        if sentence:
            sentences.append((is_item, sentence))
    ended = [
        sentence if has_an_end(sentence) else sentence + (";" if is_item and next_item else ".")
        for (is_item, sentence), (next_item, _) in pairwise(sentences)
    ]
    return " ".join(ended + [sentence for _, sentence in sentences[-1:]])


def is_a_cut_phrase(lines):
    """Whether the lines a passage starts with, before any Markdown mark of their own, are the
    end of a heading or list item the passage cut into ("Deal is" of "## What Fair Deal is"):
    a phrase with no punctuation of its own and no highlighted word says nothing of the match.
    """
    phrase = " ".join(lines).strip()
    return bool(phrase) and START_SEL not in phrase and not has_an_end(phrase)


def has_an_end(sentence):
    """Whether `sentence` ends with punctuation of its own."""
    bare = sentence.rstrip(CLOSING)
    return bool(bare) and bare[-1] in SENTENCE_ENDS


def mark_words(text, words):
    """`text` escaped, with each of `words` wrapped in <mark> wherever it appears."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped


# Kept rankings ------------------------------------------------------------------------------


def bitset(ids):
    """A set of ids as one integer, bit n set for id n: intersections and counts of sets of
    100,000 ids then take microseconds (`a & b`, `.bit_count()`).
    """
    ids = list(ids)
    if not ids:
        return 0
    bits = bytearray(max(ids) // 8 + 1)
    for pk in ids:
        bits[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(bits, "little")


def ids_within(order, within, start=0, stop=None):
    """The ids of `order` that are in the bitset `within`, from the `start`th to before the
    `stop`th of them: the walk along `order` ends with the last one wanted.
    """
    bits = within.to_bytes((within.bit_length() + 7) // 8, "little")
    size, ids, skip = len(bits), [], start
    wanted = None if stop is None else stop - start
    if wanted is not None and wanted <= 0:
        return ids
    for pk in order:
        byte = pk >> 3
        if byte < size and bits[byte] >> (pk & 7) & 1:
            if skip:
                skip -= 1
                continue
            ids.append(pk)
            if len(ids) == wanted:
                break
    return ids


# What keeping one search costs besides its ids and bitset: its text, its entry, the objects.
RANKING_OVERHEAD_BYTES = 1000


@dataclass(frozen=True)
class Ranking:
    """Every row a search finds, most relevant first (`ranked`), and the same rows as a bitset
    (`found`).
    """

    ranked: array
    found: int

    @classmethod
    def of(cls, ids):
        ranked = array("q", ids)
        return cls(ranked, bitset(ranked))

    @property
    def size(self):
        """About how many bytes keeping it takes."""
        ids = self.ranked.itemsize * len(self.ranked)
        return ids + (self.found.bit_length() + 7) // 8 + RANKING_OVERHEAD_BYTES


# How many bytes of rankings each list's KeptSearches may hold in a process, however many
# different searches are made. Two lists keep them (the finder and the site search), so a
# process holds at most 16 MB of rankings, well inside a server process's 150 MB.
KEPT_SEARCH_BYTES = 8_000_000


class KeptSearches:
    """The rankings of the searches this process answered for one content version, each made
    by `rank(text)` (one query) the first time it is asked for.

    The searches used least recently are forgotten first once the rankings take more than
    `limit` bytes (Ranking.size). Keep one for each content version (KeptForContentVersion),
    so a new version starts afresh.
    """

    def __init__(self, rank, limit=KEPT_SEARCH_BYTES):
        self.rank = rank
        self.limit = limit
        self.rankings = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def ranking(self, text):
        with self.lock:
            ranking = self.rankings.get(text)
            if ranking is not None:
                self.rankings.move_to_end(text)
                return ranking
        # Outside the lock: a search past the time limit raises here and keeps nothing.
        ranking = self.rank(text)
        with self.lock:
            if text not in self.rankings:
                self.rankings[text] = ranking
                self.size += ranking.size
            while self.size > self.limit and len(self.rankings) > 1:
                _, forgotten = self.rankings.popitem(last=False)
                self.size -= forgotten.size
        return ranking


class RankedResults:
    """A search's results in the order of a Ranking, as the paginator takes them: `within`
    (a bitset of the ranking's rows) are the results, `count` of them, and a slice reads only
    its own rows, with `fetch(ids)`.
    """

    def __init__(self, ranking, within, count, fetch):
        self.ranking = ranking
        self.within = within
        self.count = count
        self.fetch = fetch

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Results are read a page, a slice, at a time.")
        start, stop, _ = index.indices(self.count)
        return self.fetch(self.ids(start, stop))

    def ids(self, start, stop):
        """The ids of the results from `start` to `stop`, in order."""
        if stop <= start:
            return []
        if self.within == self.ranking.found:
            return list(self.ranking.ranked[start:stop])
        return ids_within(self.ranking.ranked, self.within, start, stop)
