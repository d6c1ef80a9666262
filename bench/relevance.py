"""Score search quality on Cornell SMART test collections (CISI, Cranfield …) through the production query path."""

import math
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from blogapp.search.offline import run_queries

Qrels = dict[str, dict[str, int]]  # query id -> document id -> gain; 0 means judged not relevant

NUMBERINGS = ("auto", "id", "order")
CUTOFF = 10
_RECORD = re.compile(r"^\.I\s+(\S+)")
_FIELD = re.compile(r"^\.([A-Z])\s*$")


def normalise_id(raw: str) -> str:
    """Return a record id in one spelling, so `001` in one file meets `1` in another."""
    return str(int(raw)) if raw.isdigit() else raw


def parse_smart(text: str) -> list[tuple[str, dict[str, str]]]:
    """Split SMART text into (id, {field letter: text}) records in file order; repeated fields are joined."""
    records: list[tuple[str, dict[str, list[str]]]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if match := _RECORD.match(line):
            records.append((normalise_id(match[1]), {}))
            current = None
        elif match := _FIELD.match(line.rstrip()):
            if not records:
                raise ValueError(f"line {number}: field .{match[1]} before the first .I record")
            current = records[-1][1].setdefault(match[1], [])
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise ValueError(f"line {number}: text outside any field: {line[:60]!r}")
    return [(rid, {k: "\n".join(v).strip() for k, v in fields.items()}) for rid, fields in records]


def parse_documents(text: str) -> dict[str, dict[str, str]]:
    """Parse a SMART document file (.T title, .A authors, .B source, .W text, .X refs; any may be missing)."""
    documents: dict[str, dict[str, str]] = {}
    for doc_id, fields in parse_smart(text):
        if doc_id in documents:
            raise ValueError(f"document {doc_id} appears twice")
        documents[doc_id] = fields
    return documents


def parse_queries(text: str) -> list[tuple[str, str]]:
    """Parse a SMART query file into (id, .W text with whitespace collapsed), in file order."""
    return [(qid, " ".join(fields.get("W", "").split())) for qid, fields in parse_smart(text)]


def _judgment(parts: list[str], trec: bool) -> tuple[str, str, int]:
    if len(parts) == 2:  # `qid docid`: every listed pair is relevant
        return parts[0], parts[1], 1
    if len(parts) == 3:  # cranqrel `qid docid grade`: Cleverdon's 1 (complete answer) .. 4 (minimum interest)
        grade = int(parts[2])
        # -1 marks each question's source document (one per query), which is not a judged answer.
        return parts[0], parts[1], 5 - grade if 1 <= grade <= 4 else 0
    if len(parts) == 4 and trec and re.fullmatch(r"-?\d+", parts[3]):  # TREC `qid iteration docid relevance`
        return parts[0], parts[2], max(int(parts[3]), 0)
    if len(parts) == 4:  # CISI.REL `qid docid 0 0.0`, CACM's `qid docid 0 0`: every listed pair is relevant
        float(parts[3])
        return parts[0], parts[1], 1
    raise ValueError(f"{len(parts)} columns")


def _is_trec(rows: list[list[str]]) -> bool:
    """Tell whether a file's four-column lines are TREC's `qid iteration docid rel` or SMART's `qid docid 0 0`.

    The document ids are the column that varies: TREC's second column (the iteration) is nearly constant,
    SMART's third is. A tie (one line) is read as TREC, the common format.
    """
    rows = [parts for parts in rows if len(parts) == 4]
    return len({parts[2] for parts in rows}) >= len({parts[1] for parts in rows})


def parse_qrels(text: str) -> Qrels:
    """Parse judgments, detecting the format of each line (and of four-column lines, of the file).

    `qid docid`, CISI's `qid docid 0 0.0` and CACM's `qid docid 0 0` are relevant with gain 1; TREC `qid iter
    docid rel` keeps `rel` as the gain (≤ 0 is not relevant); Cranfield's `qid docid grade` turns grade 1
    (complete answer) .. 4 (minimum interest) into gain 4 .. 1, and -1 (the question's source document) into
    0, i.e. not relevant. Query and document ids are compared as numbers where they are numbers (`01` is 1).
    """
    rows = [(number, line.split()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    trec = _is_trec([parts for _, parts in rows])
    qrels: Qrels = {}
    for number, parts in rows:
        try:
            qid, doc_id, gain = _judgment(parts, trec)
        except ValueError as exc:
            raise ValueError(f"line {number}: not a judgment ({exc}): {' '.join(parts)[:60]!r}") from None
        qrels.setdefault(normalise_id(qid), {})[normalise_id(doc_id)] = gain
    return qrels


def align_queries(queries: Sequence[tuple[str, str]], qrels: Qrels, numbering: str = "auto") -> dict[str, str]:
    """Map each judged query id to its text, by .I id ("id") or by 1-based position in the file ("order").

    "auto" uses ids when every judged query id is a .I id, else file order when every judged id is a number
    from 1 to the number of queries (cran.qry's .I ids run 001, 002, 004 … but cranqrel counts 1..225).
    """
    by_id = dict(queries)
    if numbering == "auto":
        numbering = "id" if qrels.keys() <= by_id.keys() else "order"
    if numbering == "order":
        by_id = {str(position): text for position, (_, text) in enumerate(queries, 1)}
    elif numbering != "id":
        raise ValueError(f"unknown query numbering {numbering!r}")
    missing = sorted(qrels.keys() - by_id.keys(), key=lambda q: (len(q), q))
    if missing:
        raise ValueError(f"judged queries not in the query file (numbering {numbering}): {', '.join(missing[:10])}")
    return {qid: by_id[qid] for qid in qrels}


def average_precision(ranking: Sequence[str], gains: Mapping[str, int]) -> float:
    """Return the mean of the precision at each relevant document's rank; unretrieved ones count 0."""
    relevant = sum(1 for gain in gains.values() if gain > 0)
    hits, total = 0, 0.0
    for rank, doc_id in enumerate(ranking, 1):
        if gains.get(doc_id, 0) > 0:
            hits += 1
            total += hits / rank
    return total / relevant if relevant else 0.0


def precision_at(ranking: Sequence[str], gains: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return the share of relevant documents among the first k (short rankings still divide by k)."""
    return sum(1 for doc_id in ranking[:k] if gains.get(doc_id, 0) > 0) / k


def ndcg_at(ranking: Sequence[str], gains: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return nDCG@k with linear gains (graded when the judgments are) and a log2(rank + 1) discount."""
    dcg = sum(gains.get(doc_id, 0) / math.log2(rank + 1) for rank, doc_id in enumerate(ranking[:k], 1))
    ideal = sorted((gain for gain in gains.values() if gain > 0), reverse=True)[:k]
    best = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, 1))
    return dcg / best if best else 0.0


def score(runs: Mapping[str, Sequence[str]], qrels: Qrels) -> dict[str, Any]:
    """Average MAP, P@10 and nDCG@10 over the queries with at least one relevant document."""
    judged = [qid for qid in runs if any(gain > 0 for gain in qrels.get(qid, {}).values())]
    metrics = {"MAP": average_precision, f"P@{CUTOFF}": precision_at, f"nDCG@{CUTOFF}": ndcg_at}
    result: dict[str, Any] = {
        name: sum(metric(runs[qid], qrels[qid]) for qid in judged) / len(judged) if judged else 0.0
        for name, metric in metrics.items()
    }
    result["queries"] = len(judged)
    return result


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def evaluate(docs: Path, queries: Path, qrels: Path, baseline: bool = False, numbering: str = "auto") -> dict[str, Any]:
    """Rank every judged query of a SMART collection and return its scores, rounded, with the time taken.

    MAP and P@10 use binary relevance (gain > 0); nDCG@10 uses the gains, so it is graded on Cranfield and
    binary on CISI. `numbering` says how judged query ids find their text; see `align_queries`.
    """
    started = time.perf_counter()
    judgments = parse_qrels(_read(qrels))
    texts = align_queries(parse_queries(_read(queries)), judgments, numbering)
    runs = run_queries(parse_documents(_read(docs)), texts, baseline=baseline)
    scores = score(runs, judgments)
    return {
        "collection": docs.name,
        "system": "baseline-bm25" if baseline else "blogapp",
        **{name: round(value, 4) if isinstance(value, float) else value for name, value in scores.items()},
        "seconds": round(time.perf_counter() - started, 4),
    }
