"""WordPress pages (wp:post_type page) become the site's pages, with their old addresses leading to them."""

from itertools import chain, count
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from ...content.pages import page_path, save_page, slug_clash
from ...content.redirects import normalise_old_path
from ...content.slugs import slugify
from ...extensions import db
from ...models import Page, PageStatus, Redirect
from .html import convert_content

# Published pages are published; drafts, pending, scheduled and private ones wait as drafts. Trash is skipped.
PAGE_STATUSES = {"publish": PageStatus.PUBLISHED, **dict.fromkeys(("draft", "pending", "future", "private"), "draft")}


def import_page(mapper, data: dict[str, str], title: str, post_id: str) -> None:
    """Add one WordPress page (not in the footer: an editor picks those) and its old addresses; or say why not."""
    report = mapper.report
    id_path = normalise_old_path("/", f"page_id={post_id}")
    if id_path in mapper.paths or db.session.scalar(select(Redirect.id).where(Redirect.old_path == id_path)):
        return report.skipped.append((title, "already imported"))
    wp_status = data.get("wp:status", "draft")
    if wp_status not in PAGE_STATUSES:
        return report.skipped.append((title, f"page with status {wp_status!r}"))
    mapper.counters["private_pages_as_draft"] += wp_status == "private"
    slug = _free_slug(mapper, slugify(unquote(data.get("wp:post_name", ""))) or slugify(title) or f"page-{post_id}")
    order = data.get("wp:menu_order", "0")
    page = Page()
    if not mapper.dry_run:
        save_page(
            page,
            title=title[: Page.title.type.length],
            slug=slug,
            body=convert_content(data.get("content:encoded", ""), mapper.counters),
            status=PageStatus(PAGE_STATUSES[wp_status]),
            in_footer=False,
            menu_order=max(-1000, min(1000, int(order))) if order.lstrip("-").isdigit() and len(order) < 9 else 0,
        )
    mapper.paths.add(page_path(slug))  # so no post's old address is kept where the page now lives
    link = urlsplit(data.get(":link", ""))
    for path, query in (("/", f"page_id={post_id}"), (link.path, link.query)):
        _redirect(mapper, page, path, query if query.startswith("page_id=") else "")
    report.pages += 1


def _free_slug(mapper, base: str) -> str:
    """Return `base` or the first `base-N` that no page, route or old address (stored or in this import) holds."""
    base = base[:180]
    candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    slug = next(s for s in candidates if s not in mapper.page_slugs and not _taken(mapper, s))
    mapper.page_slugs.add(slug)
    return slug


def _taken(mapper, slug: str) -> bool:
    return page_path(slug) in mapper.paths or slug_clash(slug) is not None


def _redirect(mapper, page: Page, path: str, query: str) -> None:
    old_path = normalise_old_path(path, query)
    too_long = len(old_path) > Redirect.old_path.type.length
    if too_long or old_path == page_path(page.slug) or old_path == "/" or old_path in mapper.paths:
        mapper.counters["old_addresses_too_long_to_keep"] += too_long
        return
    if db.session.scalar(select(Redirect.id).where(Redirect.old_path == old_path)):
        return
    mapper.paths.add(old_path)
    if not mapper.dry_run:
        db.session.add(Redirect(old_path=old_path, page=page))
