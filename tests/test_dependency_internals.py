"""The internals of its dependencies the code relies on, named one by one: an upgrade that removes one fails here
with its name, before any feature test fails in a puzzling way. constraints.txt pins the versions they hold in."""

import inspect

import flask_login
import pytest
from sqlalchemy import Integer, bindparam, column, select, table
from sqlalchemy.dialects import postgresql, sqlite
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer

# blogapp/search/postings.py reads a Whoosh 3 posting list block by block (a tenth of a search's time).
WHOOSH_LEAF_MATCHER = ["_read_data", "_read_weights", "_next_block", "self._data", "self._weights"]


@pytest.mark.parametrize("name", WHOOSH_LEAF_MATCHER)
def test_whoosh_leaf_matcher_reads_its_blocks_as_postings_expects(name):
    source = inspect.getsource(W3LeafMatcher)
    assert (f"def {name}(" if not name.startswith("self.") else name) in source, f"W3LeafMatcher lost {name}"


def test_whoosh_scorers_hold_what_bulk_scoring_reads():
    # postings.py: a deleted-documents filter wraps the raw matcher as `.child`; term_scores() reads the BM25F
    # scorer's constants; lengths.py replaces WeightLengthScorer's `dfl` (document field length) per segment.
    assert "self.child" in inspect.getsource(FilterMatcher)
    scorer_source = inspect.getsource(BM25FScorer)
    for name in ("self.idf", "self.K1", "self.B", "self.avgfl"):
        assert name in scorer_source, f"BM25FScorer lost {name}"
    assert "self.dfl" in inspect.getsource(WeightLengthScorer)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg.dialect()], ids=["sqlite", "postgresql"])
def test_sqlalchemy_compiled_statement_gives_what_the_raw_path_reads(dialect):
    # blogapp/content/raw_query.py compiles a SELECT once and runs it on the driver's cursor.
    articles = table("articles", column("id", Integer))
    compiled = select(articles.c.id).where(articles.c.id == bindparam("id0")).compile(dialect=dialect)
    assert isinstance(compiled.string, str) and isinstance(compiled.positional, bool)
    assert compiled.positiontup is None or list(compiled.positiontup) == ["id0"]
    bind = compiled.binds["id0"]
    assert bind.required is True
    assert compiled.construct_params({"id0": None}) == {"id0": None}
    kind = bind.type.dialect_impl(dialect)
    assert callable(kind.bind_processor) and callable(kind.result_processor)


def test_flask_login_is_used_through_its_public_api_only():
    # web/errors.py renders an error page with its own anonymous user instead of Flask-Login's private
    # `_update_request_context_with_user`; `anonymous_user` is the documented setting it reads.
    assert flask_login.LoginManager().anonymous_user is flask_login.AnonymousUserMixin
