"""The codec a rebuild writes its segments with: Whoosh 3's own files, each posting list written a term at a time.

Whoosh's field writer asks the per-document reader for the field length of every posting (a column lookup and
a byte decoding each) and hands postings to its block writer one call at a time; at commit that was a third of
a rebuild's time. Here each field's lengths are read once into a list, a term's postings are gathered, and
each block is filled whole and written by Whoosh's own block code, so the files are the same bytes (tested).
"""

from array import array

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment


class RebuildCodec(W3Codec):
    """Whoosh 3's codec with the term-at-a-time field writer; its segments name the stock codec."""

    def field_writer(self, storage, segment):
        """Return the field writer that writes a term's postings block by block."""
        return TermAtATimeFieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        """Return a segment that readers open with the stock codec (this class never reaches the index's TOC)."""
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class TermAtATimeFieldWriter(W3FieldWriter):
    """Whoosh 3's field writer, fed each term's postings at once."""

    def add_postings(self, schema, lengths, items):
        """Write sorted (field, term, document, weight, value) postings, as Whoosh's FieldWriter.add_postings does."""
        lastfn, lasttext, field_lengths, postings = None, None, None, None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lastfn is not None and fieldname < lastfn:
                    raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                if lasttext is not None:
                    self._write_term(lasttext, postings)
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field_lengths = _lengths_of(lengths, fieldname)
                lastfn, lasttext = fieldname, None
            if docnum == -1:  # Whoosh's marker of a spelling word: no posting
                continue
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
                    self._write_term(lasttext, postings)
                postings, lasttext = ([], [], [], []), btext
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(value)
            postings[3].append(field_lengths[docnum] if field_lengths is not None else 0)
        if lasttext is not None:
            self._write_term(lasttext, postings)
        if lastfn is not None:
            self.finish_field()

    def _write_term(self, btext, postings) -> None:
        """Write one term's postings in blocks, each with the statistics add_posting would have gathered."""
        ids, weights, values, lengths = postings
        self.start_term(btext)
        writer = self._postwriter
        limit = writer._blocklimit
        for start in range(0, len(ids), limit):
            if start:
                writer._write_block()
            block_weights = weights[start : start + limit]
            block_lengths = [length for length in lengths[start : start + limit] if length]
            writer._ids = array("I", ids[start : start + limit])
            writer._weights = array("f", block_weights)
            writer._values = [value for value in values[start : start + limit] if value]
            writer._minlength = min(block_lengths) if block_lengths else None
            writer._maxlength = max(block_lengths) if block_lengths else 0
            # add_posting keeps the first weight above 0 and above every earlier one: the double, not the float32
            writer._maxweight = max(0, *block_weights)
        self.finish_term()


def _lengths_of(lengths, fieldname: str) -> list | None:
    """Return the length of `fieldname` in each document, as the per-document reader gives it, or None for none."""
    if not lengths:
        return None
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(lengths.doc_count_all())]
