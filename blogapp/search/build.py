"""Turn a parsed query into a Whoosh query: all words first, synonyms, bounded prefixes, exclusions."""

from whoosh.query import And, AndNot, NullQuery, Or, Phrase, Query, Term

from ..content.slugs import slugify
from .parse import ParsedQuery
from .schema import CONTENT
from .spelling import fold
from .synonyms import Synonyms, analyse

# Documents with every word outrank those with only some: the all-words clause dwarfs any partial score.
ALL_WORDS_BOOST = 50.0
SYNONYM_WEIGHT = 0.7
MAX_PREFIX_TERMS = 30
MAX_PREFIX_SCAN = 2000


def in_text_fields(tokens: tuple[str, ...], boost: float = 1.0) -> Query:
    """Match an analysed word or phrase anywhere in an article (title, tags, summary, body …)."""
    if len(tokens) == 1:
        return Term(CONTENT, tokens[0], boost=boost)
    return Phrase(CONTENT, list(tokens), boost=boost)


def _word_units(words: list[str], synonyms: Synonyms) -> list[Query]:
    """Group consecutive words into synonym entries where they match, one unit per entry or word."""
    analysed = [analyse(word) for word in words]
    units, i = [], 0
    while i < len(analysed):
        for size in range(min(synonyms.longest, len(analysed) - i), 0, -1):
            key = tuple(token for part in analysed[i : i + size] for token in part)
            others = synonyms.expand(key) if key else ()
            if others or size == 1:
                break
        if key:
            alternatives = [in_text_fields(key)] + [in_text_fields(o, SYNONYM_WEIGHT) for o in others]
            units.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
        i += size
    return units


def _prefix_unit(reader, prefix: str) -> Query | None:
    """Expand a prefix to the most common indexed words that start with it, at most MAX_PREFIX_TERMS."""
    candidates: dict[str, int] = {}
    for count, term in enumerate(reader.expand_prefix(CONTENT, fold(prefix))):
        if count >= MAX_PREFIX_SCAN:
            break
        text = term.decode() if isinstance(term, bytes) else term
        candidates[text] = reader.doc_frequency(CONTENT, text)
    best = sorted(candidates, key=lambda t: -candidates[t])[:MAX_PREFIX_TERMS]
    return Or([Term(CONTENT, term) for term in best]) if best else None


def build(parsed: ParsedQuery, reader, synonyms: Synonyms) -> Query:
    """Return the scoring query for the positive parts, minus the excluded ones."""
    units = _word_units(parsed.words, synonyms)
    units += [in_text_fields(tokens) for tokens in map(_phrase_tokens, parsed.phrases) if tokens]
    units += [unit for unit in (_prefix_unit(reader, p) for p in parsed.prefixes) if unit is not None]
    if not units:
        return NullQuery
    query = units[0] if len(units) == 1 else Or([And(units, boost=ALL_WORDS_BOOST), Or(units)])
    excluded = [in_text_fields(t) for t in map(analyse, parsed.excluded) if t]
    excluded += [in_text_fields(t) for t in map(_phrase_tokens, parsed.excluded_phrases) if t]
    return AndNot(query, Or(excluded)) if excluded else query


def _phrase_tokens(words: list[str]) -> tuple[str, ...]:
    return analyse(" ".join(words))


def filter_query(filters: dict[str, list[str]], category: str | None, tags: tuple[str, ...]) -> Query | None:
    """Return the query every result must match: typed filters and chosen facets, all together."""
    parts: list[Query] = []
    for value in filters.get("category", []) + ([category] if category else []):
        parts.append(_slug_or_words("category_slug", "category", value))
    for value in filters.get("tag", []) + list(tags):
        parts.append(_slug_or_words("tag_slugs", "tags", value))
    for value in filters.get("author", []):
        parts.append(_slug_or_words("author_slug", "author", value))
    return And(parts) if parts else None


def _slug_or_words(slug_field: str, text_field: str, value: str) -> Query:
    words = analyse(value)
    exact = Term(slug_field, slugify(value))
    return Or([exact, And([Term(text_field, w) for w in words])]) if words else exact
