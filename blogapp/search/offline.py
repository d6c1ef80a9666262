"""Rank a document collection in a temporary index: through the readers' query path, or with plain BM25."""

import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser
from whoosh.searching import Searcher

from .lengths import KeptLengthsBM25F
from .query import rank_ids
from .schema import build_document, make_schema
from .synonyms import DEFAULT_FILE as DEFAULT_SYNONYMS
from .synonyms import SynonymFile

Ranker = Callable[[str], list[str]]
RANK_LIMIT = 1000
PUBLISHED = datetime(2000, 1, 1)


def _fill(path: str, schema: Schema, rows: Iterable[dict[str, Any]]) -> whoosh_index.Index:
    index = whoosh_index.create_in(path, schema)
    writer = index.writer(limitmb=256)
    try:
        for row in rows:
            writer.add_document(**row)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return index


def _blogapp_rows(documents: Mapping[str, Mapping[str, str]]) -> Iterable[dict[str, Any]]:
    for doc_id, fields in documents.items():
        yield build_document(doc_id=doc_id, title=fields.get("T", ""), body=fields.get("W", ""), published=PUBLISHED)


def _baseline_rows(documents: Mapping[str, Mapping[str, str]]) -> Iterable[dict[str, Any]]:
    for doc_id, fields in documents.items():
        yield {"id": doc_id, "body": "\n".join(fields[k] for k in ("T", "W") if k in fields)}


def _blogapp_ranker(searcher: Searcher) -> Ranker:
    synonyms = SynonymFile(DEFAULT_SYNONYMS).current()  # the list a fresh instance starts with
    return lambda text: rank_ids(searcher, text, limit=RANK_LIMIT, synonyms=synonyms)


def _baseline_ranker(searcher: Searcher) -> Ranker:
    parser = QueryParser("body", searcher.schema, group=OrGroup)
    return lambda text: [hit["id"] for hit in searcher.search(parser.parse(text), limit=RANK_LIMIT)]


def run_queries(
    documents: Mapping[str, Mapping[str, str]], queries: Mapping[str, str], baseline: bool = False
) -> dict[str, list[str]]:
    """Index the documents in a temporary directory and return each query's ranked document ids."""
    if baseline:
        schema, rows, ranker = Schema(id=ID(stored=True), body=TEXT(stored=False)), _baseline_rows, _baseline_ranker
    else:
        schema, rows, ranker = make_schema(), _blogapp_rows, _blogapp_ranker
    with tempfile.TemporaryDirectory(prefix="blogapp-evaluate-") as path:
        index = _fill(path, schema, rows(documents))
        weighting = KeptLengthsBM25F() if not baseline else None
        with index.searcher(**({"weighting": weighting} if weighting else {})) as searcher:
            rank = ranker(searcher)
            return {qid: rank(text) for qid, text in queries.items()}
