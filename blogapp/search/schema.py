"""The Whoosh schema for articles and the document built for each one."""

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pickle import dumps
from typing import Any

from sqlalchemy.orm import joinedload, selectinload
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Tokenizer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter2 import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from .. import caches
from ..models import Article

# BM25F: every part of an article goes into one "content" field, each word weighted by the part it came
# from, so a search reads one posting list per word instead of one per part. The title counts most,
# then tags and category, then the summary, then the body. The body comes first so that the character
# offsets stored for its words are its own offsets (snippets are cut from the stored body with them).
PARTS = ("body", "title", "tags", "category", "summary", "author")
FIELD_BOOSTS = {"body": 1.0, "title": 2.0, "tags": 1.5, "category": 1.5, "summary": 1.25, "author": 1.0}
CONTENT = "content"
TITLE = "title"  # the title alone, for the title match of short searches
_PART_SEPARATOR = "\x1e"
_POSITION_GAP = 1_000_000  # so a phrase never runs from one part into the next


class PartsTokenizer(Tokenizer):
    """Split text on the part separator and give each part's words that part's weight."""

    def __init__(self):
        self.inner = RegexTokenizer()

    def __call__(self, value, start_char=0, **kwargs):
        offset = start_char
        for index, part in enumerate(value.split(_PART_SEPARATOR)):
            boost = FIELD_BOOSTS[PARTS[index]] if index < len(PARTS) else 1.0
            for token in self.inner(part, start_char=offset, **kwargs):
                token.boost = boost
                token.part = index
                yield token
            offset += len(part) + 1


class PartGapFilter(Filter):
    """Space the positions of each part apart (after stop words are renumbered), so phrases stay in one part."""

    def __call__(self, tokens):
        for token in tokens:
            if token.positions:
                token.pos += getattr(token, "part", 0) * _POSITION_GAP
            yield token


STEM_CACHE = 50_000
# Indexing meets every word of the corpus: 1,000 synthetic articles already hold 45,000 distinct stems (their
# vocabulary is 60,000 pseudo-words and the real ones), so a 50,000-word cache was emptied again and again.
INDEX_STEM_CACHE = 250_000
caches.declare(
    "search.stems",
    holds="the stem of each word analysed (Whoosh's StemFilter); the indexed form of each word as written (indexing)",
    bound=f"{STEM_CACHE:,} words (StemFilter), {INDEX_STEM_CACHE:,} (the content field's)",
    cleared_by="nothing: a word's stem never changes (the indexing one is emptied when full)",
)
_STOPS = StopFilter()
_FILTERS = [LowercaseFilter(), CharsetFilter(accent_map), _STOPS, StemFilter(stemfn=stem, cachesize=STEM_CACHE)]
# Accents fold before stemming so "café" and "cafe" meet; porter2 stems "running" to "run" (porter gives "runn").
ANALYZER = RegexTokenizer()
CONTENT_ANALYZER = PartsTokenizer()
for _filter in _FILTERS:
    ANALYZER = ANALYZER | _filter
    CONTENT_ANALYZER = CONTENT_ANALYZER | _filter
CONTENT_ANALYZER = CONTENT_ANALYZER | PartGapFilter()


_WORD = RegexTokenizer().expression
_stems: dict[str, str | bool] = {}  # a word as written: its indexed form, or False


