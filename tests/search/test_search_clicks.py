"""Result clicks: a signed token per shown result, counted per query, position and day, with nothing about readers."""

import pytest
from result_clicks import tokens
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import SearchClick, utcnow
from blogapp.search.clicks import click_token


def counts() -> list[tuple]:
    db.session.expire_all()
    return sorted(db.session.execute(select(SearchClick.query, SearchClick.position, SearchClick.clicks)).all())


@pytest.fixture
def results(publish, app):
    app.config["SEARCH_RESULTS_PER_PAGE"] = 2
    for n in range(3):
        publish(f"Sleep tip {n}", "Sleep " * (3 - n), hours_ago=n + 1)


def test_opened_results_are_counted_per_query_and_position(client, results):
    shown = tokens(client, q="  Sleep ")
    assert len(shown) == 2
    second = shown["/articles/sleep-tip-1/"]
    for _ in range(2):
        assert client.post("/search/click", data={"token": second}).status_code == 204
    later = tokens(client, q="sleep", page=2)
    assert client.post("/search/click", data={"token": later["/articles/sleep-tip-2/"]}).status_code == 204
    assert counts() == [("sleep", 2, 2), ("sleep", 3, 1)]


def test_click_rows_hold_no_personal_data(client, results):
    token = next(iter(tokens(client, q="sleep").values()))
    headers = {"User-Agent": "Reader/1.0", "Cookie": "reader=abc"}
    client.post("/search/click", data={"token": token}, headers=headers)
    assert {column.name for column in SearchClick.__table__.columns} == {"query", "day", "position", "clicks"}
    row = db.session.scalars(select(SearchClick)).one()
    assert row.day == utcnow().date() and row.clicks == 1  # the day, never the time


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "x" * 5000, "WyJzbGVlcCIsMSwxXQ.forged.signature"],
)
def test_a_bad_token_is_refused(client, results, token):
    response = client.post("/search/click", data={"token": token})
    assert response.status_code == 400
    assert counts() == []


def test_a_token_signed_with_another_key_or_made_up_is_refused(app, client, results):
    with app.test_request_context():
        app.secret_key, key = "another-secret-key-xyz", app.secret_key
        forged = click_token("any query I like", 1, 1)
        app.secret_key = key
        made_up = click_token("sleep", 0, 1)  # no result sits at position 0
    for token in (forged, made_up):
        assert client.post("/search/click", data={"token": token}).status_code == 400
    assert counts() == []


def test_results_links_carry_nothing_extra(client, results):
    html = client.get("/search?q=sleep").get_data(as_text=True)
    assert 'href="/articles/sleep-tip-0/?hl=sleep"' in html
    assert 'src="/static/search-clicks.js' in html


def test_no_tokens_on_a_page_without_results(client, results):
    html = client.get("/search?q=unfindable").get_data(as_text=True)
    assert "search-click-tokens" not in html
