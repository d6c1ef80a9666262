"""Media the stylesheet answers: the dark colour scheme, and print (article text and references, no navigation)."""

import pytest
from site_pages import PAGES

pytestmark = pytest.mark.browser

# Whether each part of the page is drawn, and what is printed after each reference link.
PRINTED = """() => {
  const shown = selector => [...document.querySelectorAll(selector)].some(el => el.checkVisibility());
  const parts = [".site-nav", ".search-box", ".sidebar", ".footer-nav", "button", ".prose", ".references", "h1"];
  return {
    shown: Object.fromEntries(parts.map(selector => [selector, shown(selector)])),
    color: getComputedStyle(document.body).color,
    background: getComputedStyle(document.body).backgroundColor,
    after: [...document.querySelectorAll(".references a[href^='http']")]
      .map(a => [a.getAttribute("href"), getComputedStyle(a, "::after").content]),
  };
}"""


def test_article_prints_text_and_references_without_navigation(page, live_site):
    """Under print media an article shows its heading, body and references (with URLs), black on white, no chrome."""
    page.goto(PAGES["article"].path)
    screen = page.evaluate(PRINTED)
    assert screen["shown"][".site-nav"] and screen["shown"][".sidebar"]
    page.emulate_media(media="print", color_scheme="dark")
    printed = page.evaluate(PRINTED)
    hidden = {".site-nav", ".search-box", ".sidebar", ".footer-nav", "button"}
    assert {part for part, shown in printed["shown"].items() if not shown} == hidden, printed["shown"]
    assert (printed["color"], printed["background"]) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    assert printed["after"], "the demo article should have references with web addresses"
    for href, after in printed["after"]:
        assert after == f'" ({href})"', (href, after)


def test_dark_scheme_follows_the_reader_preference(page, live_site):
    """With prefers-color-scheme: dark the page turns light-on-dark; without it, it stays dark-on-white."""
    colours = "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    page.goto(PAGES["article"].path)
    assert page.evaluate(colours) == ["rgb(29, 35, 42)", "rgb(255, 255, 255)"]
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(colours) == ["rgb(228, 232, 235)", "rgb(20, 25, 30)"]
