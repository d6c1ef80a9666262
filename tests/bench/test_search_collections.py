"""`search evaluate --all`: the collections of a folder found by their file names, each scored beside the baseline."""

import json

import pytest
from click.testing import CliRunner

from bench.ir_collections import find_collections
from bench.relevance_command import evaluate_command

DOCS = ".I 1\n.T\nHeat conduction\n.W\nheat flow in a slab\n.I 2\n.W\nshock waves past a wedge\n"
QUERIES = ".I 001\n.W\nheat in slabs\n.I 003\n.W\nshock waves\n"
CRAN_QRELS = "1 1 1\n2 2 2\n2 1 -1\n"  # numbered 1, 2 in file order, as cranqrel is


def test_a_folder_of_collections_is_found_by_file_names(tmp_path):
    layouts = {"tiny": ("TINY.ALL", "TINY.QRY", "TINY.REL"), "x": ("x.all.4", "query.text", "qrels.text")}
    for folder, names in layouts.items():
        (tmp_path / folder).mkdir()
        for name in names:
            (tmp_path / folder / name).write_text("")
    (tmp_path / "x" / "x.readme").write_text("")
    found = find_collections(tmp_path)
    assert [(c.name, c.docs.name, c.queries.name, c.qrels.name) for c in found] == [
        ("tiny", "TINY.ALL", "TINY.QRY", "TINY.REL"),
        ("x", "x.all.4", "query.text", "qrels.text"),
    ]
    (tmp_path / "x" / "more.rel").write_text("")
    with pytest.raises(ValueError, match="x: expected one judgments file"):
        find_collections(tmp_path)


def test_evaluate_all_prints_each_collection_beside_the_baseline(tmp_path):
    (tmp_path / "tiny").mkdir()
    for name, text in (("tiny.all", DOCS), ("tiny.qry", QUERIES), ("tiny.rel", CRAN_QRELS)):
        (tmp_path / "tiny" / name).write_text(text)
    result = CliRunner().invoke(evaluate_command, ["--all", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert (line["collection"], line["queries"]) == ("tiny", 2)
    assert line["blogapp"]["MAP"] == line["baseline-bm25"]["MAP"] == 1.0


def test_evaluate_without_files_or_all_is_a_usage_error():
    result = CliRunner().invoke(evaluate_command, [])
    assert result.exit_code == 2
    assert "--all" in result.output
