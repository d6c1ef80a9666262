"""The writer of a rebuild: Whoosh's (one process or several), its postings sorted out to disk in chunks.

Whoosh's posting pool pickles each posting to its run file and unpickles it again one call at a time (1.2
million postings for 2,500 articles: a quarter of a one-process rebuild's time went on the runs). Here a run is
a sequence of pickled lists of postings: the same postings, in the same order, for a fraction of the calls.
"""

import pickle
from itertools import islice

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

from .segment_codec import RebuildCodec

RUN_CHUNK = 2000  # postings a pickled list: a run being merged holds one list in memory (about 300 KB)


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool with run files written and read a chunk of postings at a time."""

    def add(self, item):
        """Add a (field, term bytes, document, weight, value bytes) posting, counted as Whoosh's pool counts it."""
        fieldname, text, _, _, value = item
        self.fieldnames.add(fieldname)
        # Whoosh's estimate of the posting's size in memory, term by term (its type checks left out)
        self.currentsize += 150 + len(fieldname) + 2 * len(text) + len(value or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items):
        items = iter(items)
        try:
            while chunk := list(islice(items, RUN_CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def _chunked(writer: SegmentWriter) -> SegmentWriter:
    """Give a writer that has not added a document yet the chunked posting pool."""
    pool = writer.pool
    writer.pool = ChunkedPostingPool(pool.tempstore, pool.segment)
    writer.pool.limit = pool.limit
    return writer


class _ChunkedTask(SubWriterTask):
    """A writer process of Whoosh's parallel writer whose writer has the chunked pool."""

    def _process_file(self, filename, doc_count):
        if not isinstance(self.writer.pool, ChunkedPostingPool):
            _chunked(self.writer)
        super()._process_file(filename, doc_count)


class _ParallelWriter(MpWriter):
    """Whoosh's parallel writer starting _ChunkedTask processes."""

    def _new_task(self):
        task = _ChunkedTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


def rebuild_writer(ix, procs: int, **options) -> SegmentWriter:
    """Return a writer for a rebuild: `procs` processes, each writing its own segment, when more than one."""
    options["codec"] = RebuildCodec()
    if procs > 1:  # several processes analyse documents in parallel; their segments are kept as they are
        return _ParallelWriter(ix, procs=procs, multisegment=True, **options)
    return _chunked(SegmentWriter(ix, **options))
