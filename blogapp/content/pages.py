"""Pages: saving one, where readers find it, which addresses it may not take, and the menus' links."""

from itertools import chain, count
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Page, PageStatus, Redirect, Setting, User, utcnow
from . import page_revisions
from .markup import render_markdown
from .redirects import normalise_old_path
from .settings import get_setting
from .version import remember

# Never a page's slug even if no route uses it today: addresses readers and crawlers expect to mean one thing.
ALWAYS_RESERVED = frozenset({"admin", "api", "feed", "feeds", "login", "logout", "page", "pages", "wp-admin"})


def page_path(slug: str) -> str:
    """Return the address of the page with this slug, as old addresses are stored."""
    return normalise_old_path(f"/{slug}/")


def reserved_slugs() -> frozenset[str]:
    """Return the first segments of every route (articles, category, search, admin…): no page may take one."""
    segments = {rule.rule.split("/")[1] for rule in current_app.url_map.iter_rules()}
    return ALWAYS_RESERVED | {segment for segment in segments if segment and "<" not in segment}


def slug_clash(slug: str, page_id: int | None = None) -> str | None:
    """Say why a page may not have this slug (a route's, another page's, an old address of something else)."""
    if slug in reserved_slugs():
        return f"“{slug}” is part of the site's own addresses (/{slug}/…); choose another slug."
    if db.session.scalar(select(Page.id).where(Page.slug == slug, Page.id != (page_id or 0))):
        return "Another page already has this slug."
    old = db.session.scalar(select(Redirect).where(Redirect.old_path == page_path(slug)))
    if old is not None and (page_id is None or old.page_id != page_id):  # its own old address it may take back
        return f"/{slug}/ is an old address that readers are sent on from; choose another slug."
    return None


def free_slug(base: str, page_id: int | None = None) -> str:
    """Return `base`, or `base-2`, `base-3`…: the first one no route, page or old address holds."""
    base = base[:180] or "page"
    family = or_(Page.slug == base, Page.slug.startswith(f"{base}-", autoescape=True))
    taken = set(db.session.scalars(select(Page.slug).where(family, Page.id != (page_id or 0))))
    candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    return next(slug for slug in candidates if slug not in taken and slug_clash(slug, page_id) is None)


def save_page(
    page: Page,
    *,
    title: str,
    slug: str,
    body: str,
    status: PageStatus,
    in_footer: bool,
    menu_order: int,
    in_header: bool = False,
    updated_at=None,
    editor: User | None = None,
    record_revision: bool = True,
) -> Page:
    """Apply an edit to a page (new or existing), kept as a revision; a published page's old address keeps working.

    The caller commits. `record_revision` is off when an archive brings the page's own history along.
    """
    if page.id is not None and page.slug != slug and page.is_visible:
        _keep_old_address(page, slug)
    page.title = title.strip()
    page.slug = slug
    page.body = body
    page.body_html = render_markdown(body).html
    page.status = status
    page.in_footer = in_footer
    page.in_header = in_header
    page.menu_order = menu_order
    page.updated_at = updated_at or utcnow()
    db.session.add(page)
    if record_revision:
        page_revisions.record(page, editor)
    return page


def _keep_old_address(page: Page, new_slug: str) -> None:
    db.session.execute(db.delete(Redirect).where(Redirect.old_path.in_([page_path(page.slug), page_path(new_slug)])))
    db.session.add(Redirect(old_path=page_path(page.slug), page=page))


def set_status(page: Page, status: PageStatus, editor: User | None = None) -> None:
    """Publish or unpublish a page, kept as a revision; the caller commits."""
    page.status, page.updated_at = status, utcnow()
    page_revisions.record(page, editor)


def trash_page(page: Page) -> None:
    """Move a page out of readers' sight, restorable; the caller commits."""
    page.deleted_at = page.updated_at = utcnow()


def restore_page(page: Page) -> None:
    """Take a page out of the trash with the status it had; the caller commits."""
    page.deleted_at, page.updated_at = None, utcnow()


def find_visible_page(slug: str) -> Page | None:
    """Return the published page at /<slug>/, or None."""
    return db.session.scalar(select(Page).where(Page.slug == slug, *visible_conditions()))


def visible_slugs(page_ids: list[int]) -> dict[int, str]:
    """Return the slugs of the published pages among `page_ids` (search hits), by id; no statement for none."""
    if not page_ids:
        return {}
    stmt = select(Page.id, Page.slug).where(Page.id.in_(page_ids), *visible_conditions())
    return {page_id: slug for page_id, slug in db.session.execute(stmt)}


def visible_conditions() -> tuple:
    """Return the conditions of a page readers may see: the one rule the reader, sitemap and menus follow."""
    return Page.status == str(PageStatus.PUBLISHED), Page.deleted_at.is_(None)


class MenuLinks(NamedTuple):
    """(slug, title) of the published pages in each menu, in menu order."""

    header: list[tuple[str, str]]
    footer: list[tuple[str, str]]


def menu_links() -> MenuLinks:
    """Return the header and footer menus' page links, read in one statement once per content version."""
    return remember("pages:menus", _menu_links)


def footer_links() -> list[tuple[str, str]]:
    """Return (slug, title) of the published pages in the footer, in menu order."""
    return menu_links().footer


def _menu_links() -> MenuLinks:
    stmt = select(Page.slug, Page.title, Page.in_header, Page.in_footer).where(
        *visible_conditions(), or_(Page.in_header.is_(True), Page.in_footer.is_(True))
    )
    rows = db.session.execute(stmt.order_by(Page.menu_order, Page.id)).all()
    return MenuLinks(
        header=[(row.slug, row.title) for row in rows if row.in_header],
        footer=[(row.slug, row.title) for row in rows if row.in_footer],
    )


DEFAULT_POLICY_PAGE = "editorial-policy"


def policy_slug() -> str:
    """Return the slug of the page linked under every article's disclaimer ("" for none)."""
    return get_setting("policy_page", DEFAULT_POLICY_PAGE)


def policy_link() -> tuple[str, str] | None:
    """Return (slug, title) of the published page linked under the disclaimer, read once per content version."""
    return remember("pages:policy", _policy_link)


def _policy_link() -> tuple[str, str] | None:
    # One statement: the chosen slug (the default while never set) and its page, if published.
    chosen = func.coalesce(
        select(Setting.value).where(Setting.key == "policy_page").scalar_subquery(), DEFAULT_POLICY_PAGE
    )
    row = db.session.execute(select(Page.slug, Page.title).where(Page.slug == chosen, *visible_conditions())).first()
    return tuple(row) if row else None


def published_choices() -> list[tuple[str, str]]:
    """Return (slug, title) of every published page, by title, for choosing one in the settings."""
    stmt = select(Page.slug, Page.title).where(*visible_conditions()).order_by(Page.title)
    return [tuple(row) for row in db.session.execute(stmt)]
