"""The article and page editors show the same Markdown body and live preview block (one partial)."""

import re


def body_block(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'<div class="editor-grid">.*?</section>\s*</div>', html, re.S).group(0)


def test_article_and_page_editors_share_the_body_and_preview_block(client, editor):
    article, page = body_block(client, "/admin/articles/new"), body_block(client, "/admin/pages/new")
    assert "Press Preview to see the article as readers will." in article
    assert "Press Preview to see the page as readers will." in page
    assert article.replace("the article", "the page") == page
    assert 'data-preview-url="/admin/preview"' in page and 'id="preview-pane"' in page
