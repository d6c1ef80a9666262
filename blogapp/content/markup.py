"""Markdown to sanitised HTML, plain text, tables of contents and excerpts."""

import html
import re
from dataclasses import dataclass, field
from typing import Any

import cmarkgfm
import nh3

from .slugs import slugify

HEADING_ID_PREFIX = "s-"
_TOC_LEVELS = ("h2", "h3")
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    **{tag: {"id"} for tag in ("h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height"},
}
# The sanitiser's time grows with the square of the depth of nested blocks: 20,000 nested <div> or list
# levels took 2 s, 50,000 nested quotes ("> > > …") 31 s. Articles nest a few levels; past MAX_NESTING a
# fragment is shown as its escaped text. Void elements, those a parser closes by itself and inline formatting
# (which the parser reopens a few at a time) never nest deeply.
MAX_NESTING = 100
_FLAT = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"),
        *("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rp", "rt"),
        *("a", "b", "i", "em", "strong", "span", "code", "s", "u", "small", "sub", "sup", "mark", "del", "ins"),
        *("font", "abbr", "cite", "q", "kbd", "samp", "var", "time"),
    }
)
_OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr|td|th|div|figure|figcaption)>|<br\s*/?>", re.I)
# GitHub's cmark-gfm: CommonMark in time linear in the text, whatever it holds. markdown-it-py took 13-25 s for
# 400 KB of "*a", "[" or table pipes in the editor (quadratic), and 1 s for 250 KB of ordinary prose.
# Raw HTML is kept for nh3 to clean; smart punctuation writes curly quotes and dashes.
_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE | cmarkgfm.Options.CMARK_OPT_SMART
_EXTENSIONS = ["table", "strikethrough"]
# cmark writes a heading's tag bare; one written as raw HTML with attributes is left as it is.
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")
# Anchors are made from the typed quotes, as before smart punctuation: links to "#s-a-pharmacist-s-view" hold.
_STRAIGHT_QUOTES = str.maketrans("‘’“”", "''\"\"")


@dataclass
class Rendered:
    html: str
    text: str
    toc: list[dict[str, Any]] = field(default_factory=list)


def sanitize_html(raw_html: str) -> str:
    """Keep only safe tags, attributes and URL schemes of user-written HTML (nested too deep: its escaped text)."""
    if _nesting(raw_html) > MAX_NESTING:
        return f"<pre>{html.escape(html_to_text(raw_html))}</pre>"
    return nh3.clean(
        raw_html,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes={"code": {f"language-{name}" for name in ("python", "bash", "text", "json")}},
        id_prefix=HEADING_ID_PREFIX,
    )


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment, blocks separated by newlines."""
    fragment = _BLOCK_END.sub("\n", fragment)
    text = _TAG.sub("", fragment) if _nesting(fragment) > MAX_NESTING else nh3.clean(fragment, tags=set())
    text = html.unescape(text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _nesting(raw_html: str) -> int:
    """Return how deep the elements of an HTML fragment that hold others open are nested."""
    depth = deepest = 0
    for closing, name in _OPEN_OR_CLOSE.findall(raw_html):
        if name.lower() not in _FLAT:
            depth = max(0, depth - 1) if closing else depth + 1
            deepest = max(deepest, depth)
    return deepest


def render_markdown(source: str) -> Rendered:
    """Render Markdown to sanitised HTML with heading anchors, its plain text and its contents."""
    raw = cmarkgfm.markdown_to_html_with_extensions(source, options=_OPTIONS, extensions=_EXTENSIONS)
    shift = 1 if any(match[1] == "1" for match in _HEADING.finditer(raw)) else 0
    toc: list[dict[str, Any]] = []
    used: set[str] = set()

    def anchored(match: re.Match) -> str:
        level, inner = min(6, int(match[1]) + shift), match[2]
        title = html.unescape(_TAG.sub("", inner)).strip()
        anchor = _unique(slugify(title.translate(_STRAIGHT_QUOTES)) or "section", used)
        if f"h{level}" in _TOC_LEVELS:
            toc.append({"level": level, "title": title, "anchor": HEADING_ID_PREFIX + anchor})
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    if _nesting(raw) > MAX_NESTING:  # the source as written, not the far longer HTML of its levels
        return Rendered(html=f"<pre>{html.escape(source)}</pre>", text=source)
    safe = sanitize_html(_HEADING.sub(anchored, raw))
    return Rendered(html=safe, text=html_to_text(safe), toc=toc)


def _unique(slug: str, used: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def excerpt(text: str, length: int = 180) -> str:
    """Cut plain text at a word boundary near `length` characters, with an ellipsis if cut."""
    head = text[: length * 4]  # enough unless whitespace runs are long: an article body is not split whole
    text = " ".join((head if len(" ".join(head.split())) > length else text).split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
