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
    """Record every search actually worked out (not answered from a cache), by the words it searched for."""
    worked_out = []
    original = query._search_page

    def search_page(searcher, key, *rest):
        worked_out.append(" ".join(key.words))
        return original(searcher, key, *rest)

    monkeypatch.setattr(query, "_search_page", search_page)
    return worked_out


# Click tokens carry the second they were signed in, so two requests may differ there and nowhere else.
CLICK_TOKENS = re.compile(r'<script type="application/json" id="search-click-tokens"[^>]*>.*?</script>', re.S)


def results(client, text: str) -> str:
    page = CLICK_TOKENS.sub("", whole_page(client, text))
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


def hits(page: str) -> list[str]:
    """Return the titles and snippets of a results page, as marked (the links carry each request's typed text)."""
    return re.findall(r'<h2 class="card-title"><a [^>]*>(.*?)</a></h2>\s*<p class="snippet">(.*?)</p>', page, re.S)


def whole_page(client, text: str) -> str:
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def migraine_site(publish):
    publish("Migraine relief", "Cold packs bring migraine relief to many readers.", tags=["migraine"])
    publish("Tension headache", "Relief came only after the migraine had passed.")
    publish("Migraine triggers", "Cheese and red wine can trigger a migraine.")


def test_variants_of_one_search_share_one_page_and_each_shows_its_own_text(client, migraine_site, searches):
    variants = ["migraine relief", "Migraine  Relief", "migraine relief!", "MIGRAINE relief", "migraine AND relief"]
    pages = {variant: whole_page(client, variant) for variant in variants}
    assert searches == ["migraine relief"]
    assert len({tuple(hits(page)) for page in pages.values()}) == 1 and len(hits(pages["migraine relief"])) == 3
    assert "<mark>Migraine</mark> <mark>relief</mark>" in pages["MIGRAINE relief"]
    for variant, page in pages.items():
        shown = " ".join(variant.split())  # as the search box's text is cleaned
        assert f'value="{variant}"' in page and f"3 results for <strong>{shown}</strong>" in page
        assert f"<title>Search: {shown} " in page


def test_searches_that_differ_in_what_they_look_for_are_not_shared(client, migraine_site, searches):
    different = {
        "migraine relief": 3,
        '"migraine relief"': 1,  # a phrase
        "relief migraine": 3,  # word order is kept: synonyms and spelling help read it
        "migraine -relief": 1,
        "migraine NOT relief": 1,  # the same as -relief
        "migraine rel*": 3,
        "migraine tag:migraine": 1,
        "migraine migraine": 3,  # a repeated word weighs more
    }
    counts = {text: len(hits(whole_page(client, text))) for text in different}
    assert counts == different
    assert len(searches) == len(different) - 1  # only -relief and NOT relief are one search
    assert searches.count("migraine") == 3  # -relief, rel* and tag:migraine: words alike, other parts not


def test_a_corrected_variant_shows_its_own_text_corrected(client, publish, searches):
    publish("Migraine relief", "Cold packs bring migraine relief.")
    first = whole_page(client, "migrane relief")
    second = whole_page(client, "Migrane  RELIEF!")
    assert searches == ["migrane relief"]  # as typed, in one spelling; corrected while worked out
    assert "Showing results for" in first and "<strong>migraine relief</strong>" in first
    assert "<strong>migraine RELIEF!</strong>" in second and ">Migrane RELIEF!</a>" in second
    assert "migrane" not in "".join(map("".join, hits(second))).lower()
