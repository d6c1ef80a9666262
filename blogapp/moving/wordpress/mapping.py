"""What a WordPress export becomes here: authors (with inactive accounts), categories, posts, pages, old addresses."""

from datetime import datetime
from urllib.parse import unquote, urlsplit

from lxml import etree
from sqlalchemy import select

from ...content.articles import save_article
from ...content.markup import html_to_text
from ...content.pages import page_path
from ...content.redirects import normalise_old_path
from ...content.slugs import get_or_create, slugify
from ...content.taxonomy import category_named
from ...extensions import db
from ...models import (
    LIVE_STATUSES,
    Article,
    ArticleStatus,
    Author,
    Category,
    Page,
    Redirect,
    Role,
    User,
    normalise_email,
    utcnow,
)
from .elements import WxrReport, child_texts, element_name, postmeta
from .html import convert_content
from .media import MediaFolder
from .pages import import_page

STATUSES = {"publish": ArticleStatus.PUBLISHED, "future": ArticleStatus.SCHEDULED, "pending": ArticleStatus.REVIEW}
DRAFT_STATUSES = {"draft", "private", "auto-draft"}
# Given to WordPress authors whose export has no usable email; .invalid can never receive mail (RFC 2606).
PLACEHOLDER_EMAIL_DOMAIN = "wordpress.invalid"


def _date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _fit(model, column: str, value: str) -> str:
    """Cut `value` to the column's length: PostgreSQL refuses longer values (SQLite would keep them)."""
    return value[: getattr(model, column).type.length]


def _author_slug(login: str, name: str) -> str:
    return slugify(login) or slugify(name) or "unknown-author"


