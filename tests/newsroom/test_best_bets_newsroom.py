"""Editors manage best bets in the newsroom: validated forms with CSRF, audit events, and no one else may."""

import pytest
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import ArticleStatus, BestBet
from tests.conftest import csrf_token
from tests.newsroom.audit_events import audit_events

LIST = "/admin/search/best-bets"
NEW = "/admin/search/best-bets/new"


@pytest.fixture
def articles(publish):
    publish("Paracetamol doses", "How much paracetamol is safe.")
    publish("Your liver", "What the liver does.")
    publish("Sleep basics", "Getting enough sleep.")
    publish("Migraine or headache", "How to tell them apart.")
    publish("Draft note", "Not yet.", status=ArticleStatus.DRAFT)


def post(client, url: str, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, NEW), **fields})


def saved() -> list[tuple[str, str, list[int]]]:
    db.session.expire_all()
    bets = db.session.scalars(select(BestBet).order_by(BestBet.id))
    return [(bet.query, bet.key, [pin.article_id for pin in bet.pins]) for bet in bets]


def test_an_editor_adds_edits_and_deletes_a_best_bet(client, editor, articles):
    answer = post(client, NEW, query="  Paracetamol Doses ", articles="your-liver\nParacetamol doses\n")
    assert answer.status_code == 302 and answer.location.endswith(LIST)
    assert saved() == [("Paracetamol Doses", "paracetamol dose", [2, 1])]
    listing = client.get(LIST).get_data(as_text=True)
    assert "Paracetamol Doses" in listing and listing.index("Your liver") < listing.index("Paracetamol doses</li>")
    best_bet_id = db.session.scalar(select(BestBet.id))
    form = client.get(f"/admin/search/best-bets/{best_bet_id}/edit").get_data(as_text=True)
    assert "your-liver\nparacetamol-doses" in form
    answer = post(
        client, f"/admin/search/best-bets/{best_bet_id}/edit", query="paracetamol dose", articles="sleep-basics"
    )
    assert answer.status_code == 302 and saved() == [("paracetamol dose", "paracetamol dose", [3])]
    answer = post(client, f"/admin/search/best-bets/{best_bet_id}/delete")
    assert answer.status_code == 302 and saved() == []
    events = audit_events()
    assert [event.action for event in events if event.action.startswith("best_bet")] == [
        "best_bet.created",
        "best_bet.changed",
        "best_bet.deleted",
    ]
    assert events[-1].target_type == "best_bet" and events[-1].target_label == "paracetamol dose"


@pytest.mark.parametrize(
    ("query", "named", "message"),
    [
        (
            "sleep",
            "your-liver\nsleep-basics\nparacetamol-doses\nmigraine-or-headache",
            "At most three recommended articles per search.",
        ),
        ("sleep", "no-such-article", "No published article has the title or slug “no-such-article”."),
        ("sleep", "draft-note", "No published article has the title or slug “draft-note”."),
        ("sleep", "sleep-basics\nSleep Basics", "“Sleep basics” is named twice."),
        ("the", "sleep-basics", "That search has no words search uses"),
        ("", "sleep-basics", "Type the search readers make."),
        ("sleep", "", "Name at least one article."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, editor, articles, query, named, message):
    answer = post(client, NEW, query=query, articles=named)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert saved() == []


def test_the_same_search_twice_is_refused(client, editor, articles):
    assert post(client, NEW, query="Sleeping", articles="sleep-basics").status_code == 302
    answer = post(client, NEW, query="sleep", articles="your-liver")
    assert answer.status_code == 422
    assert "The search “Sleeping” already has recommended articles" in answer.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(client, editor, articles):
    assert client.post(NEW, data={"query": "sleep", "articles": "sleep-basics"}).status_code == 400
    assert post(client, NEW, query="sleep", articles="sleep-basics").status_code == 302
    best_bet_id = db.session.scalar(select(BestBet.id))
    assert client.post(f"/admin/search/best-bets/{best_bet_id}/delete").status_code == 400
    edit = client.post(f"/admin/search/best-bets/{best_bet_id}/edit", data={"query": "x", "articles": "your-liver"})
    assert edit.status_code == 400
    assert len(saved()) == 1


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_only_editors_and_admins_manage_best_bets(client, team, login, articles, role):
    login(team[role].email)
    for url in (LIST, NEW, "/admin/search/best-bets/1/edit"):
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/admin/account")
    answer = client.post(NEW, data={"csrf_token": token, "query": "sleep", "articles": "sleep-basics"})
    assert answer.status_code == 403 and saved() == []


def test_admins_manage_best_bets_and_unknown_ones_are_404(client, team, login, articles):
    login(team["admin"].email)
    assert client.get(LIST).status_code == 200
    assert client.get("/admin/search/best-bets/99/edit").status_code == 404
