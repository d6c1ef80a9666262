"""Reading a search page's click tokens as its script does."""

import json
import re


def tokens(client, **params) -> dict[str, str]:
    """Return the signed click token of each result on a search page, by article path."""
    html = client.get("/search", query_string=params).get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="search-click-tokens"[^>]*>(.*?)</script>', html, re.S)
    assert match, "no click tokens on the page"
    return dict(json.loads(match.group(1)))
