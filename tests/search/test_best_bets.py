"""Best bets on the results page: editors' articles first, in order, marked, not repeated, and never stale."""

import re

import pytest

from blogapp.content.raw_query import watch_statements
from blogapp.extensions import db
from blogapp.models import ArticleStatus, BestBet
from blogapp.newsroom.workflow import trash
from blogapp.search.best_bets import key_of, save_best_bet


def page(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def recommended(html: str) -> list[str]:
    """Return the slugs of the recommended articles, in the order shown."""
    block = re.search(r'<section class="best-bets".*?</section>', html, re.S)
    return re.findall(r'href="/articles/([^/]+)/"', block.group(0)) if block else []


def ranked(html: str) -> list[str]:
    """Return the slugs of the ranked results below the recommended ones."""
    block = re.search(r'<ol class="results".*?</ol>', html, re.S)
    return re.findall(r'<h2 class="card-title"><a href="/articles/([^/?]+)/', block.group(0)) if block else []


def pin(query: str, *articles) -> BestBet:
    best_bet = save_best_bet(BestBet(), query, list(articles))
    db.session.commit()
    return best_bet


@pytest.fixture
def articles(app, publish):
    with open(app.config["SEARCH_SYNONYMS_FILE"], "w", encoding="utf-8") as handle:
        handle.write("acetaminophen, paracetamol, Tylenol\n")
    return {
        "doses": publish("Paracetamol doses", "How much paracetamol is safe in a day.", hours_ago=1),
        "alcohol": publish("Tylenol and alcohol", "Why Tylenol and drinking do not mix.", hours_ago=2),
        "liver": publish("Your liver", "What the liver does with paracetamol.", hours_ago=3),
        "sleep": publish("Sleep basics", "Getting enough sleep.", hours_ago=4),
    }


def test_best_bets_come_first_in_the_editors_order_and_are_not_repeated(client, articles):
    pin("Paracetamol", articles["liver"], articles["sleep"], articles["doses"])
    html = page(client, q="paracetamol")
    assert recommended(html) == ["your-liver", "sleep-basics", "paracetamol-doses"]
    assert "Recommended" in html
    assert "paracetamol-doses" not in ranked(html) and "your-liver" not in ranked(html)
    assert "tylenol-and-alcohol" in ranked(html)


def test_the_key_ignores_case_endings_and_common_words(client, articles):
    assert key_of("The  PARACETAMOL") == key_of("paracetamol")
    pin("the Paracetamol", articles["sleep"])
    assert recommended(page(client, q="PARACETAMOL")) == ["sleep-basics"]


def test_a_synonym_finds_the_best_bet_unless_typed_words_only(client, articles):
    pin("tylenol", articles["sleep"])
    assert recommended(page(client, q="acetaminophen")) == ["sleep-basics"]
    assert recommended(page(client, q="paracetamol")) == ["sleep-basics"]
    assert recommended(page(client, q="paracetamol", verbatim="1")) == []
    assert recommended(page(client, q="sleep")) == []


def test_at_most_three_are_shown_when_synonyms_add_more(client, articles):
    pin("tylenol", articles["sleep"], articles["liver"])
    pin("paracetamol", articles["doses"], articles["alcohol"])
    assert recommended(page(client, q="paracetamol")) == ["paracetamol-doses", "tylenol-and-alcohol", "sleep-basics"]


def test_unpublished_or_trashed_articles_are_left_out(client, articles):
    pin("paracetamol", articles["doses"], articles["liver"], articles["sleep"])
    articles["liver"].status = ArticleStatus.DRAFT
    trash(articles["sleep"])
    db.session.commit()
    html = page(client, q="paracetamol")
    assert recommended(html) == ["paracetamol-doses"]
    assert "your-liver" not in html and "sleep-basics" not in html


def test_deleting_an_article_drops_it_from_its_best_bets(client, articles):
    pin("paracetamol", articles["liver"], articles["doses"])
    page(client, q="paracetamol")
    db.session.delete(articles["liver"])
    db.session.commit()
    assert recommended(page(client, q="paracetamol")) == ["paracetamol-doses"]


def test_an_edit_shows_at_once_though_the_page_was_kept(client, articles):
    best_bet = pin("paracetamol", articles["sleep"])
    assert recommended(page(client, q="paracetamol")) == ["sleep-basics"]
    save_best_bet(best_bet, "paracetamol", [articles["liver"]])
    db.session.commit()
    html = page(client, q="paracetamol")
    assert recommended(html) == ["your-liver"] and "sleep-basics" not in html
    db.session.delete(best_bet)
    db.session.commit()
    assert recommended(page(client, q="paracetamol")) == []


def test_only_the_first_unfiltered_page_shows_best_bets(client, articles, app):
    pin("paracetamol", articles["sleep"])
    assert recommended(page(client, q="paracetamol", category="treatments")) == []
    assert recommended(page(client, q="paracetamol", sort="newest")) == ["sleep-basics"]
    app.config["SEARCH_RESULTS_PER_PAGE"] = 1
    assert recommended(page(client, q="paracetamol", page=2)) == []


def test_a_best_bet_shows_when_no_article_has_the_words(client, articles):
    pin("insomnia", articles["sleep"])
    html = page(client, q="insomnia")
    assert recommended(html) == ["sleep-basics"] and "No articles match" in html


def test_best_bets_are_read_once_per_content_version(client, articles):
    pin("paracetamol", articles["sleep"])
    page(client, q="paracetamol")
    with watch_statements(db.engine) as statements:
        assert recommended(page(client, q="paracetamol")) == ["sleep-basics"]
        page(client, q="liver")
    assert not [statement for statement, _ in statements if "best_bet" in statement]


def test_a_corrected_search_shows_the_best_bets_of_the_words_searched(client, articles):
    pin("paracetamol", articles["sleep"])
    html = page(client, q="paracetomol")
    assert "Showing results for" in html and recommended(html) == ["sleep-basics"]
