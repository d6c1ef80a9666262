"""The parts of a WXR file: which namespaces are WordPress's, element names, texts and post meta, the report."""

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

# WordPress writes http://wordpress.org/export/1.2/; WordPress.com and some plugins write https, www. or no slash.
_WP_NAMESPACE = re.compile(r"https?://(?:www\.)?wordpress\.(?:org|com)/export/\d+\.\d+(/excerpt)?/?")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass
class WxrReport:
    """What an import did: posts and pages imported, items skipped with the reason, counters, and uploads stored."""

    imported: int = 0
    pages: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counters: Counter = field(default_factory=Counter)
    uploads: list = field(default_factory=list)  # attachments stored; their files go if the import is not kept


def is_wordpress_namespace(uri: str) -> bool:
    """Tell whether a namespace URI is one of WordPress's export namespaces (any version, http or https)."""
    return _WP_NAMESPACE.fullmatch(uri.strip()) is not None


def element_name(tag: object) -> tuple[str, str]:
    """Split an lxml tag into (kind, local name), kind being wp, excerpt, content, dc or ''."""
    if not isinstance(tag, str):
        return "", ""
    uri, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    if (wordpress := _WP_NAMESPACE.fullmatch(uri.strip())) is not None:
        return ("excerpt" if wordpress.group(1) else "wp"), local
    return {CONTENT_NS: "content", DC_NS: "dc"}.get(uri, "other" if uri else ""), local


def child_texts(element: etree._Element) -> dict[str, str]:
    """Return the text of each child element by "kind:local name" (e.g. "wp:post_id", ":title")."""
    return {":".join(element_name(child.tag)): (child.text or "").strip() for child in element}


def postmeta(element: etree._Element) -> dict[str, str]:
    """Return an item's post meta (wp:postmeta key and value pairs) by key."""
    meta = {}
    for child in element:
        if element_name(child.tag) == ("wp", "postmeta"):
            texts = child_texts(child)
            meta[texts.get("wp:meta_key", "")] = texts.get("wp:meta_value", "")
    return meta
