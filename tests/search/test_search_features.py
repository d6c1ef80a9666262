"""Search features: all words first, synonyms, spelling, facets, sorting, suggestions, log, related."""

import json
import threading
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.test import Client

from blogapp import caches
from blogapp.extensions import db
from blogapp.models import Category, SearchLogEntry, utcnow
from blogapp.reader import popularity
from blogapp.search import querylog


def html(client, **params):
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def order(page: str, *titles: str) -> list[int]:
    return [page.index(title) for title in titles]


def test_all_words_rank_above_some_words(client, publish):
    publish("Notes on ketamine", "Ketamine ketamine ketamine in clinics.", hours_ago=1)
    publish("Clinic visit", "A ketamine infusion for depression, step by step.", hours_ago=2)
    page = html(client, q="ketamine depression")
    assert "2 results" in page
    first, second = order(page, "Clinic visit", "Notes on")
    assert first < second


def test_synonyms_apply_and_follow_edits_without_reindex(app, client, publish):
    publish("Cannabis and sleep", "How cannabis affects sleep.")
    assert "1 result" in html(client, q="weed")
    path = app.config["SEARCH_SYNONYMS_FILE"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# custom list\nzzzplant, cannabis\n")
    assert "1 result" in html(client, q="zzzplant")
    assert "No articles match" in html(client, q="weed")


def test_unknown_word_is_corrected_with_a_way_back(client, publish):
    publish("Migraine relief", "Triptans help a migraine attack.")
    page = html(client, q="migrane relief")
    assert "Showing results for" in page and "<strong>migraine relief</strong>" in page
    assert "exact=1" in page and "1 result" in page
    exact = html(client, q="migrane relief", exact="1")
    assert "Showing results for" not in exact


def test_did_you_mean_for_rare_near_word(client, publish):
    for number in range(6):
        publish(f"Nicotine guide {number}", "Nicotine patches.")
    publish("Odd one", "A nicotene typo lives here.")
    page = html(client, q="nicotene")
    assert "Did you mean" in page and "<strong>nicotine</strong>" in page


def test_prefix_search_is_bounded_and_works(client, publish):
    publish("Acupuncture basics", "Needles.")
    assert "1 result" in html(client, q="acupunc*")
    assert "No articles match" in html(client, q="zq*")


def test_facets_count_and_narrow(client, publish):
    pain = Category(slug="pain", name="Pain", description="")
    publish("Sleep and pain", "Sleep matters.", category=pain, tags=["sleep"])
    publish("Sleep and CBT", "Sleep therapy.", tags=["sleep", "cbt"])
    page = html(client, q="sleep")
    assert "2 results" in page
    assert 'href="/search?q=sleep&amp;category=pain"' in page and 'Treatments</a> <span class="meta">1' in page
    narrowed = html(client, q="sleep", category="pain")
    assert "1 result" in narrowed and "Topic: Pain" in narrowed and 'href="/search?q=sleep"' in narrowed
    tagged = html(client, q="sleep", tag="cbt")
    assert "1 result" in tagged and "Sleep and CBT" in tagged.replace("<mark>", "").replace("</mark>", "")


def test_typed_filters(client, publish):
    pain = Category(slug="pain-management", name="Pain Management", description="")
    publish("Back pain", "Movement helps.", category=pain)
    publish("Ketamine", "Movement too.")
    assert "1 result" in html(client, q="movement category:pain")
    assert "1 result" in html(client, q='category:"pain management"')
    assert "2 results" in html(client, q="movement author:writer")


def test_sort_newest(client, publish):
    publish("Old nicotine piece", "nicotine nicotine nicotine", hours_ago=100)
    publish("New nicotine piece", "nicotine once", hours_ago=1)
    relevance = html(client, q="nicotine")
    newest = html(client, q="nicotine", sort="newest")
    assert order(newest, "New <mark>", "Old <mark>") == sorted(order(newest, "New <mark>", "Old <mark>"))
    assert "Sort:" in relevance and html(client, q="nicotine", sort="bogus").count("result") > 0


def test_zero_results_offer_recovery(client, publish):
    article = publish("Popular piece", "About sleep.")
    client.get(f"/articles/{article.slug}/")
    page = html(client, q="qqqqzz")
    assert "No articles match" in page
    assert "Treatments" in page and "Popular articles" in page and "Popular piece" in page


def test_suggest_returns_titles_for_prefix(client, publish):
    publish("Ketamine for depression")
    publish("Keeping a headache diary")
    publish("Hidden draft about ketamine", status="draft")
    response = client.get("/search/suggest?q=keta")
    assert response.status_code == 200 and response.mimetype == "application/json"
    titles = [item["title"] for item in json.loads(response.data)["suggestions"]]
    assert titles == ["Ketamine for depression"]
    assert json.loads(client.get("/search/suggest?q=").data)["suggestions"] == []


def test_opensearch_description_is_linked(client, ctx):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert b"{searchTerms}" in response.data
    assert 'rel="search" type="application/opensearchdescription+xml"' in client.get("/").get_data(as_text=True)


def test_query_log_keeps_text_count_and_time_only(app, client, runner, publish):
    publish("Sleep tips", "Sleep.")
    html(client, q="  Sleep  ")
    html(client, q="sleep")
    assert client.get("/search?q=sleep&page=2").status_code == 404  # past the last page: not logged
    html(client, q="unfindable")
    rows = db.session.execute(select(SearchLogEntry.query, SearchLogEntry.results)).all()
    assert sorted(rows) == [("sleep", 1), ("sleep", 1), ("unfindable", 0)]
    columns = {column.name for column in SearchLogEntry.__table__.columns}
    assert columns == {"id", "query", "results", "searched_at", "safety_panel"}
    output = runner.invoke(args=["search", "queries"]).output
    assert "      2  sleep" in output and "      1  unfindable" in output.split("no results")[1]


def test_query_log_prunes_old_entries(app, client, publish):
    old = utcnow() - timedelta(days=400)
    db.session.add_all([SearchLogEntry(query="ancient", results=0, searched_at=old) for _ in range(5)])
    db.session.commit()
    html(client, q="recent")
    queries = db.session.scalars(select(SearchLogEntry.query)).all()
    assert queries == ["recent"]


def test_searches_and_views_are_written_in_batches(app, client, publish):
    article = publish("Sleep tips", "Sleep.")
    searches, views = querylog.searches(app), popularity.views(app)
    searches.interval = views.interval = 3600
    for _ in range(3):
        html(client, q="sleep")
        assert client.get("/articles/sleep-tips/").status_code == 200  # rendered once, then from the page cache
    assert db.session.scalar(select(func.count(SearchLogEntry.id))) == 0  # nothing written while reading
    assert len(searches.pending()) == 3 and views.pending() == [article.id] * 3
    searches.interval = views.interval = 0  # due: the next search or view writes the batch
    html(client, q="sleep")
    # A page-cache hit is answered outside any Flask request or app context, as a server calls the app (the
    # test client would lend it one).
    answered = []
    server = Client(app)
    view = threading.Thread(target=lambda: answered.append(server.get("/articles/sleep-tips/").status_code))
    view.start()
    view.join()
    assert answered == [200]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SearchLogEntry.id))) == 4
    assert db.session.get(type(article), article.id).view_count == 4
    assert searches.pending() == [] and views.pending() == []


