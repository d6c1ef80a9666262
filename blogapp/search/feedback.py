"""Pseudo-relevance feedback (RM3) for loose searches of several words: the best hits' words re-rank the matches.

A search of four or more words that no document holds all of is a description rather than a name ("graph
algorithms applicable to sparse matrices"); the words the best few matches share say what else to look for.
Measured with `flask search evaluate --all` against the ranking without it (MAP / nDCG@10): ADI .4233 ->
.4286 / .4949 -> .5026, CACM .3561 -> .3841 / .5136 -> .5143, CISI .1995 -> .2300 / .3662 -> .3756, Cranfield
.3075 -> .3574 / .3731 -> .4111; no metric lower on any collection, the reader set unchanged. Plain RM3 (scores
as document weights, 10 words, no length smoothing) lost 10-14% MAP on ADI and CACM: short documents' words
crowded the model, hence the smoothing MU and the idf in the choice of words.
"""

import heapq
from collections import Counter
from math import log

from whoosh.query import And, Or, Query

from .build import ALL_WORDS_BOOST
from .ranking import Scorer, Scores, best
from .schema import CONTENT, word_spans

MIN_WORDS = 4  # words, phrases or prefixes typed (after stop words); shorter searches say what they want
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 20
ORIGINAL_WEIGHT = 0.45  # the typed words' share of the expanded query
DOC_POWER = 3.0  # a feedback document weighs (its score / the best score) ** DOC_POWER
MU = 300.0  # words added to each document's length: a title-only document does not speak for the rest
# Postings the feedback words may add to a search (each read and scored once): rarer words first.
MAX_FEEDBACK_POSTINGS = 10_000
# Words of the model whose idf is looked up (70 µs each at 10,000 articles; all of them took 350 ms a search).
CANDIDATES = 200
MAX_TEXT = 5000  # characters of each feedback document read (the test collections' documents are shorter)


def rerank(scorer: Scorer, query: Query, scores: Scores, allowed: set[int]) -> Scores:
    """Return the allowed documents' scores with the feedback words' scores added, for a loose search of several words.

    `query` is the ranking query build() made and `scores` its scores; other searches get `scores` as they are.
    """
    found = _all_words_first(query)
    if found is None or not scores:
        return scores
    every, units = found
    if len(units) < MIN_WORDS or not allowed.isdisjoint(scorer.scores(every) or ()):
        return scores  # a short search, or one some documents hold every word of: they come first as they are
    top = best(scores, FEEDBACK_DOCS, allowed)
    model = _relevance_model(scorer, scores, top) if top else []
    if not model:
        return scores
    # The typed units weigh 1 each in `scores`, ORIGINAL_WEIGHT of the whole; the feedback words share the rest.
    scale = (1 - ORIGINAL_WEIGHT) / ORIGINAL_WEIGHT * len(units)
    total = {docnum: score for docnum, score in scores.items() if docnum in allowed}
    for word, weight in model:
        for docnum, score in scorer.term(word, CONTENT).items():
            if docnum in total:
                total[docnum] += scale * weight * score
    return total


def _all_words_first(query: Query) -> tuple[Query, list[Query]] | None:
    """Return the all-words clause of build()'s ranking query and its units (words, phrases, prefixes), or None."""
    if isinstance(query, Or) and len(query.subqueries) == 2:
        every, some = query.subqueries
        if isinstance(every, And) and every.boost == ALL_WORDS_BOOST and isinstance(some, Or):
            return every, some.subqueries
    for child in query.children():
        found = _all_words_first(child)
        if found is not None:
            return found
    return None


def _relevance_model(scorer: Scorer, scores: Scores, top: list[int]) -> list[tuple[str, float]]:
    """Return the FEEDBACK_TERMS words likeliest in the top documents times their idf, with weights summing to 1."""
    searcher, model = scorer.searcher, Counter()
    for docnum in top:
        fields = searcher.stored_fields(docnum)
        text = " ".join(fields.get(name) or "" for name in ("title", "summary", "body"))[:MAX_TEXT]
        counts = Counter(word for _, _, word in word_spans(text) if word.isalpha())
        weight = (scores[docnum] / scores[top[0]]) ** DOC_POWER
        length = sum(counts.values()) + MU
        for word, count in counts.items():
            model[word] += weight * count / length
    reader = searcher.reader()
    count = reader.doc_count_all()
    likeliest = heapq.nlargest(CANDIDATES, model.items(), key=lambda pair: (pair[1], pair[0]))
    frequencies = {word: reader.doc_frequency(CONTENT, word) for word, _ in likeliest}
    idf = {word: log(1 + (count - df + 0.5) / (df + 0.5)) for word, df in frequencies.items()}  # as BM25's
    ranked = [(weight * idf[word], word) for word, weight in likeliest]
    chosen, postings = [], 0
    for weight, word in heapq.nlargest(FEEDBACK_TERMS, ranked):
        if postings + frequencies[word] > MAX_FEEDBACK_POSTINGS:
            continue
        chosen.append((weight, word))
        postings += frequencies[word]
    norm = sum(weight for weight, _ in chosen)
    return [(word, weight / norm) for weight, word in chosen] if norm > 0 else []
