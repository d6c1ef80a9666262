"""The search a reader's text stands for: the key of its kept result page, so variants of one search share it.

"Migraine  Relief", "migraine relief!", "MIGRAINE AND relief" are one search: the parser reads them into the same
words, and each word is kept in one spelling, its folded form (lowercase, accents folded), where every step that
reads the word gives the same for both: its indexed form (`analyse`: words, phrases, exclusions, titles, synonyms),
its vocabulary form (`fold`: spelling help, prefixes) and, for filters, its slug. Everything else stays as parsed:
phrases apart from words, prefixes, exclusions, filters, repeats (a repeated word weighs more) and the order of each
list, which is read: synonyms match runs of consecutive words, spelling help looks at the first few words only, the
many-words bound keeps units in their order and scores are float sums in that order. So "relief migraine" is
another search. The order between words, phrases and prefixes is not kept by the parser, nor are AND, OR and the
spelling of NOT ("NOT x" is "-x"): build() never sees them.
"""

import re
from collections.abc import Hashable
from dataclasses import dataclass

from ..content.slugs import slugify
from .parse import ParsedQuery, parse
from .spelling import fold
from .synonyms import analyse

_WORD = re.compile(r"\w+")


def spelling(word: str) -> str:
    """Return the one spelling searched for a word: its folded form, unless some step would read that otherwise."""
    folded = fold(word)
    if folded and folded != word and fold(folded) == folded and analyse(folded) == analyse(word):
        return folded
    return word


def replace_words(text: str, fixes: dict[str, str]) -> str:
    """Return the text with each word that `fixes` maps (by its spelling) replaced, the rest as typed."""
    return " ".join(fixes.get(spelling(word), word) if _WORD.fullmatch(word) else word for word in text.split())


def _filter_value(value: str) -> str:
    """Return a filter's value in one spelling, when its slug and indexed words stay the same."""
    same = " ".join(map(spelling, value.split()))  # analysed word by word, so its indexed words stay the same
    return same if slugify(same) == slugify(value) else value


@dataclass(frozen=True)
class SearchKey:
    """A search as the parser reads it, each word in one spelling, with every option that changes its page."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    prefixes: tuple[str, ...]
    excluded: tuple[str, ...]
    excluded_phrases: tuple[tuple[str, ...], ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # by field name: filter_query reads them field by field
    options: Hashable  # page, size, order, chosen facets, spelling and synonyms switches (not the text)

    def parsed(self) -> ParsedQuery:
        """Return a new ParsedQuery of this search (building and spelling help change it)."""
        return ParsedQuery(
            words=list(self.words),
            phrases=[list(phrase) for phrase in self.phrases],
            prefixes=list(self.prefixes),
            excluded=list(self.excluded),
            excluded_phrases=[list(phrase) for phrase in self.excluded_phrases],
            filters={name: list(values) for name, values in self.filters},
        )


def search_key(text: str, options: Hashable) -> SearchKey:
    """Return the key of a cleaned search text with the options that change its page."""
    parsed = parse(text)
    return SearchKey(
        words=tuple(map(spelling, parsed.words)),
        phrases=tuple(tuple(map(spelling, phrase)) for phrase in parsed.phrases),
        prefixes=tuple(map(spelling, parsed.prefixes)),
        excluded=tuple(map(spelling, parsed.excluded)),
        excluded_phrases=tuple(tuple(map(spelling, phrase)) for phrase in parsed.excluded_phrases),
        filters=tuple(sorted((name, tuple(map(_filter_value, values))) for name, values in parsed.filters.items())),
        options=options,
    )
