"""A result page one worker works out serves the others, until the index, the content or the synonyms change."""

import os
import re
import time
from pathlib import Path

import pytest

from blogapp import create_app
from blogapp.search import query, resultcache


@pytest.fixture
def searches(monkeypatch):
    """Record every search actually worked out (not answered from a cache), by its text."""
    worked_out = []
    original = query._search_page
    monkeypatch.setattr(query, "_search_page", lambda *args: worked_out.append(args[1].text) or original(*args))
    return worked_out


# Click tokens carry the second they were signed in, so two requests may differ there and nowhere else.
CLICK_TOKENS = re.compile(r'<script type="application/json" id="search-click-tokens"[^>]*>.*?</script>', re.S)


def results(client, text: str) -> str:
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    page = CLICK_TOKENS.sub("", response.get_data(as_text=True))
    return page.split('<ol class="results"')[1].split("</aside>")[0] if '<ol class="results"' in page else page


def shared_folder(app) -> Path:
    return Path(os.path.normpath(app.config["SEARCH_INDEX_DIR"]) + "-results")


def test_a_search_worked_out_by_one_worker_serves_another(app, client, publish, searches):
    publish("Nicotine gum", "Nicotine gum helps some people stop smoking.", tags=["smoking"])
    publish("Nicotine patch", "Patches release nicotine slowly.")
    first = results(client, "nicotine")
    assert searches == ["nicotine"] and "<mark>Nicotine</mark> gum" in first
    other_worker = create_app({**app.config, "TESTING": True})
    assert results(other_worker.test_client(), "nicotine") == first  # highlights and facets included
    assert searches == ["nicotine"]
    assert len(list(shared_folder(app).glob("*.json"))) == 1


def test_shared_pages_follow_content_and_synonym_changes(app, client, publish, searches):
    publish("Nicotine gum", "Nicotine gum helps some people stop smoking.")
    results(client, "nicotine")
    publish("Nicotine patch", "Patches release nicotine slowly.")
    other_worker = create_app({**app.config, "TESTING": True})
    assert "/articles/nicotine-patch/" in results(other_worker.test_client(), "nicotine")
    assert searches == ["nicotine", "nicotine"]
    Path(app.config["SEARCH_SYNONYMS_FILE"]).write_text("nicotine, tobacco\n", encoding="utf-8")
    third_worker = create_app({**app.config, "TESTING": True})
    results(third_worker.test_client(), "nicotine")
    assert searches == ["nicotine", "nicotine", "nicotine"]


def test_an_unreadable_shared_page_is_worked_out_again(app, client, publish, searches):
    publish("Nicotine gum", "Nicotine gum helps some people stop smoking.")
    first = results(client, "nicotine")
    for path in shared_folder(app).glob("*.json"):
        path.write_text('{"hits": [', encoding="utf-8")
    other_worker = create_app({**app.config, "TESTING": True})
    assert results(other_worker.test_client(), "nicotine") == first
    assert searches == ["nicotine", "nicotine"]


def test_old_and_surplus_shared_pages_are_swept(tmp_path, monkeypatch):
    monkeypatch.setattr(resultcache, "SHARED_FILES", 3)
    folder = tmp_path / "pages"
    folder.mkdir()
    now = time.time()
    for number in range(6):
        path = folder / f"{number}.json"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (now - number * 10, now - number * 10))
    stale = folder / "stale.json"
    stale.write_text("{}", encoding="utf-8")
    os.utime(stale, (now - resultcache.SHARED_SECONDS - 1,) * 2)
    resultcache.SharedPages(str(folder), dict, dict).sweep()
    assert sorted(path.name for path in folder.iterdir()) == ["0.json", "1.json", "2.json"]
