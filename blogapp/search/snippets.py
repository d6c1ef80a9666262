"""Highlighted titles and body snippets, cut using the word offsets stored in the index.

A snippet is at most two passages, about TOTAL_CHARS in all (two lines on a phone), each inside one block of
the body (a heading, paragraph or list item: the body's lines), joined by one ellipsis. Only the words a
reader typed are marked; synonyms added by the search help choose the passages but are not marked as typed.
"""

from markupsafe import Markup, escape

from .postings import leaf_values
from .schema import CONTENT, word_spans

FRAGMENT_CHARS = 160
TOTAL_CHARS = 220
MIN_SECOND_CHARS = 50  # a second passage shorter than this says too little to be worth its ellipsis
LEAD_CHARS = 40
MIN_BLOCK_CHARS = 80  # shorter blocks are mostly headings: a passage in a paragraph is preferred
MAX_FRAGMENTS = 2
ELLIPSIS = "…"

Span = tuple[int, int, str]


def body_spans(reader, docnums: list[int], terms: set[str]) -> dict[int, list[Span]]:
    """Return, per document, the (start, end, term) offsets in its body of each matched term."""
    spans: dict[int, list[Span]] = {docnum: [] for docnum in docnums}
    wanted = sorted(docnums)
    for term in terms:
        for leaf, base in reader.leaf_readers():
            local = [docnum - base for docnum in wanted if base <= docnum < base + leaf.doc_count_all()]
            for docnum, places in leaf_values(leaf, CONTENT, term, local, "characters").items() if local else ():
                spans[base + docnum].extend((start, end, term) for _, start, end in places)
    return spans


def _mark(word: str) -> Markup:
    return Markup("<mark>%s</mark>") % word


def _block(body: str, position: int) -> tuple[int, int]:
    """Return the start and end of the line (block) of the body that holds `position`."""
    return body.rfind("\n", 0, position) + 1, len(body) if (end := body.find("\n", position)) < 0 else end


def _best_windows(body: str, spans: list[Span], marked: set[str]) -> list[tuple[int, int, int]]:
    """Pick up to MAX_FRAGMENTS places (first span start, block start, block end), best first.

    Best: most distinct typed words, then most distinct words, then in a paragraph rather than a heading,
    then most words, then earliest.
    """
    scored = []
    for i, (start, _, _) in enumerate(spans):
        block_start, block_end = _block(body, start)
        limit = min(block_end, start + FRAGMENT_CHARS - LEAD_CHARS)
        inside = [s for s in spans[i:] if s[1] <= limit]
        terms = {term for _, _, term in inside}
        paragraph = block_end - block_start >= MIN_BLOCK_CHARS
        scored.append(
            ((len(terms & marked), len(terms), paragraph, len(inside), -start), (start, block_start, block_end))
        )
    chosen: list[tuple[int, int, int]] = []
    for _, place in sorted(scored, reverse=True):
        if all(place[1] != other[1] or abs(place[0] - other[0]) >= FRAGMENT_CHARS for other in chosen):
            chosen.append(place)
        if len(chosen) == MAX_FRAGMENTS:
            break
    return chosen


def _cut(body: str, first: int, block_start: int, block_end: int, size: int) -> tuple[int, int]:
    """Return a passage of at most `size` characters of one block around `first`, ends at word boundaries."""
    start = max(block_start, first - LEAD_CHARS)
    end = min(block_end, start + size)
    start = max(block_start, min(start, end - size))  # a passage near the block's end starts earlier
    if start > block_start:
        space = body.find(" ", start, first)
        start = space + 1 if space >= 0 else first
    if end < block_end:
        space = body.rfind(" ", first, end)
        end = space if space > first else end
    return start, end


def _passage(body: str, start: int, end: int, spans: list[Span], marked: set[str]) -> Markup:
    cursor, out = start, []
    for span_start, span_end, term in spans:
        if term in marked and span_start >= cursor and span_end <= end:
            out += [escape(body[cursor:span_start]), _mark(body[span_start:span_end])]
            cursor = span_end
    out.append(escape(body[cursor:end]))
    return Markup("").join(out)


def snippet(body: str, spans: list[Span], marked: set[str] | None = None) -> Markup:
    """Return up to two passages of the body around the matched words, the `marked` ones (default all) in <mark>."""
    spans = sorted(span for span in spans if span[1] <= len(body))
    if not spans:
        return Markup("")
    marked = {term for _, _, term in spans} if marked is None else marked
    places = _best_windows(body, spans, marked)
    budget, cuts = TOTAL_CHARS, []
    for first, block_start, block_end in places:
        size = min(FRAGMENT_CHARS, budget)
        if cuts and size < MIN_SECOND_CHARS:
            break
        start, end = _cut(body, first, block_start, block_end, size)
        cuts.append((start, end, block_start, block_end))
        budget -= end - start
    cuts.sort()
    out: list[Markup | str] = []
    for number, (start, end, block_start, _) in enumerate(cuts):
        if number:
            out.append(f" {ELLIPSIS} ")
        elif start > block_start:
            out.append(f"{ELLIPSIS} ")
        out.append(_passage(body, start, end, spans, marked))
    if cuts[-1][1] < cuts[-1][3]:
        out.append(f" {ELLIPSIS}")
    return Markup("").join(out)


def mark_words(text: str, terms: set[str]) -> Markup:
    """Return short text (a title) escaped, with the words matching `terms` in <mark>."""
    out, cursor = [], 0
    for start, end, word in word_spans(text) if terms else ():
        if word in terms:
            out += [escape(text[cursor:start]), _mark(text[start:end])]
            cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
