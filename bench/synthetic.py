"""Seeded synthetic corpora for load tests and benchmarks: `flask --app blogapp seed-synthetic --count N`."""

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import accumulate

import click
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from blogapp.content.markup import render_markdown
from blogapp.content.slugs import get_or_create, slugify
from blogapp.content.taxonomy import category_named
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Tag, article_tags, utcnow
from blogapp.search import get_index

from .synthetic_text import (
    COLLOCATIONS,
    COMMON_WORDS,
    HEALTH_WORDS,
    STOP_RANKS,
    Vocabulary,
    fake_article,
    make_vocabulary,
)

# With the text generator's names, which other code imports from this module.
__all__ = [
    "CATEGORIES", "COLLOCATIONS", "COMMON_WORDS", "FIRST_NAMES", "HEALTH_WORDS", "LAST_NAMES", "STOP_RANKS",
    "TAG_COUNT", "Vocabulary", "ensure_taxonomy", "fake_article", "insert_synthetic", "make_vocabulary",
    "seed_synthetic_command",
]  # fmt: skip

CATEGORIES = [
    "Migraine & Headache", "Ketamine & Psychedelic Therapy", "Addiction & Recovery", "Therapy & Mental Health",
    "Complementary Medicine", "Pain Management", "Sleep", "Medicines Explained", "Research Roundups",
    "Nutrition & Lifestyle", "Movement & Exercise", "Living with Illness",
]  # fmt: skip
FIRST_NAMES = "Ann Ben Chloe Dev Ella Farid Grace Hugo Iris Jonas Kemi Liam Maya Nils Omar Priya Rosa Sam Tara Yusuf"
LAST_NAMES = "Adler Brook Chen Diaz Evans Fischer Gupta Hale Ito Jensen Khan Lopez Moreau Novak Okafor Park Quinn"
TAG_COUNT = 150


def _ensure_named(model, names: list[str], **extra) -> list[int]:
    """Create the rows of `model` whose slugs are missing; return the ids of all `names`, in order."""
    # A category is unique by name too: the demo's "Ketamine & Psychedelic Therapy" has another slug.
    rows = [
        (model is Category and category_named(name)) or get_or_create(model, slugify(name), name=name, **extra)[0]
        for name in names
    ]
    db.session.flush()
    return [row.id for row in rows]


def ensure_taxonomy() -> tuple[list[int], list[tuple[int, str]], list[int]]:
    """Create the synthetic categories, tags and authors that are missing; return their ids."""
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    authors = [f"{first} {lasts[(i * 7) % len(lasts)]}" for i, first in enumerate(firsts)]
    tag_words = list(dict.fromkeys(HEALTH_WORDS))[:TAG_COUNT]
    category_ids = _ensure_named(Category, CATEGORIES, description="Synthetic articles for load testing.")
    tag_ids = _ensure_named(Tag, tag_words)
    author_ids = _ensure_named(Author, authors, bio="A synthetic author for load testing.")
    return category_ids, list(zip(tag_ids, tag_words, strict=True)), author_ids


def insert_synthetic(
    count: int, seed: int = 42, batch: int = 1000, now: datetime | None = None, progress: Callable | None = None
) -> range:
    """Insert `count` published articles after the highest existing id; return their ids.

    Rows go in with Core inserts, one transaction per batch, bypassing the search change log: rebuild the index after.
    """
    now = (now or utcnow()).replace(microsecond=0)
    vocab = make_vocabulary(seed)
    category_ids, tags, author_ids = ensure_taxonomy()
    db.session.commit()
    first_id = (db.session.scalar(select(func.max(Article.id))) or 0) + 1
    # The text depends on the first id as well, so a second run adds different articles.
    rng = random.Random(f"{seed}:{first_id}")
    tag_cum = list(accumulate(1.0 / rank for rank in range(1, len(tags) + 1)))
    category_cum = list(accumulate(1.0 / rank**0.6 for rank in range(1, len(category_ids) + 1)))
    for batch_start in range(first_id, first_id + count, batch):
        articles, links = [], []
        for article_id in range(batch_start, min(batch_start + batch, first_id + count)):
            chosen = dict(rng.choices(tags, cum_weights=tag_cum, k=rng.randint(1, 4)))
            fake = fake_article(rng, vocab, topic=next(iter(chosen.values())))
            rendered = render_markdown(fake["body"])
            published_at = now - timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
            row = {**fake, "id": article_id, "slug": f"{slugify(fake['title'], max_length=60)}-{article_id}"}
            row.update(body_html=rendered.html, body_text=rendered.text, toc=rendered.toc)
            row.update(published_at=published_at, created_at=published_at, updated_at=published_at)
            row.update(status=ArticleStatus.PUBLISHED.value, author_id=rng.choice(author_ids))
            row["category_id"] = rng.choices(category_ids, cum_weights=category_cum)[0]
            articles.append(row)
            links.extend({"article_id": article_id, "tag_id": tag_id} for tag_id in chosen)
        db.session.execute(insert(Article.__table__), articles)
        db.session.execute(insert(article_tags), links)
        _advance_article_ids()
        db.session.commit()
        if progress is not None:
            progress(len(articles))
    return range(first_id, first_id + count)


def _advance_article_ids() -> None:
    """Move PostgreSQL's article id sequence past the ids just inserted (SQLite takes the next free id anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('articles', 'id'), max(id)) FROM articles"))


@click.command("seed-synthetic")
@click.option("--count", type=click.IntRange(min=1), required=True, help="How many articles to add.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the random text.")
@with_appcontext
def seed_synthetic_command(count: int, seed: int) -> None:
    """Add COUNT synthetic published articles for load testing, then rebuild the search index.

    Categories, tags and authors are created when missing. Every run ADDS another COUNT articles (new ids,
    slugs ending in the id); on an empty database the same seed gives the same articles.
    """
    started = time.perf_counter()
    with click.progressbar(length=count, label="Inserting articles") as bar:
        insert_synthetic(count, seed, progress=bar.update)
    inserted = time.perf_counter()
    click.echo(f"Inserted {count} articles in {inserted - started:.1f}s.")
    total = db.session.scalar(select(func.count(Article.id)).where(Article.is_live))
    db.session.rollback()  # hold no read transaction while the index is rebuilt
    with click.progressbar(length=total, label="Indexing articles") as bar:
        indexed = get_index().rebuild(progress=bar.update)
    click.echo(f"Indexed {indexed} articles in {time.perf_counter() - inserted:.1f}s.")
