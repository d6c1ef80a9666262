"""Markdown rendering, sanitising, contents, excerpts and slugs."""

import pytest

from blogapp.content.markup import excerpt, render_markdown
from blogapp.content.slugs import slugify


def test_markdown_renders_lists_links_and_headings():
    rendered = render_markdown("## Steps\n\n1. Rest\n2. Drink water\n\n- [NHS](https://www.nhs.uk/)")
    assert '<h2 id="s-steps">Steps</h2>' in rendered.html
    assert "<ol>" in rendered.html and "<ul>" in rendered.html
    assert '<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>' in rendered.html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_dangerous_html_is_removed(source):
    html = render_markdown(source).html.lower()
    for needle in ("<script", "onerror=", "onload=", 'href="javascript:', "<iframe", "<svg", "style="):
        assert needle not in html


def test_h1_in_body_is_shifted_below_the_page_title():
    rendered = render_markdown("# Top\n\n## Sub")
    assert "<h1" not in rendered.html
    assert [entry["level"] for entry in rendered.toc] == [2, 3]


def test_toc_anchors_are_unique():
    rendered = render_markdown("## Dose\n\n## Dose\n\n### Side effects")
    assert [entry["anchor"] for entry in rendered.toc] == ["s-dose", "s-dose-2", "s-side-effects"]


def test_plain_text_separates_blocks_and_unescapes():
    assert render_markdown("One & two\n\n## Next").text == "One & two\nNext"


def test_slugify():
    assert slugify("Does ketamine help migraines?") == "does-ketamine-help-migraines"
    assert slugify("Café — naïve Ångström") == "cafe-naive-angstrom"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("!!!") == ""


def test_slugify_transliterates_letters_outside_ascii():
    assert slugify("Straße") == "strasse" and slugify("œdema") == "oedema"
    assert slugify("Здоровье сердца") == "zdorove-serdtsa" and slugify("健康") == "jian-kang"


def test_excerpt_cuts_at_a_word():
    assert excerpt("short text") == "short text"
    cut = excerpt("word " * 100, 30)
    assert cut.endswith("…") and len(cut) <= 31 and "wor…" not in cut