def test_related_articles_exclude_self_and_unpublished(client, publish):
    base = publish("Varenicline guide", "Varenicline helps smokers quit nicotine with fewer cravings.")
    publish("Quitting nicotine", "Nicotine cravings ease; varenicline and patches help smokers quit.")
    publish("Draft on varenicline", "Varenicline nicotine cravings smokers quit.", status="draft")
    publish("Unrelated", "Acupuncture needles for back pain.")
    page = client.get(f"/articles/{base.slug}/").get_data(as_text=True)
    related = page.split("Related articles")[1].split("</section>")[0]
    assert "Quitting nicotine" in related
    assert "Varenicline guide" not in related and "Draft on" not in related


def test_search_terms_highlighted_on_article_page(client, publish):
    article = publish("Sleep", 'Running <a href="/running">running</a> helps &amp; sleeps.')
    page = client.get(f"/articles/{article.slug}/?hl=run").get_data(as_text=True)
    assert "<mark>Running</mark>" in page and '<a href="/running"' in page and "&amp;" in page
    assert "<mark>" not in client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    results = html(client, q="running")
    assert f"/articles/{article.slug}/?hl=running" in results


def test_article_page_works_without_index(app, client, publish):
    import shutil

    article = publish("Resilient")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    assert client.get(f"/articles/{article.slug}/").status_code == 200
    assert client.get("/search/suggest?q=res").status_code == 503


def test_narrowing_finds_low_ranked_matches(client, publish):
    pain = Category(slug="pain", name="Pain", description="")
    for number in range(40):
        publish(f"Sleep sleep note {number}", "Sleep sleep sleep advice.")
    publish("Back care", "A long piece on posture that mentions sleep once. " + "Posture. " * 200, category=pain)
    page = html(client, q="sleep", category="pain")
    assert "1 result" in page and "Back care" in page


def test_too_common_phrase_is_loosened_with_a_notice(app, client, publish, monkeypatch):
    from blogapp.search import query, resultcache

    publish("Adjacent", "The nicotine patch helps.")
    publish("Apart", "A patch of skin reacts to nicotine.")
    assert "1 result" in html(client, q='"nicotine patch"')
    monkeypatch.setattr(query, "PHRASE_CHECK_LIMIT", 1)
    caches.for_app(app, "search.result_pages", resultcache.ResultCache())  # the limit is not content
    page = html(client, q='"nicotine patch"')
    assert "2 results" in page and "too common to check word by word" in page


def test_repeated_search_reuses_its_result_page_until_something_changes(client, publish, monkeypatch):
    from blogapp.search import query

    searched = []
    original = query._search_page
    monkeypatch.setattr(query, "_search_page", lambda *args: searched.append(args[1].words[0]) or original(*args))
    publish("Nicotine gum", "Nicotine gum helps some people stop.")
    assert "1 result" in html(client, q="nicotine")
    assert "1 result" in html(client, q="nicotine")
    assert "No articles match" in html(client, q="quokka")
    assert searched == ["nicotine", "quokka"]
    publish("Nicotine patch", "Patches release nicotine slowly.")
    assert "2 results" in html(client, q="nicotine")
    assert searched == ["nicotine", "quokka", "nicotine"]
