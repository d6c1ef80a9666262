"""Import a WordPress export (WXR 1.0–1.2): authors, categories, tags, posts and their old addresses."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

import click
from flask.cli import with_appcontext
from lxml import etree
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .articles import normalise_old_path, save_article
from .extensions import db
from .markup import html_to_text, slugify
from .models import Article, ArticleStatus, Author, Category, Redirect, utcnow
from .wordpress_html import convert_content

WP_NS = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
STATUSES = {"publish": ArticleStatus.PUBLISHED, "future": ArticleStatus.SCHEDULED}
FLUSH_EVERY = 1000
DRAFT_STATUSES = {"draft", "pending", "private", "auto-draft"}


class WxrError(Exception):
    """The file is not a WordPress export this importer can read; nothing should be kept."""


@dataclass
class WxrReport:
    imported: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counters: Counter = field(default_factory=Counter)


def _name(tag: object) -> tuple[str, str]:
    """Split an lxml tag into (kind, local name), kind being wp, excerpt, content, dc or ''."""
    if not isinstance(tag, str):
        return "", ""
    uri, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    if uri.startswith(WP_NS):
        return ("excerpt" if uri.rstrip("/").endswith("/excerpt") else "wp"), local
    return {CONTENT_NS: "content", DC_NS: "dc"}.get(uri, "other" if uri else ""), local


def _fields(element: etree._Element) -> dict[str, str]:
    return {":".join(_name(child.tag)): (child.text or "").strip() for child in element}


def _date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


class _Importer:
    def __init__(self, report: WxrReport, dry_run: bool) -> None:
        self.report, self.dry_run = report, dry_run
        self.counters = report.counters
        self.authors: dict[str, Author] = {}
        self.categories: dict[str, Category] = {}
        self.slugs: set[str] = set()
        self.suffixes: dict[str, int] = {}
        self.paths: set[str] = set()

    def _add(self, obj: object) -> None:
        if not self.dry_run:
            db.session.add(obj)

    def _named(self, model, cache: dict, slug: str, counter: str, **fields):
        """Return the row with this slug (cached, from the database, or new and counted)."""
        if slug not in cache:
            found = db.session.scalar(select(model).where(model.slug == slug))
            if found is None:
                found = model(slug=slug, **fields)
                self._add(found)
                self.counters[counter] += 1
            cache[slug] = found
        return cache[slug]

    def author(self, login: str, name: str = "") -> Author:
        slug = slugify(login) or slugify(name) or "unknown-author"
        return self._named(
            Author, self.authors, slug, "authors_created", name=name or login or "Unknown author", bio=""
        )

    def category(self, nicename: str, name: str, parent: str = "") -> Category:
        slug = slugify(unquote(nicename)) or slugify(name) or "uncategorized"
        if parent and slug not in self.categories:
            self.counters["categories_flattened"] += 1
        fields = {"name": name or nicename or "Uncategorized", "description": ""}
        return self._named(Category, self.categories, slug, "categories_created", **fields)

    def channel_element(self, kind_name: tuple[str, str], element: etree._Element) -> None:
        data = _fields(element)
        if kind_name == ("wp", "author"):
            first_last = f"{data.get('wp:author_first_name', '')} {data.get('wp:author_last_name', '')}".strip()
            login = data.get("wp:author_login", "")
            self.author(login, data.get("wp:author_display_name") or first_last or login)
        elif kind_name == ("wp", "category"):
            self.category(
                data.get("wp:category_nicename", ""), data.get("wp:cat_name", ""), data.get("wp:category_parent", "")
            )

    def item(self, element: etree._Element) -> None:
        data = _fields(element)
        title = data.get(":title") or "(untitled)"
        post_id, post_type = data.get("wp:post_id", ""), data.get("wp:post_type", "post")
        wp_status = data.get("wp:status", "draft")
        if post_type != "post":
            return self.report.skipped.append((title, f"{post_type or 'unknown type'}, not a post"))
        if not post_id.isdigit():
            return self.report.skipped.append((title, "no wp:post_id"))
        id_path = normalise_old_path("/", f"p={post_id}")
        if db.session.scalar(select(Redirect.id).where(Redirect.old_path == id_path)) or id_path in self.paths:
            return self.report.skipped.append((title, "already imported"))
        if wp_status not in STATUSES and wp_status not in DRAFT_STATUSES:
            return self.report.skipped.append((title, f"status {wp_status!r}"))
        status = STATUSES.get(wp_status, ArticleStatus.DRAFT)
        self.counters["private_as_draft"] += wp_status == "private"
        published_at = _date(data.get("wp:post_date_gmt", ""))
        if published_at is None and (published_at := _date(data.get("wp:post_date", ""))):
            self.counters["dates_assumed_utc"] += 1
        if published_at is None and status != ArticleStatus.DRAFT:
            published_at = utcnow()
            self.counters["dates_missing"] += 1
        terms = [(c.get("domain", ""), c.get("nicename", ""), (c.text or "").strip()) for c in element]
        categories = [(nice, name) for domain, nice, name in terms if domain == "category"]
        tags = [name for domain, _, name in terms if domain in ("post_tag", "tag") and name]
        body = convert_content(data.get("content:encoded", ""), self.counters)
        summary = " ".join(html_to_text(data.get("excerpt:encoded", "")).split())
        slug = self._unique_slug(slugify(unquote(data.get("wp:post_name", ""))) or slugify(title) or f"post-{post_id}")
        article = Article()
        if not self.dry_run:
            save_article(
                article,
                title=title,
                slug=slug,
                body=body,
                summary=summary[:300],
                category=self.category(*categories[0]) if categories else self.category("uncategorized", ""),
                author=self.author(data.get("dc:creator", "")),
                tags=tags,
                status=status,
                published_at=published_at,
                updated_at=published_at,
            )
        link = urlsplit(data.get(":link", ""))
        for path, query in (("/", f"p={post_id}"), (link.path, link.query), (f"/{slug}/", "")):
            self._redirect(article, path, query if query.startswith("p=") else "")
        self.report.imported += 1

    def _unique_slug(self, base: str) -> str:
        slug, number = base, self.suffixes.get(base, 2)
        while slug in self.slugs or db.session.scalar(select(Article.id).where(Article.slug == slug)):
            slug, number = f"{base}-{number}", number + 1
        self.suffixes[base] = number  # so many posts sharing a name do not rescan every taken suffix
        self.slugs.add(slug)
        return slug

    def _redirect(self, article: Article, path: str, query: str) -> None:
        old_path = normalise_old_path(path, query)
        if old_path in self.paths or db.session.scalar(select(Redirect.id).where(Redirect.old_path == old_path)):
            return
        self.paths.add(old_path)
        self._add(Redirect(old_path=old_path, article=article))


def import_wxr(path: str, dry_run: bool = False, progress: Callable[[int], object] | None = None) -> WxrReport:
    """Add a WXR file's authors, categories and posts to the session (the caller commits or rolls back)."""
    report = WxrReport()
    importer = _Importer(report, dry_run)
    version: str | None = None
    events = etree.iterparse(
        path, events=("end",), resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        for _, element in events:
            root = element.getroottree().getroot()
            if root.tag != "rss":
                raise WxrError(f"not a WordPress export: the root element is <{root.tag}>, not <rss>")
            kind_name = _name(element.tag)
            parent = element.getparent()
            if kind_name == ("wp", "wxr_version"):
                version = (element.text or "").strip()
                if not re.fullmatch(r"\d+\.\d+", version):
                    raise WxrError(f"invalid WXR version {version!r} (expected a number such as 1.2)")
            if parent is None or _name(parent.tag) != ("", "channel"):
                continue
            if kind_name == ("", "item") or kind_name[0] == "wp":
                if not any(uri.startswith(WP_NS) for uri in root.nsmap.values()):
                    raise WxrError("this is an RSS feed, not a WordPress export (no WordPress namespace)")
                if version is None:
                    raise WxrError("not a WordPress export: wp:wxr_version is missing before the content")
                if kind_name == ("", "item"):
                    # Flushing per post would re-queue every article of a touched category for the index.
                    with db.session.no_autoflush:
                        importer.item(element)
                    if not dry_run and report.imported % FLUSH_EVERY == 0:
                        db.session.flush()
                    if progress:
                        progress(1)
                else:
                    importer.channel_element(kind_name, element)
            # Free what was read so a large export uses bounded memory.
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise WxrError(f"not well-formed XML (line {exc.lineno}): {exc.msg}") from exc
    if version is None:
        raise WxrError("not a WordPress export: no wp:wxr_version element (is this a WXR file?)")
    return report


@click.command("wxr")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Read and report everything, write nothing.")
@with_appcontext
def wxr_command(file: str, dry_run: bool) -> None:
    """Import posts, categories, tags and authors from a WordPress export (WXR), in one transaction."""
    with open(file, "rb") as handle:
        total = sum(
            chunk.count(b"<item>") + chunk.count(b"<item ") for chunk in iter(lambda: handle.read(1 << 20), b"")
        )
    try:
        with click.progressbar(length=total, label="Importing posts") as bar:
            report = import_wxr(file, dry_run=dry_run, progress=bar.update)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except (WxrError, SQLAlchemyError) as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing imported: {exc}") from exc
    if not dry_run:
        from .search import get_index

        try:
            get_index().drain()
        except Exception as exc:  # the queue keeps the changes for the next drain
            click.echo(f"Search index not updated yet ({exc}); changes stay queued.", err=True)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {report.imported} posts; skipped {len(report.skipped)}.")
    for reason, count in Counter(reason for _, reason in report.skipped).most_common():
        click.echo(f"  skipped ({reason}): {count}")
    for name, count in sorted(report.counters.items()):
        if count:
            click.echo(f"  {name.replace('_', ' ')}: {count}")
