"""Turn a parsed query into a Whoosh query: all words first, synonyms, bounded prefixes, exclusions."""

from whoosh.query import And, AndNot, DisjunctionMax, NullQuery, Or, Phrase, Query, Term

from ..content.slugs import slugify
from .page_terms import article_count, article_frequency
from .parse import ParsedQuery
from .schema import CONTENT, TITLE
from .spelling import fold
from .synonyms import Synonyms, analyse

# Documents with every word outrank those with only some: the all-words clause dwarfs any partial score.
ALL_WORDS_BOOST = 50.0
# A word in more than this share of the articles ("how", "does", "difference" on a small site) is not required
# by the all-words clause: otherwise a question's generic words decide which articles come first.
COMMON_SHARE = 0.8
# A short search (at most TITLE_WORDS words) whose words, common ones aside, are all in an article's title ranks
# that article first among those with every word. Measured on the reader set and the four test collections
# (docs of `search evaluate`): no collection loses on any metric, the reader set's hit@1 gains.
TITLE_ALL_BOOST = 50.0
TITLE_WORDS = 6
# The words that make a search a question ("how does methadone work") say nothing of its topic: like common words,
# the title match does not require them (stop words are gone already). Not required by the all-words clause
# either, they lowered Cranfield (MAP .3579 -> .3567), so they stay there.
QUESTION_WORDS = frozenset(("how", "doe", "do", "did", "what", "whi", "which", "who", "where", "should", "could"))
# A synonym unit scores as its best entry (DisjunctionMax), an expansion at SYNONYM_WEIGHT of the typed entry's
# weight per word: summed, an article naming a drug three ways or holding a two-word expansion ("head pain") beat
# the articles about the typed word. Reader set (`search reader-queries`) hit@1 0.9167 -> 0.9551, MRR 0.9553 ->
# 0.9746 ("quit smoking", "pot vomiting", "codeine headaches" …); the four test collections unchanged.
SYNONYM_WEIGHT = 0.7
MAX_PREFIX_TERMS = 30
MAX_PREFIX_SCAN = 2000
# Bounds on a whole query, so 32 prefixes cost about what one does: the terms looked at and the expansions kept
# are shared out between its prefixes (one prefix alone gets MAX_PREFIX_SCAN and MAX_PREFIX_TERMS).
MAX_QUERY_PREFIX_SCAN = 2000
MAX_QUERY_PREFIX_TERMS = 60
MIN_UNITS = 4  # words, phrases or prefixes a search keeps however common they are


def in_text_fields(tokens: tuple[str, ...], boost: float = 1.0) -> Query:
    """Match an analysed word or phrase anywhere in an article (title, tags, summary, body …)."""
    if len(tokens) == 1:
        return Term(CONTENT, tokens[0], boost=boost)
    return Phrase(CONTENT, list(tokens), boost=boost)


def _word_units(parsed: ParsedQuery, reader, synonyms: Synonyms) -> list[Query]:
    """Group consecutive words into synonym entries where they match, one unit per entry or word.

    Only expansions some article holds are added; they are listed, as the synonyms file spells them, in
    `parsed.expansions`.
    """
    analysed = [analyse(word) for word in parsed.words]
    units, i = [], 0
    while i < len(analysed):
        for size in range(min(synonyms.longest, len(analysed) - i), 0, -1):
            key = tuple(token for part in analysed[i : i + size] for token in part)
            others = synonyms.expand(key) if key else ()
            if others or size == 1:
                break
        if key:
            others = [other for other in others if all(reader.doc_frequency(CONTENT, t) for t in other)]
            names = [synonyms.name(other) for other in others]
            parsed.expansions += [name for name in names if name not in parsed.expansions]
            alternatives = [in_text_fields(key)] + [in_text_fields(o, _expansion_weight(key, o)) for o in others]
            units.append(alternatives[0] if len(alternatives) == 1 else DisjunctionMax(alternatives))
        i += size
    return units


def _expansion_weight(key: tuple[str, ...], other: tuple[str, ...]) -> float:
    """Return an expansion's weight: SYNONYM_WEIGHT, shared out per word when longer than the typed entry."""
    # A phrase scores as its words' sum. Never more for a shorter one: "hypertension" for "high blood pressure"
    # stays below the words typed.
    return SYNONYM_WEIGHT * min(1.0, len(key) / len(other))


