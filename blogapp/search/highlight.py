"""Mark a reader's search words in an article's HTML, touching only text between tags."""

import re

from markupsafe import Markup

from .parse import parse
from .schema import ANALYZER

_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)")
_MAX_TEXT = 200


def search_terms(text: str) -> set[str]:
    """Return the indexed forms of the positive words and phrases of a search."""
    parsed = parse(" ".join(text.split())[:_MAX_TEXT])
    words = parsed.words + [word for phrase in parsed.phrases for word in phrase]
    return {token.text for token in ANALYZER(" ".join(words))}


def highlight_html(fragment: str, text: str) -> Markup:
    """Wrap each word of the sanitised `fragment` that matches the search `text` in <mark>."""
    terms = search_terms(text)
    if not terms:
        return Markup(fragment)
    out = []
    for part in _TAG_OR_ENTITY.split(fragment):
        if not part or part.startswith(("<", "&")):
            out.append(part)
            continue
        cursor = 0
        for token in ANALYZER(part, chars=True):
            if token.text in terms:
                out.append(part[cursor : token.startchar])
                out.append(f"<mark>{part[token.startchar : token.endchar]}</mark>")
                cursor = token.endchar
        out.append(part[cursor:])
    return Markup("".join(out))
