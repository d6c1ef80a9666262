"""Reader queries judged by hand on the demo site: search must keep finding the article a reader wants first."""

import pytest

from bench.reader_queries import measure, read_judgments
from blogapp.extensions import db
from blogapp.moving.demo import demo_articles, load_demo
from blogapp.search import get_index

# Measured 2026-12-03 on the demo site through search_articles (what the search page runs), before any ranking
# change for issue 16: hit@1 0.8654, hit@3 0.9679, MRR 0.9183 over 156 queries. Raise these when
# search gets better; any drop fails. Synonym fixes: 0.8782, 0.9808, 0.9308; with BM25's idf, common words
# not required and the title match of short searches: 0.9038, 0.9936, 0.9479. With the shipped health
# vocabulary (period pain, dysmenorrhea, menstrual cramps …): 0.9103, 0.9936, 0.9511. With question words
# ("how", "does" …) not required by the title match: 0.9167, 0.9936, 0.9553 ("does yoga help back pain" now first).
# A synonym unit scored as its best entry, expansions weighted per word: 0.9551, 0.9936, 0.9746. With "lower back,
# low back" in the shipped vocabulary: the floor below.
FLOOR = {"hit@1": 0.9615, "hit@3": 0.9936, "MRR": 0.9778}


@pytest.fixture
def demo_site(ctx):
    """Load the demo articles and index them."""
    load_demo()
    db.session.commit()
    get_index().drain()


def test_judgments_are_many_varied_and_name_published_demo_articles():
    judgments = read_judgments()
    slugs = {article.slug for article in demo_articles() if article.meta.get("status", "published") == "published"}
    assert len(judgments) >= 120
    assert len({j.query.lower() for j in judgments}) == len(judgments)
    assert {j.kind for j in judgments} == {"title", "lay", "drug", "misspelling", "question", "phrase", "body"}
    assert all(j.best <= slugs for j in judgments), [j.query for j in judgments if not j.best <= slugs]


def test_reader_queries_find_the_best_article_first(demo_site):
    result = measure(read_judgments())
    for metric, floor in FLOOR.items():
        assert result[metric] >= floor, f"{metric} fell below {floor}: {result}"
