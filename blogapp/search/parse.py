"""Read what a reader typed into words, phrases, prefixes, exclusions and filters, without failing."""

import re
import unicodedata
from dataclasses import dataclass, field

FILTER_FIELDS = ("category", "tag", "author")
MIN_PREFIX_CHARS = 3
# What the search functions themselves accept of any caller's text (the web's own caps are no larger):
# thousands of words would nest Whoosh's matchers past Python's recursion limit and take seconds.
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    excluded_phrases: list[list[str]] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)  # synonyms build() added that some article holds

    @property
    def is_empty(self) -> bool:
        """Tell whether there is nothing positive to search for (filters alone count)."""
        return not (self.words or self.phrases or self.prefixes or self.filters)


def clean_text(raw: str, max_chars: int, max_terms: int) -> tuple[str, list[str]]:
    """Drop control characters and cap the length and word count; return the text and notices."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw)
    text = " ".join(text.split())
    notices = []
    if len(text) > max_chars:
        head = text[:max_chars]
        text = head.rsplit(" ", 1)[0] if " " in head else head
        notices.append(f"Your search was longer than {max_chars} characters, so only its start was used.")
    words = text.split()
    if len(words) > max_terms:
        text = " ".join(words[:max_terms])
        notices.append(f"Only the first {max_terms} words of your search were used.")
    return text, notices


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def parse(text: str) -> ParsedQuery:
    """Split cleaned text into query parts; syntax that makes no sense becomes plain words."""
    parsed = ParsedQuery()
    negate_next = False
    for match in _TOKEN.finditer(text):
        minus, prefix_field, quoted, bare = match.groups()
        negative = bool(minus) or negate_next
        negate_next = False
        if bare in ("AND", "OR", "&&", "||") and not prefix_field:
            continue
        if bare in ("NOT", "!") and not prefix_field:
            negate_next = True
            continue
        if prefix_field and prefix_field.lower() in FILTER_FIELDS and (quoted or bare) and not negative:
            value = " ".join(_words(quoted if quoted is not None else bare))
            if value:
                parsed.filters.setdefault(prefix_field.lower(), []).append(value)
                continue
        _add_terms(parsed, prefix_field, quoted, bare, negative)
    return parsed


def _add_terms(parsed: ParsedQuery, prefix_field, quoted, bare, negative: bool) -> None:
    leading = _words(prefix_field) if prefix_field else []
    if quoted is not None:
        words = leading + _words(quoted)
        if len(words) > 1:
            (parsed.excluded_phrases if negative else parsed.phrases).append(words)
        elif words:
            (parsed.excluded if negative else parsed.words).extend(words)
        return
    words = _words(bare)
    if negative:
        parsed.excluded.extend(leading + words)
        return
    parsed.words.extend(leading)
    if bare.endswith("*") and len(words) == 1 and len(words[0]) >= MIN_PREFIX_CHARS:
        parsed.prefixes.append(words[0])
    elif len(words) > 1:
        parsed.phrases.append(words)  # "covid-19", "back-pain": joined words mean a phrase
    else:
        parsed.words.extend(words)
