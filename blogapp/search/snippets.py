"""Highlighted titles and body snippets, cut using the word offsets stored in the index."""

from markupsafe import Markup, escape
from whoosh.reading import TermNotFound

from .schema import ANALYZER, CONTENT

FRAGMENT_CHARS = 200
LEAD_CHARS = 60
MAX_FRAGMENTS = 2


def body_spans(reader, docnums: list[int], terms: set[str]) -> dict[int, list[tuple[int, int, str]]]:
    """Return, per document, the (start, end, term) offsets in its body of each matched term."""
    spans: dict[int, list[tuple[int, int, str]]] = {docnum: [] for docnum in docnums}
    for term in terms:
        try:
            matcher = reader.postings(CONTENT, term)
        except TermNotFound:
            continue
        for docnum in sorted(docnums):
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                spans[docnum].extend((start, end, term) for _, start, end in matcher.value_as("characters"))
    return spans


def _mark(word: str) -> Markup:
    return Markup("<mark>%s</mark>") % word


def _best_windows(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Pick up to MAX_FRAGMENTS windows that hold the most distinct terms, in text order."""
    spans = sorted(spans)
    scored = []
    for i, (start, _, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= start + FRAGMENT_CHARS - LEAD_CHARS]
        scored.append((len({term for _, _, term in inside}), len(inside), -start, start))
    chosen: list[int] = []
    for *_, start in sorted(scored, reverse=True):
        if all(abs(start - other) >= FRAGMENT_CHARS for other in chosen):
            chosen.append(start)
        if len(chosen) == MAX_FRAGMENTS:
            break
    return [(max(0, s - LEAD_CHARS), s - LEAD_CHARS + FRAGMENT_CHARS) for s in sorted(chosen)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's ends to word boundaries."""
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, min(end, len(text))


def snippet(body: str, spans: list[tuple[int, int, str]]) -> Markup:
    """Return up to two passages of the body around the matched words, with the words in <mark>."""
    spans = [span for span in spans if span[1] <= len(body)]
    if not spans:
        return Markup("")
    pieces = []
    for window_start, window_end in _best_windows(spans):
        start, end = _trim(body, window_start, window_end)
        cursor, out = start, []
        for span_start, span_end, _ in sorted(spans):
            if span_start >= cursor and span_end <= end:
                out += [escape(body[cursor:span_start]), _mark(body[span_start:span_end])]
                cursor = span_end
        out.append(escape(body[cursor:end]))
        text = Markup("").join(out).replace("\n", " ")
        pieces.append(("… " if start > 0 else "") + text + (" …" if end < len(body) else ""))
    return Markup(" ").join(pieces)


def mark_words(text: str, terms: set[str]) -> Markup:
    """Return short text (a title) escaped, with the words matching `terms` in <mark>."""
    out, cursor = [], 0
    for token in ANALYZER(text, chars=True):
        if token.text in terms:
            out += [escape(text[cursor : token.startchar]), _mark(text[token.startchar : token.endchar])]
            cursor = token.endchar
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
