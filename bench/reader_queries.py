"""Score the site's search on reader queries judged by hand: hit@1, hit@3 and MRR through the readers' path."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import Article, Page, utcnow
from blogapp.search import SearchRequest, get_index, get_synonyms, search_articles

JUDGMENTS = Path(__file__).resolve().parents[1] / "tests" / "search" / "reader_queries.tsv"
DEPTH = 10  # a reader's first page: an answer below it counts 0 for MRR


@dataclass(frozen=True)
class Judgment:
    query: str
    best: frozenset[str]  # slugs, any of which answers the query
    kind: str


def read_judgments(path: Path = JUDGMENTS) -> list[Judgment]:
    """Read `query<TAB>slug slug …<TAB>kind` lines; # starts a comment line."""
    judgments = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].strip() or not parts[1].split():
            raise ValueError(f"{path.name} line {number}: expected query, slugs and kind separated by tabs")
        judgments.append(Judgment(parts[0].strip(), frozenset(parts[1].split()), parts[2].strip()))
    return judgments


def ranked_slugs(text: str, now: datetime) -> list[str]:
    """Return the slugs of a search's first page, as a reader's search (spelling fixes, synonyms) ranks them."""
    page = search_articles(get_index(), SearchRequest(text=text, per_page=DEPTH), now, get_synonyms())
    ids = [hit.article_id for hit in page.hits]
    slugs = dict(db.session.execute(select(Article.id, Article.slug).where(Article.id.in_(ids))).all())
    pages = dict(db.session.execute(select(Page.id, Page.slug)).all())
    # A page found takes its place in the ranking as "/<slug>/": never one of the judged best articles.
    return [slugs[hit.article_id] if hit.page_id is None else f"/{pages[hit.page_id]}/" for hit in page.hits]


def measure(judgments: list[Judgment], now: datetime | None = None) -> dict[str, Any]:
    """Return hit@1, hit@3 and MRR over the judgments, per kind too, and the queries whose best is not first."""
    now = now or utcnow()
    ranks: list[tuple[Judgment, int | None, list[str]]] = []
    for judgment in judgments:
        slugs = ranked_slugs(judgment.query, now)
        rank = next((n for n, slug in enumerate(slugs, 1) if slug in judgment.best), None)
        ranks.append((judgment, rank, slugs[:3]))
    kinds = sorted({j.kind for j in judgments})
    return {
        **_summary([rank for _, rank, _ in ranks]),
        "kinds": {kind: _summary([rank for j, rank, _ in ranks if j.kind == kind]) for kind in kinds},
        "misses": [{"query": j.query, "rank": rank, "top": top} for j, rank, top in ranks if rank != 1],
    }


def _summary(ranks: list[int | None]) -> dict[str, Any]:
    count = len(ranks) or 1
    return {
        "queries": len(ranks),
        "hit@1": round(sum(1 for r in ranks if r == 1) / count, 4),
        "hit@3": round(sum(1 for r in ranks if r is not None and r <= 3) / count, 4),
        "MRR": round(sum(1 / r for r in ranks if r is not None) / count, 4),
    }


@click.command("reader-queries")
@click.option("--judgments", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=JUDGMENTS)
@click.option("--misses", is_flag=True, help="Also list each query whose best article is not first.")
@with_appcontext
def reader_queries_command(judgments: Path, misses: bool) -> None:
    """Score search on the reader queries (the demo site's content: `flask seed-demo`) and print JSON."""
    result = measure(read_judgments(judgments))
    if not misses:
        result.pop("misses")
    click.echo(json.dumps(result, indent=1))
