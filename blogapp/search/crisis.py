"""Whether a search names a crisis term, compared word by word in the analysed forms the index uses."""

from .. import caches
from ..content.safety import SafetySettings, safety_settings
from .schema import ANALYZER


def analysed(text: str) -> tuple[str, ...]:
    """Return the words of `text` as the index stores them: folded, stop words dropped, stemmed."""
    return tuple(token.text for token in ANALYZER(text))


@caches.memoize(
    "search.crisis_terms",
    maxsize=4,
    holds="the analysed words of each crisis term list of the safety settings",
    cleared_by="nothing: a list's analysed words never change (a new list is a new key; least recently used go)",
)
def _analysed_terms(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(words for words in map(analysed, terms) if words)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[start : start + size] == phrase for start in range(len(words) - size + 1))


def names_crisis_term(text: str, terms: tuple[str, ...]) -> bool:
    """Tell whether `text` holds one of `terms`: a word in any form, a phrase as its words in order."""
    words = analysed(text)
    return bool(words) and any(_contains(words, phrase) for phrase in _analysed_terms(terms))


def safety_panel_for(*texts: str | None) -> SafetySettings | None:
    """Return the safety panel to show above results when any of `texts` (typed, corrected) names a crisis term."""
    texts = tuple(text for text in texts if text)
    if not texts:  # a browse by topic or tag: no settings read
        return None
    settings = safety_settings()
    return settings if any(names_crisis_term(text, settings.terms) for text in texts) else None