class WxrMapper:
    """Turn WXR channel elements and items into rows, reusing what an earlier import created."""

    def __init__(self, report: WxrReport, dry_run: bool, media: MediaFolder | None = None) -> None:
        self.report, self.dry_run, self.media = report, dry_run, media
        self.counters = report.counters
        self.authors: dict[str, Author] = {}
        self.user_emails: set[str] = set()
        self.claimed_slugs: set[str] = set()
        self.categories: dict[str, Category] = {}
        self.category_names: dict[str, Category] = {}
        self.slugs: set[str] = set()
        self.suffixes: dict[str, int] = {}
        # Old addresses kept in this import, and where pages live: a post's old address there would be shadowed.
        self.paths: set[str] = {page_path(slug) for slug in db.session.scalars(select(Page.slug))}
        self.page_slugs: set[str] = set()

    def _add(self, obj: object) -> None:
        if not self.dry_run:
            db.session.add(obj)

    def _named(self, model, cache: dict, slug: str, counter: str, **fields):
        """Return the row with this slug (cached, from the database, or new and counted)."""
        if slug not in cache:
            cache[slug], created = get_or_create(model, slug, add=not self.dry_run, **fields)
            self.counters[counter] += created
        return cache[slug]

    def author(self, login: str, name: str = "") -> Author:
        return self._named(
            Author,
            self.authors,
            _author_slug(login, name),
            "authors_created",
            name=_fit(Author, "name", name or login or "Unknown author"),
            bio="",
        )

    def user(self, login: str, email: str, name: str) -> None:
        """Give a WordPress author a profile and an inactive account (no password), once per email."""
        email = normalise_email(email)
        if "@" not in email or len(email) > 254:
            email = f"{slugify(login) or 'unknown-author'}@{PLACEHOLDER_EMAIL_DOMAIN}"
            self.counters["author_emails_made_up"] += 1
        if email in self.user_emails:
            self.author(login, name)
            self.counters["authors_sharing_an_email"] += 1
            return
        self.user_emails.add(email)
        existing = db.session.scalar(select(User).where(User.email == email))
        if existing is not None:
            # Already on the team (or imported before): their posts keep the byline they have.
            self.authors[_author_slug(login, name)] = existing.author
            return
        author = self.author(login, name)
        claimed = author.id is not None and db.session.scalar(select(User.id).where(User.author_id == author.id))
        if claimed or author.slug in self.claimed_slugs:
            self.counters["author_profiles_already_claimed"] += 1
            return
        self.claimed_slugs.add(author.slug)
        self._add(User(email=email, role=Role.AUTHOR, active=False, password_hash="", author=author))
        self.counters["inactive_users_created"] += 1

    def category(self, nicename: str, name: str, parent: str = "") -> Category:
        slug = slugify(unquote(nicename)) or slugify(name) or "uncategorized"
        name = _fit(Category, "name", name or nicename or "Uncategorized")
        if slug not in self.categories:
            self.counters["categories_flattened"] += bool(parent)
            # Names are unique whatever their case: "News" under two parents becomes one category.
            same = self.category_names.get(name.lower()) or category_named(name)
            if same is not None and same.slug != slug:
                self.categories[slug] = same
                self.counters["categories_sharing_a_name_merged"] += 1
        category = self._named(Category, self.categories, slug, "categories_created", name=name, description="")
        self.category_names.setdefault(name.lower(), category)
        return category

    def channel_element(self, kind_name: tuple[str, str], element: etree._Element) -> None:
        data = child_texts(element)
        if kind_name == ("wp", "author"):
            first_last = f"{data.get('wp:author_first_name', '')} {data.get('wp:author_last_name', '')}".strip()
            login = data.get("wp:author_login", "")
            name = data.get("wp:author_display_name") or first_last or login
            self.user(login, data.get("wp:author_email", ""), name)
        elif kind_name == ("wp", "category"):
            self.category(
                data.get("wp:category_nicename", ""), data.get("wp:cat_name", ""), data.get("wp:category_parent", "")
            )

    def item(self, element: etree._Element) -> None:
        data = child_texts(element)
        title = data.get(":title") or "(untitled)"
        post_id, post_type = data.get("wp:post_id", ""), data.get("wp:post_type", "post")
        wp_status = data.get("wp:status", "draft")
        if post_type == "attachment":
            # With a media folder, attachments were stored before the posts that show them were read.
            if self.media is None:
                self.report.skipped.append((title, "attachment, no --media folder given"))
            return None
        if post_type not in ("post", "page"):
            return self.report.skipped.append((title, f"{post_type or 'unknown type'}, not a post or page"))
        if not post_id.isdigit():
            return self.report.skipped.append((title, "no wp:post_id"))
        if post_type == "page":
            return import_page(self, data, title, post_id)
        id_path = normalise_old_path("/", f"p={post_id}")
        if db.session.scalar(select(Redirect.id).where(Redirect.old_path == id_path)) or id_path in self.paths:
            return self.report.skipped.append((title, "already imported"))
        if wp_status not in STATUSES and wp_status not in DRAFT_STATUSES:
            return self.report.skipped.append((title, f"status {wp_status!r}"))
        status = STATUSES.get(wp_status, ArticleStatus.DRAFT)
        self.counters["private_as_draft"] += wp_status == "private"
        self.counters["pending_as_in_review"] += wp_status == "pending"
        published_at = _date(data.get("wp:post_date_gmt", ""))
        if published_at is None and (published_at := _date(data.get("wp:post_date", ""))):
            self.counters["dates_assumed_utc"] += 1
        if published_at is None and status in LIVE_STATUSES:
            published_at = utcnow()
            self.counters["dates_missing"] += 1
        terms = [(c.get("domain", ""), c.get("nicename", ""), (c.text or "").strip()) for c in element]
        categories = [(nice, name) for domain, nice, name in terms if domain == "category"]
        tags = [name for domain, _, name in terms if domain in ("post_tag", "tag") and name]
        self.counters["comments_skipped"] += sum(element_name(c.tag) == ("wp", "comment") for c in element)
        content = data.get("content:encoded", "")
        body = convert_content(self.media.rewrite(content) if self.media else content, self.counters)
        summary = " ".join(html_to_text(data.get("excerpt:encoded", "")).split())
        slug = self._unique_slug(slugify(unquote(data.get("wp:post_name", ""))) or slugify(title) or f"post-{post_id}")
        article = Article()
        if not self.dry_run:
            save_article(
                article,
                title=_fit(Article, "title", title),
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
            self._feature(article, postmeta(element).get("_thumbnail_id", ""))
        link = urlsplit(data.get(":link", ""))
        for path, query in (("/", f"p={post_id}"), (link.path, link.query), (f"/{slug}/", "")):
            self._redirect(article, path, query if query.startswith("p=") else "")
        self.report.imported += 1

    def _feature(self, article: Article, thumbnail_id: str) -> None:
        """Give the article the featured image WordPress had, if its attachment was imported."""
        if thumbnail_id:
            upload = self.media.by_post_id.get(thumbnail_id) if self.media else None
            article.featured_image = upload
            missing = "featured_images_not_found" if self.media else "featured_images_skipped_without_media"
            self.counters["featured_images_set" if upload else missing] += 1

    def _unique_slug(self, base: str) -> str:
        slug, number = base, self.suffixes.get(base, 2)
        while slug in self.slugs or db.session.scalar(select(Article.id).where(Article.slug == slug)):
            slug, number = f"{base}-{number}", number + 1
        self.suffixes[base] = number  # so many posts sharing a name do not rescan every taken suffix
        self.slugs.add(slug)
        return slug

    def _redirect(self, article: Article, path: str, query: str) -> None:
        old_path = normalise_old_path(path, query)
        if len(old_path) > Redirect.old_path.type.length:
            self.counters["old_addresses_too_long_to_keep"] += 1
            return
        if old_path in self.paths or db.session.scalar(select(Redirect.id).where(Redirect.old_path == old_path)):
            return
        self.paths.add(old_path)
        self._add(Redirect(old_path=old_path, article=article))
