"""How the XSS tests tell that script could run: checks of the raw HTML, of feeds and of the DOM Chromium built.

The Inspector visits pages in one browser context with a trap for payloads that run, checks each page by all
three, and records which payload markers (XSS-17) each kind of page showed.
"""

import json
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser

from lxml import etree

# Records what a payload would do if it ran: set window.__xss, or (CSP on) make the browser refuse something.
TRAP = """(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", {value: hits});
  Object.defineProperty(window, "__xss", {get() { return undefined; }, set(value) { hits.push("flag " + value); }});
  document.addEventListener("securitypolicyviolation",
    (event) => hits.push("CSP refused " + event.violatedDirective + ": " + (event.sample || event.blockedURI)));
})()"""
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset")
FORBIDDEN_TAGS = (
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "svg",
    "math",
    "template",
    "isindex",
    "keygen",
    "xmp",
    "noembed",
    "listing",
    "marquee",
)
# The search page's click tokens: a JSON data block (browsers run no script of that type), the page's only one.
DATA_BLOCK_ID = "search-click-tokens"
# The same rules as dangerous_markup, run on the DOM Chromium built (after any script changed it).
DOM_CHECK = """() => {
  const urls = URLS, forbidden = FORBIDDEN, found = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (forbidden.includes(tag)) found.push("<" + tag + ">");
    const data = el.type === "application/ld+json" || (el.type === "application/json" && el.id === DATA_ID);
    if (tag === "script" && !(el.src.startsWith(location.origin + "/static/") || data))
      found.push("script " + el.outerHTML.slice(0, 80));
    if (tag === "meta" && el.httpEquiv) found.push("meta http-equiv " + el.httpEquiv);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") found.push(tag + " " + name + "=" + attr.value.slice(0, 60));
      if (urls.includes(name) && /^(javascript|vbscript|data):/.test(value)) found.push(tag + " " + name + "=" + value);
      if (name === "style" && /expression|javascript|url\\(/.test(value)) found.push(tag + " style=" + value);
    }
  }
  return found;
}""".replace("URLS", json.dumps(URL_ATTRIBUTES)).replace("FORBIDDEN", json.dumps(FORBIDDEN_TAGS))
DOM_CHECK = DOM_CHECK.replace("DATA_ID", json.dumps(DATA_BLOCK_ID))


def _data_block(attributes: dict) -> bool:
    """Tell whether a script element is one of the site's own data blocks, which browsers never run."""
    kind = attributes.get("type")
    return kind == "application/ld+json" or (kind == "application/json" and attributes.get("id") == DATA_BLOCK_ID)


class _MarkupChecker(HTMLParser):
    """Collect the tags and attributes of an HTML document that could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script" and not (attributes.get("src", "").startswith("/static/") or _data_block(attributes)):
            self.found.append(f"script {self.get_starttag_text()[:80]}")
        if tag == "meta" and "http-equiv" in attributes:
            self.found.append(f"meta http-equiv {attributes['http-equiv']}")
        for name, value in attributes.items():
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"{tag} {name}={value[:60]}")
            if name in URL_ATTRIBUTES and re.match(r"(javascript|vbscript|data):", squeezed):
                self.found.append(f"{tag} {name}={squeezed[:60]}")
            if name == "style" and re.search(r"expression|javascript|url\(", squeezed):
                self.found.append(f"{tag} style={squeezed[:60]}")


def dangerous_markup(html: str) -> list[str]:
    """Return the markup in `html` that could run script (by Python's HTML parser)."""
    checker = _MarkupChecker()
    checker.feed(html)
    checker.close()
    return checker.found


# RSS <description> is HTML by convention too; the site sends its plain-text summary there escaped twice (test below).
HTML_IN_FEEDS = ("{http://purl.org/rss/1.0/modules/content/}encoded",)
FOREIGN_NAMESPACES = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math")


def feed_problems(xml: str) -> list[str]:
    """Return XHTML/SVG elements in a feed or sitemap, and unsafe markup in the HTML its readers render."""
    root = etree.fromstring(xml.encode())
    found = [
        f"element {el.tag}"
        for el in root.iter()
        if isinstance(el.tag, str) and el.tag.startswith(tuple("{" + namespace for namespace in FOREIGN_NAMESPACES))
    ]
    for el in root.iter():
        is_html = el.tag in HTML_IN_FEEDS or (
            el.tag == "{http://www.w3.org/2005/Atom}content" and el.get("type") == "html"
        )
        if is_html and el.text:
            found += [f"{el.tag}: {item}" for item in dangerous_markup(el.text)]
    return found


def markers_in(raw: str) -> set[str]:
    """Return the numbers of the payload markers in a page (search highlighting may split them with <mark>)."""
    return set(re.findall(r"XSS-(\d+)", re.sub(r"</?mark>", "", raw), re.I))


class Inspector:
    """Visit pages in one browser context, check each, and count what was checked."""

    def __init__(self, page, label: str):
        self.page, self.label = page, label
        page.context.add_init_script(TRAP)
        self.failures: list[str] = []
        self.seen: dict[str, set[str]] = defaultdict(set)  # page kind → markers present on those pages
        self.visits: Counter = Counter()
        page.on("console", lambda message: self._console(message.text))

    def _console(self, text: str) -> None:
        if re.search(r"XSS-\d+", text, re.I):
            self.failures.append(f"{self.label}: console says {text!r}")

    def visit(self, kind: str, url: str, status: int = 200) -> None:
        """Open `url`, check it, and record which payload markers it showed."""
        response = self.page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        self.inspect(kind, url, response.text(), response.headers.get("content-type", ""))

    def inspect(self, kind: str, url: str, raw: str, content_type: str = "text/html") -> None:
        """Check the page as it stands, given the HTML (or XML) the server sent."""
        self.page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")
        found = [f"trap: {hit}" for hit in self.page.evaluate("window.__xssHits || []")]
        if "html" in content_type:
            found += [f"raw HTML: {item}" for item in dangerous_markup(raw)]
            found += [f"DOM: {item}" for item in self.page.evaluate(DOM_CHECK)]
        elif "xml" in content_type:
            found += [f"XML: {item}" for item in feed_problems(raw)]
        found += [f"dialog: {text}" for text in self.page.watch.dialogs]
        self.page.watch.dialogs.clear()
        self.failures += [f"{self.label} {url}: {item}" for item in found]
        self.seen[kind] |= markers_in(raw)
        self.visits[kind] += 1