class ContentField(TEXT):
    """The weighted content field, indexed by one loop instead of a chain of generators (a rebuild's largest cost).

    It gives exactly what CONTENT_ANALYZER gives (tested): words, positions renumbered past stop words and
    spaced apart per part, character offsets, and weights summed from each part's boost. Queries are still
    analysed by CONTENT_ANALYZER.
    """

    def index(self, value, **kwargs):
        """Yield (word, frequency, weight, encoded positions and characters) for each distinct word of `value`."""
        # Each word's (position, start, length) deltas as Characters.encode writes them, its last position and end
        # character, and its weight: encoded as they come instead of in a second pass.
        seen: dict[str, list] = {}
        pos, offset = None, 0
        for index, part in enumerate(value.split(_PART_SEPARATOR)):
            boost = FIELD_BOOSTS[PARTS[index]] if index < len(PARTS) else 1.0
            gap = index * _POSITION_GAP
            for number, match in enumerate(_WORD.finditer(part)):
                word = _stems.get(match.group())
                if word is None:
                    word = _stem(match.group())
                if word is False:
                    continue
                pos = number if pos is None else pos + 1
                start, end = match.span()
                start, end, at = start + offset, end + offset, pos + gap
                entry = seen.get(word)
                if entry is None:
                    seen[word] = [[(at, start, end - start)], at, end, boost]
                else:
                    entry[0].append((at - entry[1], start - entry[2], end - start))
                    entry[1], entry[2], entry[3] = at, end, entry[3] + boost
            offset += len(part) + 1
        field_boost = self.format.field_boost
        for word, (deltas, _, _, weight) in seen.items():
            yield word.encode("utf-8"), len(deltas), weight * field_boost, pack_uint(len(deltas)) + dumps(deltas, 2)


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, indexed form) of each word of `text` that ANALYZER keeps, as ANALYZER(chars=True) would.

    The same steps as ContentField.index, so several times cheaper than the chain of filters (titles of a page).
    """
    for match in _WORD.finditer(text):
        word = _stems.get(match.group())
        if word is None:
            word = _stem(match.group())
        if word is not False:
            yield match.start(), match.end(), word


def _stem(written: str) -> str | bool:
    """Return the indexed form of a word as written (lowercased, accents folded, stemmed), or False if it is stopped."""
    if len(_stems) >= INDEX_STEM_CACHE:
        _stems.clear()
    text = written.lower().translate(accent_map)
    _stems[written] = False if len(text) < _STOPS.min or text in _STOPS.stops else stem(text)
    return _stems[written]


# Words as written (folded, not stemmed) for spelling suggestions.
SPELL_ANALYZER = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    """Return the article schema: the weighted content field, stored display fields, ids for filtering."""
    return Schema(
        id=ID(stored=True, unique=True),
        digest=ID(stored=True),
        content=ContentField(analyzer=CONTENT_ANALYZER, chars=True),
        title=TEXT(analyzer=ANALYZER, stored=True),
        summary=STORED,
        body=STORED,
        tags=TEXT(analyzer=ANALYZER),
        category=TEXT(analyzer=ANALYZER),
        author=TEXT(analyzer=ANALYZER),
        category_slug=ID,
        tag_slugs=KEYWORD(commas=True),
        author_slug=ID,
        published=DATETIME(stored=True, sortable=True),
        spell=TEXT(analyzer=SPELL_ANALYZER, phrase=False),
    )


def build_document(
    *,
    doc_id: str,
    title: str,
    body: str,
    published: datetime,
    summary: str = "",
    tags: list[tuple[str, str]] = (),
    category: tuple[str, str] = ("", ""),
    author: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    """Build an index document from plain parts; tags, category and author are (slug, name) pairs."""
    tag_names = " ".join(name for _, name in tags)
    parts = {
        "body": body,
        "title": title,
        "tags": tag_names,
        "category": category[1],
        "summary": summary,
        "author": author[1],
    }
    doc = {
        "id": doc_id,
        "content": _PART_SEPARATOR.join(parts[name].replace(_PART_SEPARATOR, " ") for name in PARTS),
        "title": title,
        "summary": summary,
        "body": body,
        "tags": tag_names,
        "category": category[1],
        "author": author[1],
        "category_slug": category[0],
        "tag_slugs": ",".join(slug for slug, _ in tags),
        "author_slug": author[0],
        "published": published,
        # Titles, summaries and tags are where readers' words live; the body would double the build time.
        "spell": " ".join((title, summary, tag_names)),
    }
    doc["digest"] = digest(doc)
    return doc


# What `document_for` reads of an article besides its own columns, loaded with it.
DOCUMENT_LOADS = (joinedload(Article.category), joinedload(Article.author), selectinload(Article.tags))


def document_for(article) -> dict[str, Any]:
    """Build the index document of an article, with a digest of its content for drift checks."""
    return build_document(
        doc_id=str(article.id),
        title=article.title,
        body=article.body_text,
        published=article.published_at,
        summary=article.summary,
        tags=[(tag.slug, tag.name) for tag in article.tags],
        category=(article.category.slug, article.category.name),
        author=(article.author.slug, article.author.name),
    )


def digest(doc: dict[str, Any]) -> str:
    """Hash the indexed content of a document so a stale entry can be recognised."""
    payload = {
        k: v.isoformat() if isinstance(v, datetime) else v
        for k, v in doc.items()
        if k not in ("digest", "spell", "content")
    }
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()
