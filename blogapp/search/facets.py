"""Category and tag counts for a set of matching documents, from a per-searcher cache."""

from collections import Counter

from .. import caches
from .postings import term_docs

_maps = caches.weak_map(
    "search.facet_maps",
    holds="which category and tags each document has, for one index reader",
    bound="one per open index reader",
    cleared_by="the reader closing: a new index version opens a new one",
)


class FacetMap:
    """Which documents of one searcher's index view are in each category and have each tag, as bit sets."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.docs_in: dict[str, dict[str, int]] = {
            kind: {slug: self.bits(term_docs(reader, field, slug)) for slug in reader.field_terms(field)}
            for kind, field in (("category", "category_slug"), ("tag", "tag_slugs"))
        }

    def bits(self, docnums) -> int:
        """Return a set of document numbers as an integer with those bits set."""
        found = bytearray(self.size // 8 + 1)
        for docnum in docnums:
            found[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(found, "little")

    def counts(self, docset: set[int], top_tags: int = 12) -> dict[str, list[tuple[str, int]]]:
        """Count matching documents per category and per tag, largest first."""
        # One AND and a bit count per facet: a few milliseconds for 90,000 matches, 12 categories and 150 tags,
        # where looking every match up, or intersecting sets, took tens.
        matches = self.bits(docset)
        found = {kind: Counter() for kind in self.docs_in}
        for kind, docs_of in self.docs_in.items():
            for slug, docs in docs_of.items():
                shared = (docs & matches).bit_count()
                if shared:
                    found[kind][slug] = shared

        def largest(counts: Counter) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

        return {"category": largest(found["category"]), "tag": largest(found["tag"])[:top_tags]}


def facet_map(searcher) -> FacetMap:
    """Return the facet map of this searcher, built once per index version."""
    reader = searcher.reader()
    found = _maps.get(reader)
    if found is None:
        found = FacetMap(reader)
        _maps.put(reader, found)
    return found
