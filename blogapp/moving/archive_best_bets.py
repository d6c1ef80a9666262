"""Best bets in the archive: each search as typed with its articles by slug, in order (archive version 3 on)."""

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Article, BestBet, BestBetArticle
from ..search.best_bets import MAX_ARTICLES, key_of, listing


def best_bet_records() -> list[dict[str, Any]]:
    """Return every best bet as an archive record (articles in the trash or unpublished included)."""
    return [
        {"query": best_bet.query, "articles": [article.slug for article in articles]}
        for best_bet, articles in listing()
    ]


def load_best_bets(records: list[dict[str, Any]], articles: dict[str, Article]) -> int:
    """Add the archive's best bets, naming articles by slug; skip unknown slugs and repeated keys; return how many."""
    keys = set(db.session.scalars(select(BestBet.key)))
    count = 0
    for record in records:
        query = str(record["query"])
        key = key_of(query)
        chosen = list(dict.fromkeys(slug for slug in record["articles"] if slug in articles))[:MAX_ARTICLES]
        if not key or key in keys or not chosen:
            continue
        keys.add(key)
        pins = [BestBetArticle(position=n, article=articles[slug]) for n, slug in enumerate(chosen)]
        db.session.add(BestBet(query=query.strip()[:200], key=key, pins=pins))
        count += 1
    return count
