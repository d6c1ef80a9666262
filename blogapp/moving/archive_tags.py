"""Archive tags: names that differ only in case become one tag, as this site's tag names are unique in any case."""

from typing import Any

from ..content.redirects import normalise_old_path
from ..models import Redirect, Tag


def load_tags(records: list[dict[str, Any]]) -> tuple[dict[str, Tag], list[tuple[str, Tag]]]:
    """Return the archive's tags by slug and the (slug, tag) pairs merged into an earlier tag of the same name.

    Archives written before names were unique may hold "Sleep" and "sleep": the first name wins, and the later
    slug leads to the same tag, so its articles and old addresses follow it there.
    """
    by_name: dict[str, Tag] = {}
    tags: dict[str, Tag] = {}
    merged: list[tuple[str, Tag]] = []
    for record in records:
        key = record["name"].lower()
        if key in by_name:
            merged.append((record["slug"], by_name[key]))
        else:
            by_name[key] = Tag(slug=record["slug"], name=record["name"])
        tags[record["slug"]] = by_name[key]
    return tags, merged


def merged_tag_redirects(merged: list[tuple[str, Tag]], taken: set[str]) -> list[Redirect]:
    """Return a redirect from each merged tag's address to the tag it joined, unless the archive already has one."""
    redirects = []
    for slug, tag in merged:
        path = normalise_old_path(f"/tag/{slug}/")
        if path not in taken and slug != tag.slug:
            taken.add(path)
            redirects.append(Redirect(old_path=path, tag=tag))
    return redirects
