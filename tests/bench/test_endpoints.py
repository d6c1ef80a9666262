"""bench/endpoints.py: every route the app serves is requested and answers as it should; a 500 fails its pattern."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.endpoints_http import Answer
from bench.endpoints_measure import Figures, is_right
from bench.endpoints_report import judge
from bench.endpoints_urls import Pattern
from bench.load import DEFAULT_SEED, prepare
from blogapp import create_app
from blogapp.content.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus
from blogapp.search import get_index

ROOT = Path(__file__).resolve().parents[2]
COUNT = 30
QUICK = ["--urls", "3", "--searches", "3", "--samples", "2", "--warm-passes", "1", "--flood-seconds", "2"]


def test_a_server_error_fails_its_pattern_however_fast():
    pattern = Pattern("article", "/articles/<slug>/", "reader", ["/articles/a/"])
    modes = {"cold": Figures.of([("/articles/a/", Answer(500, 0.002))], is_right(pattern))}
    verdict, why = judge(pattern, modes, COUNT)
    assert verdict == "FAIL" and "GET /articles/a/ → 500" in why


def test_a_missing_address_must_answer_404():
    pattern = Pattern("unknown address (404)", "/<path:old_path>", "not-found", ["/nothing/"])
    found = {"cold": Figures.of([("/nothing/", Answer(200, 0.002))], is_right(pattern))}
    assert judge(pattern, found, COUNT)[0] == "FAIL"
    found = {"cold": Figures.of([("/nothing/", Answer(404, 0.002))], is_right(pattern))}
    assert judge(pattern, found, COUNT) == ("PASS", "")


def add_revisions(folder: Path) -> None:
    """Save the first article twice through the app's own service, so revision pages have something to show."""
    app = create_app(
        {
            "SECRET_KEY": "endpoint-benchmark-test-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "SEARCH_SYNONYMS_FILE": str(folder / "synonyms.txt"),
            "UPLOADS_DIR": str(folder / "uploads"),
        }
    )
    with app.app_context():
        article = db.session.scalars(select(Article).order_by(Article.id)).first()
        for edit in (1, 2):
            fields = {"title": f"{article.title} {edit}", "body": f"{article.body}\n\nEdit {edit}."}
            fields.update(summary=article.summary, category=article.category, author=article.author)
            fields.update(tags=[tag.name for tag in article.tags], status=ArticleStatus(article.status))
            save_article(article, published_at=article.published_at, **fields)
            db.session.commit()
        get_index().wait_for_retry(5)
        get_index().close()
        db.engine.dispose()


def right_statuses(entry: dict) -> bool:
    """Tell whether every answer of a pattern in a mode was the expected one."""
    allowed = (
        (lambda s: s == "404") if entry["group"] == "not-found" else (lambda s: s.isdigit() and 200 <= int(s) < 400)
    )
    return all(allowed(status) for mode in ("cold", "warm") if entry[mode] for status in entry[mode]["statuses"])


@pytest.mark.slow
def test_every_route_is_requested_and_answers_as_expected(tmp_path):
    folder = prepare(tmp_path, COUNT, DEFAULT_SEED)
    add_revisions(folder)
    command = [sys.executable, "bench/endpoints.py", "--articles", str(COUNT), "--data-dir", str(tmp_path), *QUICK]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: a budget missed on a busy machine
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert not [miss for miss in result["misses"] if miss.startswith("route with no pattern")]
    assert result["not_measured"] == []
    patterns = result["patterns"]
    assert {"article", "search 32 prefixes", "revision diff", "editor", "upload"} <= set(patterns)
    assert sum(name.startswith("sitemap part") for name in patterns) == 3
    for name, entry in patterns.items():
        assert entry["cold"]["samples"] > 0, name
        assert right_statuses(entry), (name, entry)
        assert re.search(rf"^{re.escape(name)}\s.*\s(PASS|FAIL)", done.stdout, re.M), name
    assert len(re.findall(r"^  (PASS|FAIL)  flood: ", done.stdout, re.M)) == 5
    assert all(result["flood"][kind]["requests"] > 0 for kind in ("article", "home", "search"))
