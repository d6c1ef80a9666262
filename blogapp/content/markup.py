"""Markdown to sanitised HTML, plain text, tables of contents and excerpts."""

import html
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from markdown_it import MarkdownIt

from .slugs import slugify

HEADING_ID_PREFIX = "s-"
_TOC_LEVELS = ("h2", "h3")
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    **{tag: {"id"} for tag in ("h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height"},
}
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr|td|th|div|figure|figcaption)>|<br\s*/?>", re.I)
_md = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)


@dataclass
class Rendered:
    html: str
    text: str
    toc: list[dict[str, Any]] = field(default_factory=list)


def sanitize_html(raw_html: str) -> str:
    """Keep only safe tags, attributes and URL schemes of user-written HTML."""
    return nh3.clean(
        raw_html,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes={"code": {f"language-{name}" for name in ("python", "bash", "text", "json")}},
        id_prefix=HEADING_ID_PREFIX,
    )


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment, blocks separated by newlines."""
    text = nh3.clean(_BLOCK_END.sub("\n", fragment), tags=set())
    text = html.unescape(text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def render_markdown(source: str) -> Rendered:
    """Render Markdown to sanitised HTML with heading anchors, its plain text and its contents."""
    tokens = _md.parse(source)
    shift = 1 if any(t.type == "heading_open" and t.tag == "h1" for t in tokens) else 0
    toc: list[dict[str, Any]] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
        if token.type == "heading_open":
            title = tokens[index + 1].content
            anchor = _unique(slugify(title) or "section", used)
            token.attrSet("id", anchor)
            if token.tag in _TOC_LEVELS:
                toc.append({"level": int(token.tag[1]), "title": title, "anchor": HEADING_ID_PREFIX + anchor})
    safe = sanitize_html(_md.renderer.render(tokens, _md.options, {}))
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
