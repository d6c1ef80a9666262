"""Best bets: up to three articles editors recommend for a search, matched by its analysed words and synonyms.

The caller commits. A best bet's rows are content (content/version.py), so a change gives every reader page,
the kept search pages and the per-version map below a new version.
"""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..content.version import remember
from ..extensions import db
from ..models import Article, BestBet, BestBetArticle, utcnow
from .synonyms import Synonyms, analyse

MAX_ARTICLES = 3
TOO_MANY = "At most three recommended articles per search."
NO_WORDS = "That search has no words search uses (only very common ones such as “the”): add a topic word."


def key_of(text: str) -> str:
    """Return the normalised key of a search: its analysed words (folded, stemmed, no stop words)."""
    return " ".join(analyse(text))


def holder_of(key: str, except_id: int | None = None) -> BestBet | None:
    """Return the best bet that already has this key (other than `except_id`), if any."""
    stmt = select(BestBet).where(BestBet.key == key)
    if except_id is not None:
        stmt = stmt.where(BestBet.id != except_id)
    return db.session.scalar(stmt)


def find_article(text: str) -> Article | None:
    """Return the published article (not in the trash) with this slug, or else this title, ignoring case."""
    text = text.strip()
    if not text:
        return None
    stmt = (
        select(Article)
        .where(Article.deleted_at.is_(None), Article.is_visible(utcnow()))
        .where(or_(Article.slug == text.lower(), func.lower(Article.title) == text.lower()))
        .order_by(Article.slug != text.lower(), Article.id)
    )
    return db.session.scalars(stmt).first()


def save_best_bet(best_bet: BestBet, query: str, articles: list[Article]) -> BestBet:
    """Set a best bet's search and its articles in order (the caller checked the key is free and there are <= 3)."""
    if len(articles) > MAX_ARTICLES:
        raise ValueError(TOO_MANY)
    best_bet.query = query.strip()
    best_bet.key = key_of(query)
    best_bet.updated_at = utcnow()
    best_bet.pins = []
    db.session.add(best_bet)
    db.session.flush()  # the old pins go before new ones take their positions
    best_bet.pins = [BestBetArticle(position=n, article_id=article.id) for n, article in enumerate(articles)]
    return best_bet


def articles_of(best_bet: BestBet) -> list[Article]:
    """Return a best bet's articles in order (trashed or unpublished ones included)."""
    found = _articles_by_id({pin.article_id for pin in best_bet.pins})
    return [found[pin.article_id] for pin in best_bet.pins if pin.article_id in found]


def listing() -> list[tuple[BestBet, list[Article]]]:
    """Return every best bet by search with its articles (trashed or unpublished ones included) in order."""
    bets = list(db.session.scalars(select(BestBet).order_by(BestBet.key).options(selectinload(BestBet.pins))))
    articles = _articles_by_id({pin.article_id for bet in bets for pin in bet.pins})
    return [(bet, [articles[pin.article_id] for pin in bet.pins if pin.article_id in articles]) for bet in bets]


def _articles_by_id(ids: set[int]) -> dict[int, Article]:
    """Read these articles in one statement (none when there are no ids), whatever their state."""
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids)))}


def _all_keys() -> dict[str, tuple[int, ...]]:
    """Read every best bet's key and article ids in order (one statement)."""
    stmt = (
        select(BestBet.key, BestBetArticle.article_id)
        .join(BestBetArticle, BestBetArticle.best_bet_id == BestBet.id)
        .order_by(BestBet.key, BestBetArticle.position)
    )
    found: dict[str, list[int]] = {}
    for key, article_id in db.session.execute(stmt):
        found.setdefault(key, []).append(article_id)
    return {key: tuple(ids) for key, ids in found.items()}


def recommended_ids(text: str, synonyms: Synonyms, *, verbatim: bool = False) -> list[int]:
    """Return the ids of the articles recommended for a search, its own best bet first, then its synonyms'.

    The map of every key is read once per content version in each process, so a search with no best bet adds
    no statement while the content stays the same. The caller keeps the first MAX_ARTICLES readers may see.
    """
    analysed = analyse(text)
    if not analysed:
        return []
    by_key = remember("search.best_bets", _all_keys)
    if not by_key:
        return []
    keys = [analysed] + ([] if verbatim else list(synonyms.expand(analysed)))
    ids = [article_id for key in keys for article_id in by_key.get(" ".join(key), ())]
    return list(dict.fromkeys(ids))
