"""Best bets move with the archive: exported by search and article slug, imported back in the same order."""

import json

from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import ArticleStatus, BestBet
from blogapp.search.best_bets import articles_of, save_best_bet
from tests.moving.test_archive_round_trip import empty_the_instance


def best_bets() -> list[tuple[str, str, list[str]]]:
    db.session.expire_all()
    bets = db.session.scalars(select(BestBet).order_by(BestBet.key))
    return [(bet.query, bet.key, [article.slug for article in articles_of(bet)]) for bet in bets]


def test_best_bets_survive_export_and_import(app, client, runner, publish, uploads_dir, tmp_path):
    doses, liver = publish("Paracetamol doses"), publish("Your liver")
    draft = publish("Draft note", status=ArticleStatus.DRAFT)
    save_best_bet(BestBet(), "Paracetamol", [liver, doses])
    save_best_bet(BestBet(), "liver health", [liver])
    db.session.commit()
    draft.status = ArticleStatus.PUBLISHED  # pinned while published, then taken back: it travels, still hidden
    save_best_bet(BestBet(), "notes", [draft])
    draft.status = ArticleStatus.DRAFT
    db.session.commit()
    before = best_bets()
    shown = client.get("/search?q=paracetamol").get_data(as_text=True)
    archive = tmp_path / "site.json"
    assert runner.invoke(args=["export", str(archive)]).exit_code == 0
    data = json.loads(archive.read_text())
    assert data["version"] == 3
    assert data["best_bets"][1] == {"query": "notes", "articles": ["draft-note"]}
    uploads_dir.mkdir(exist_ok=True)
    empty_the_instance(app)
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert best_bets() == before
    assert client.get("/search?q=paracetamol").get_data(as_text=True) == shown


def test_an_archive_of_version_2_imports_without_best_bets(app, runner, publish, uploads_dir, tmp_path):
    publish("Paracetamol doses")
    archive = tmp_path / "site.json"
    assert runner.invoke(args=["export", str(archive)]).exit_code == 0
    data = json.loads(archive.read_text())
    del data["best_bets"]
    archive.write_text(json.dumps(data | {"version": 2}))
    uploads_dir.mkdir(exist_ok=True)
    empty_the_instance(app)
    assert runner.invoke(args=["import", "archive", str(archive)]).exit_code == 0
    assert best_bets() == []
