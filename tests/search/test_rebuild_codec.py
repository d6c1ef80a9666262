"""A rebuild's codec writes the same index files, byte for byte, as Whoosh's own."""

import random
from datetime import datetime, timedelta
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from blogapp.search.rebuild_writer import rebuild_writer
from blogapp.search.schema import build_document, make_schema
from blogapp.search.segment_codec import RebuildCodec

# Words, stop words, accents, numbers, stars, other scripts, punctuation.
_WORDS = [
    "migraine",
    "the",
    "café",
    "naïve",
    "Straße",
    "ketamine",
    "a",
    "of",
    "running",
    "œdema",
    "3.141",
    "x*",
    "i.e.",
]
_WORDS += ["ИБУПРОФЕН", "头痛", "über", "—", "pain"]


def _documents(count: int) -> list[dict]:
    """Articles of varied words: common ones fill several posting blocks, rare ones one posting."""
    rng = random.Random(7)

    def text(size: int) -> str:
        return " ".join(rng.choice(_WORDS) + rng.choice(["", "s", "ing", str(rng.randrange(50))]) for _ in range(size))

    return [
        build_document(
            doc_id=str(number),
            title=text(rng.randrange(1, 9)),
            body=text(rng.randrange(0, 120)),
            published=datetime(2026, 1, 1) + timedelta(hours=number),
            summary=text(rng.randrange(0, 20)),
            tags=[(f"t{n}", text(2)) for n in range(rng.randrange(0, 4))],
            category=("c", text(1)),
            author=("a", text(2)),
        )
        for number in range(count)
    ]


def _build(folder: Path, codec, documents, **options) -> dict[str, bytes]:
    """Index the documents in one commit; return each file's bytes by its name less the segment's random id."""
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), make_schema())
    writer = index.writer(codec=codec, limitmb=options.pop("limitmb", 128), **options)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    segment = whoosh_index.open_dir(str(folder)).reader().segment().segment_id()
    return {path.name.replace(segment, "SEG"): path.read_bytes() for path in folder.iterdir() if segment in path.name}


def test_rebuild_codec_writes_the_same_segment_files(tmp_path):
    documents = _documents(700)
    stock = _build(tmp_path / "stock", W3Codec(), documents, compound=False)
    fast = _build(tmp_path / "fast", RebuildCodec(), documents, compound=False)
    assert sorted(stock) == sorted(fast) and len(stock) > 3
    for name, data in stock.items():
        assert fast[name] == data, name


def test_rebuild_codec_segment_opens_with_the_stock_codec(tmp_path):
    _build(tmp_path / "fast", RebuildCodec(), _documents(3), compound=False)
    segment = whoosh_index.open_dir(str(tmp_path / "fast")).reader().segment()
    assert type(segment.codec()) is W3Codec


def _rebuild_files(folder: Path, documents, procs: int) -> list[dict[str, bytes]]:
    """Index the documents with a rebuild's writer, its postings sorted out to many runs; return its segments' files."""
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), make_schema())
    writer = rebuild_writer(index, procs, limitmb=1, compound=False)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    segments = whoosh_index.open_dir(str(folder))._segments()
    return [
        {path.name.replace(seg.segment_id(), "SEG"): path.read_bytes() for path in folder.glob(f"*{seg.segment_id()}*")}
        for seg in segments
    ]


def test_rebuild_writer_with_runs_on_disk_writes_the_same_files(tmp_path):
    documents = _documents(700)
    stock = _build(tmp_path / "stock", W3Codec(), documents, compound=False)
    assert _rebuild_files(tmp_path / "one", documents, procs=1) == [stock]


def _by_document(folder: Path) -> tuple[dict, dict]:
    """Return every posting and every document's stored fields and field lengths, keyed by the document's id."""
    reader = whoosh_index.open_dir(str(folder)).reader()
    postings, documents = {}, {}
    for leaf, _ in reader.leaf_readers():
        ids = [leaf.stored_fields(docnum)["id"] for docnum in range(leaf.doc_count_all())]
        for docnum, doc_id in enumerate(ids):
            lengths = {name: leaf.doc_field_length(docnum, name) for name in leaf.indexed_field_names()}
            documents[doc_id] = (leaf.stored_fields(docnum), lengths)
        for fieldname, text in leaf.all_terms():
            matcher = leaf.postings(fieldname, text)
            while matcher.is_active():
                postings[fieldname, text, ids[matcher.id()]] = (matcher.weight(), matcher.value())
                matcher.next()
    return postings, documents


def test_parallel_rebuild_writer_indexes_every_document_the_same(tmp_path):
    documents = _documents(450)
    _build(tmp_path / "stock", W3Codec(), documents, compound=False)
    _rebuild_files(tmp_path / "two", documents, procs=2)  # a segment per writer process, a hundred documents a job
    assert _by_document(tmp_path / "two") == _by_document(tmp_path / "stock")