def _prefix_units(reader, prefixes: list[str], max_postings: int | None) -> list[Query]:
    """Expand each prefix to the most common indexed words that start with it, within the query's bounds."""
    if not prefixes:
        return []
    scan = min(MAX_PREFIX_SCAN, max(50, MAX_QUERY_PREFIX_SCAN // len(prefixes)))
    keep = min(MAX_PREFIX_TERMS, max(2, MAX_QUERY_PREFIX_TERMS // len(prefixes)))
    budget = max_postings // len(prefixes) if max_postings is not None else None
    units = [_prefix_unit(reader, prefix, scan, keep, budget) for prefix in prefixes]
    return [unit for unit in units if unit is not None]


def _prefix_unit(reader, prefix: str, scan: int, keep: int, budget: int | None) -> Query | None:
    """Expand a prefix to the `keep` most common of the first `scan` indexed words that start with it.

    With a `budget`, only as many as are in at most that many documents together (the commonest one always).
    """
    candidates: dict[str, int] = {}
    for count, term in enumerate(reader.expand_prefix(CONTENT, fold(prefix))):
        if count >= scan:
            break
        text = term.decode() if isinstance(term, bytes) else term
        candidates[text] = reader.doc_frequency(CONTENT, text)
    best, total = [], 0
    for term in sorted(candidates, key=lambda t: -candidates[t])[:keep]:
        if best and budget is not None and total + candidates[term] > budget:
            break
        best.append(term)
        total += candidates[term]
    return Or([Term(CONTENT, term) for term in best]) if best else None


def build(parsed: ParsedQuery, reader, synonyms: Synonyms, max_postings: int | None = None) -> Query:
    """Return the scoring query for the positive parts, minus the excluded ones.

    With `max_postings`, words, phrases and prefixes are kept rarest first while the documents they are in
    add up to at most that many (MIN_UNITS of them whatever it costs): every posting of every unit is read
    and scored. A long search of a small site keeps every word; of 100,000 articles, its most specific.
    """
    units = _word_units(parsed, reader, synonyms)
    units += [in_text_fields(tokens) for tokens in map(_phrase_tokens, parsed.phrases) if tokens]
    units += _prefix_units(reader, parsed.prefixes, max_postings)
    units = _merge_repeats(units)
    if max_postings is not None and len(units) > MIN_UNITS:
        units = _most_specific(units, reader, max_postings, parsed.notices)
    if not units:
        return NullQuery
    query = _all_words_first(units, reader)
    title = _title_clause(parsed, reader)
    if title is not None:
        query = Or([query, title])
    excluded = [in_text_fields(t) for t in map(analyse, parsed.excluded) if t]
    excluded += [in_text_fields(t) for t in map(_phrase_tokens, parsed.excluded_phrases) if t]
    return AndNot(query, Or(excluded)) if excluded else query


def _is_common(unit: Query, reader) -> bool:
    # Over articles only: pages are few and of another kind of text (page_terms.py says what they did).
    return article_frequency(reader, unit) > COMMON_SHARE * article_count(reader)


def _all_words_first(units: list[Query], reader) -> Query:
    """Return the units with those that hold every uncommon unit first (all of them when all are common)."""
    if len(units) == 1:
        return units[0]
    every = [unit for unit in units if not _is_common(unit, reader)] or units
    return Or([And(every, boost=ALL_WORDS_BOOST), Or(units)])


def _title_clause(parsed: ParsedQuery, reader) -> Query | None:
    """Return the query for articles whose title holds every uncommon typed word, for a short search."""
    typed = [token for word in parsed.words for token in analyse(word)]
    typed += [token for phrase in parsed.phrases for token in _phrase_tokens(phrase)]
    if not typed or len(typed) > TITLE_WORDS:
        return None
    typed = [token for token in typed if token not in QUESTION_WORDS]
    words = sorted({token for token in typed if not _is_common(Term(CONTENT, token), reader)})
    return And([Term(TITLE, token) for token in words], boost=TITLE_ALL_BOOST) if words else None


def _most_specific(units: list[Query], reader, max_postings: int, notices: list[str]) -> list[Query]:
    """Keep the rarest units (in their order) within the postings bound; say so when some are left out."""
    sizes = [unit.estimate_size(reader) for unit in units]
    kept, total = [], 0
    for number in sorted(range(len(units)), key=sizes.__getitem__):
        if len(kept) >= MIN_UNITS and total + sizes[number] > max_postings:
            break
        kept.append(number)
        total += sizes[number]
    if len(kept) < len(units):
        notices.append(f"Your search had many common words: articles were found by the {len(kept)} rarest.")
    return [units[number] for number in sorted(kept)]


def _merge_repeats(units: list[Query]) -> list[Query]:
    """Make a unit given n times one unit boosted n times: the same scores, each posting list read once."""
    counts: dict[Query, int] = {}
    for unit in units:
        counts[unit] = counts.get(unit, 0) + 1
    return [unit if count == 1 else unit.with_boost(unit.boost * count) for unit, count in counts.items()]


def typed_terms(query: Query) -> set[str]:
    """Return the content words of a query's positive parts that the reader typed, not the synonyms added."""
    positive = query.a if isinstance(query, AndNot) else query
    found: set[str] = set()

    def walk(part: Query) -> None:
        if isinstance(part, DisjunctionMax):
            part = part.subqueries[0]  # a synonym unit: what was typed, then its expansions
        if isinstance(part, Term) and part.fieldname == CONTENT:
            found.add(part.text)
        elif isinstance(part, Phrase) and part.fieldname == CONTENT:
            found.update(part.words)
        for child in part.children():
            walk(child)

    walk(positive)
    return found


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
