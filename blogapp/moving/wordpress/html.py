"""WordPress post HTML to clean blocks: block comments, captions, galleries, embeds, shortcodes, paragraphs."""

import html
import re
from collections import Counter

# Block tags that also start a CommonMark HTML block, so the block passes through Markdown untouched.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|center|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure"
    "|footer|form|h[1-6]|header|hr|iframe|legend|li|menu|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th"
    "|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"<({BLOCK_TAGS})\b[^>]*>", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_GALLERY = re.compile(r"\[gallery\b[^\]]*\]")
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s<\[]+)\s*\[/embed\]")
_BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"\[\]]+)[ \t]*$", re.M)
_SHORTCODE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]")
# Shortcodes WordPress core and common plugins register; other bracketed words stay text unless paired.
KNOWN_SHORTCODES = {"audio", "video", "playlist", "wp_caption", "code", "sourcecode", "contact-form", "youtube"}


def _link(url: str) -> str:
    safe = html.escape(url, quote=True)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


def convert_content(raw: str, counters: Counter) -> str:
    """Turn WordPress post content into blank-line separated HTML blocks for the Markdown body."""
    text = _COMMENT.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))

    def caption(match: re.Match) -> str:
        media = _MEDIA.match(match.group(2))
        if not media:
            return match.group(2)
        attribute = re.search(r'caption="([^"]*)"', match.group(1))
        words = media.group(2).strip() or (attribute.group(1) if attribute else "")
        return f"\n\n<figure>{media.group(1)}<figcaption>{words}</figcaption></figure>\n\n"

    text = _CAPTION.sub(caption, text)
    text, galleries = _GALLERY.subn("", text)
    counters["galleries_dropped"] += galleries
    text = _EMBED.sub(lambda m: _link(m.group(1)), text)
    text = _BARE_URL.sub(lambda m: _link(m.group(1)), text)
    paired = {name.lower() for name in re.findall(r"\[/([a-zA-Z][\w-]*)\]", text)}

    def shortcode(match: re.Match) -> str:
        closing, name, attributes = match.groups()
        if name.lower() in paired | KNOWN_SHORTCODES or "=" in attributes:
            counters["shortcodes_dropped"] += 0 if closing else 1
            return ""
        return match.group(0)

    return autop(_SHORTCODE.sub(shortcode, text))


def autop(text: str) -> str:
    """Wrap loose text in paragraphs (single newlines become <br>) and keep HTML blocks whole."""
    blocks: list[str] = []
    position = 0
    while (opening := _BLOCK_OPEN.search(text, position)) is not None:
        blocks += _paragraphs(text[position : opening.start()])
        end = _block_end(text, opening)
        block = text[opening.start() : end].strip()
        # A blank line would end the CommonMark HTML block early; <pre> blocks end at their closing tag.
        blocks.append(block if opening.group(1).lower() == "pre" else re.sub(r"\n\s*\n", "\n", block))
        position = end
    blocks += _paragraphs(text[position:])
    return "\n\n".join(blocks)


def _block_end(text: str, opening: re.Match) -> int:
    tag = opening.group(1)
    if tag.lower() == "hr" or opening.group(0).endswith("/>"):
        return opening.end()
    depth = 1
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", text[opening.end() :], re.I):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return opening.end() + match.end()
    unclosed = re.search(r"\n\s*\n", text[opening.end() :])
    return opening.end() + unclosed.start() if unclosed else len(text)


def _paragraphs(text: str) -> list[str]:
    chunks = (chunk.strip() for chunk in re.split(r"\n\s*\n", text))
    return ["<p>" + re.sub(r"[ \t]*\n[ \t]*", "<br>\n", chunk) + "</p>" for chunk in chunks if chunk]
