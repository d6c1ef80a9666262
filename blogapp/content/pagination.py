"""Long lists a page at a time: the one page type, and the one check of a page number."""

import math
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from ..extensions import db

# No listing has this many pages; a larger ?page= would overflow the database's integers as an offset.
MAX_PAGE = 1_000_000


def page_count(total: int, per_page: int) -> int:
    """Return how many pages `total` items fill (0 when there are none)."""
    return math.ceil(total / per_page)


def check_page(page: int, pages: int | None = None) -> None:
    """Answer 404 for a page number before the first, or after the last of `pages` (when known)."""
    if not 1 <= page <= MAX_PAGE or (pages is not None and page > max(pages, 1)):
        abort(404)


class Pages:
    """What page links need, worked out from the `page`, `per_page` and `total` of the class it is mixed into."""

    @property
    def pages(self) -> int:
        """Return the number of pages (0 when the list is empty)."""
        return page_count(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.page > 1

    @property
    def prev_num(self) -> int:
        """Return the number of the page before."""
        return self.page - 1

    @property
    def has_next(self) -> bool:
        """Tell whether a page comes after this one."""
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        """Return the number of the page after."""
        return self.page + 1


@dataclass(frozen=True)
class Page(Pages):
    """One page of a list, with what its page links need."""

    items: list[Any]
    page: int
    per_page: int
    total: int


def paginate(stmt: Select, page: int, per_page: int) -> Page:
    """Return a page of the entities `stmt` selects, or 404 for pages before the first or after the last."""
    check_page(page)
    counted = stmt.options(lazyload("*")).order_by(None).subquery()  # eager loads add nothing to a count
    total = db.session.scalar(select(func.count()).select_from(counted))
    check_page(page, page_count(total, per_page))
    # The page's ids first (from an index alone, however deep the page), then those entities: skipping whole
    # rows cost 0.9 s for page 4,000 of the newsroom's 100,000 articles.
    entity = stmt.column_descriptions[0]["entity"]
    ids = list(db.session.scalars(stmt.with_only_columns(entity.id).limit(per_page).offset((page - 1) * per_page)))
    found = {item.id: item for item in db.session.execute(stmt.where(entity.id.in_(ids))).unique().scalars()}
    return Page([found[item_id] for item_id in ids], page, per_page, total)
