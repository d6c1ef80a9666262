"""`flask search evaluate`: score search on one SMART collection, or on every collection of a folder."""

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from .ir_collections import SHARED_IR, find_collections
from .relevance import NUMBERINGS, evaluate

SYSTEMS = ("blogapp", "baseline-bm25")
WORKERS = 2


def _scores(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("collection", "system", "queries")}


def evaluate_all(root: Path, workers: int = WORKERS) -> list[dict[str, Any]]:
    """Score blogapp and Whoosh's default BM25 on each collection under `root`; one dict per collection."""
    collections = find_collections(root)
    jobs = [(c, baseline) for c in collections for baseline in (False, True)]
    # Each run indexes its collection apart; two processes halve the wait on a two-core machine.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(evaluate, c.docs, c.queries, c.qrels, baseline=baseline) for c, baseline in jobs]
        results = [future.result() for future in futures]
    lines = []
    for number, collection in enumerate(collections):
        ours, baseline = results[2 * number], results[2 * number + 1]
        lines.append(
            {
                "collection": collection.name,
                "queries": ours["queries"],
                SYSTEMS[0]: _scores(ours),
                SYSTEMS[1]: _scores(baseline),
            }
        )
    return lines


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


# A plain click command (no app context needed), so it runs under `flask … search` and on its own alike.
@click.command("evaluate")
@click.option("--docs", type=_FILE, help="SMART document file, e.g. CISI.ALL.")
@click.option("--queries", type=_FILE, help="SMART query file, e.g. CISI.QRY.")
@click.option("--qrels", type=_FILE, help="Judgments: CISI.REL, cranqrel, CACM's qrels.text or TREC qrels.")
@click.option("--baseline", is_flag=True, help="Rank with Whoosh's default BM25F over one body field instead.")
@click.option(
    "--query-numbering",
    type=click.Choice(NUMBERINGS),
    default="auto",
    help="Judged query ids are .I ids, file positions, or auto.",
)
@click.option("--all", "every", is_flag=True, help="Score every collection under --dir, each beside the baseline.")
@click.option(
    "--dir",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=SHARED_IR,
    show_default=True,
    help="With --all: a folder of collections, one per subfolder.",
)
def evaluate_command(
    docs: Path | None,
    queries: Path | None,
    qrels: Path | None,
    baseline: bool,
    query_numbering: str,
    every: bool,
    root: Path,
) -> None:
    """Score search on a SMART test collection (or, with --all, on each) and print one JSON line for each."""
    try:
        if every:
            for line in evaluate_all(root):
                click.echo(json.dumps(line))
            return
        if docs is None or queries is None or qrels is None:
            raise click.UsageError("give --docs, --queries and --qrels, or --all")
        click.echo(json.dumps(evaluate(docs, queries, qrels, baseline=baseline, numbering=query_numbering)))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
