"""Category and tag counts for a set of matching documents, from a per-searcher cache."""

from collections import Counter

from .. import caches

_maps = caches.weak_map(
    "search.facet_maps",
    holds="which category and tags each document has, for one index reader",
    bound="one per open index reader",
    cleared_by="the reader closing: a new index version opens a new one",
)


class FacetMap:
    """Which category and tags each document of one searcher's index view has."""

    def __init__(self, reader):
        self.category_of: dict[int, str] = {}
        for slug in reader.field_terms("category_slug"):
            for docnum in reader.postings("category_slug", slug).all_ids():
                self.category_of[docnum] = slug
        self.docs_with_tag: dict[str, frozenset[int]] = {
            slug: frozenset(reader.postings("tag_slugs", slug).all_ids()) for slug in reader.field_terms("tag_slugs")
        }

    def counts(self, docset: set[int], top_tags: int = 12) -> dict[str, list[tuple[str, int]]]:
        """Count matching documents per category and per tag, largest first."""
        categories = Counter(self.category_of[d] for d in docset if d in self.category_of)
        tags = Counter()
        for slug, docs in self.docs_with_tag.items():
            shared = len(docs & docset) if len(docs) < len(docset) else len(docset & docs)
            if shared:
                tags[slug] = shared

        def largest(counts: Counter) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

        return {"category": largest(categories), "tag": largest(tags)[:top_tags]}


def facet_map(searcher) -> FacetMap:
    """Return the facet map of this searcher, built once per index version."""
    reader = searcher.reader()
    found = _maps.get(reader)
    if found is None:
        found = FacetMap(reader)
        _maps.put(reader, found)
    return found
