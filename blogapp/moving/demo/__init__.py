"""Demo content: categories, authors, articles and the site's pages kept as TOML and Markdown files."""

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ...content.articles import save_article
from ...content.pages import save_page
from ...content.slugs import get_or_create
from ...content.taxonomy import category_named
from ...content.uploads import store_image
from ...extensions import db
from ...models import Article, ArticleStatus, Author, Category, Page, PageStatus, Role, Upload, User, utcnow

DEMO_DIR = Path(__file__).parent


@dataclass
class DemoArticle:
    slug: str
    meta: dict
    body: str


def read_article(path: Path) -> DemoArticle:
    """Read a Markdown file that starts with TOML front matter between +++ lines."""
    _, front, body = path.read_text(encoding="utf-8").split("+++\n", 2)
    return DemoArticle(slug=path.stem, meta=tomllib.loads(front), body=body.strip() + "\n")


def demo_articles(folder: str = "articles") -> list[DemoArticle]:
    """Return every demo article (or page, from "pages"), in file name order."""
    return [read_article(path) for path in sorted((DEMO_DIR / folder).glob("*.md"))]


def _load_pages(now: datetime) -> None:
    """Add the demo pages (About, Editorial policy…) not there yet, published, in the footer (About in the header)."""
    existing = set(db.session.scalars(select(Page.slug)))
    for item in demo_articles("pages"):
        if item.slug not in existing:
            fields = {"status": PageStatus.PUBLISHED, "in_footer": True, "menu_order": item.meta["menu_order"]}
            fields["in_header"] = item.meta.get("in_header", False)
            page = Page(created_at=now)
            save_page(page, title=item.meta["title"], slug=item.slug, body=item.body, updated_at=now, **fields)


def _upsert_named(model, path: Path, *extra_fields: str) -> dict[str, object]:
    """Create the rows of a TOML table keyed by slug that do not exist yet; return them by slug."""
    rows = tomllib.loads(path.read_text(encoding="utf-8")).items()
    return {
        # A category is unique by name too: one of that name made by another slug (the synthetic seeder) is used.
        slug: (model is Category and _category_by_slug_or_name(slug, values["name"]))
        or get_or_create(model, slug, name=values["name"], **{key: values.get(key, "") for key in extra_fields})[0]
        for slug, values in rows
    }


def _category_by_slug_or_name(slug: str, name: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug)) or category_named(name)


def load_demo(now: datetime | None = None) -> int:
    """Add the demo content that is not there yet (matched by slug); return how many articles were added."""
    now = now or utcnow()
    _load_pages(now.replace(microsecond=0))
    categories = _upsert_named(Category, DEMO_DIR / "categories.toml", "description")
    known_authors = set(db.session.scalars(select(Author.slug)))
    authors = _upsert_named(Author, DEMO_DIR / "authors.toml", "bio", "credentials")
    _give_photos({slug: author for slug, author in authors.items() if slug not in known_authors})
    existing = set(db.session.scalars(select(Article.slug)))
    added = 0
    for item in demo_articles():
        if item.slug in existing:
            continue
        meta = item.meta
        published_at = (now - timedelta(hours=meta["published_hours_ago"])).replace(microsecond=0)
        article = save_article(
            Article(created_at=published_at),
            title=meta["title"],
            slug=item.slug,
            summary=meta["summary"],
            body=item.body,
            category=categories[meta["category"]],
            author=authors[meta["author"]],
            tags=meta.get("tags", []),
            status=ArticleStatus(meta.get("status", "published")),
            published_at=published_at,
            updated_at=published_at,
            references=meta.get("references", []),
        )
        if "reviewed_by" in meta:
            article.reviewer = _reviewer(authors[meta["reviewed_by"]])
            article.reviewed_at = (now - timedelta(hours=meta["reviewed_hours_ago"])).replace(microsecond=0)
        if "image" in meta:
            article.featured_image = _store_artwork(meta["image"], meta["image_alt"])
        added += 1
    return added


def _store_artwork(filename: str, alt: str) -> Upload:
    """Store one of the demo's images (the team's artwork, drawn by bench/demo_artwork.py) as an upload."""
    path = DEMO_DIR / "images" / filename
    with path.open("rb") as handle:
        return store_image(FileStorage(stream=handle, filename=path.name), None, alt=alt)


def _give_photos(authors: dict[str, Author]) -> None:
    """Give the demo authors added now their photos (the team's artwork, drawn by bench/demo_portraits.py)."""
    rows = tomllib.loads((DEMO_DIR / "authors.toml").read_text(encoding="utf-8"))
    for slug, author in authors.items():
        if "photo" in rows[slug]:
            author.photo = _store_artwork(rows[slug]["photo"], f"Portrait illustration of {author.name}")


def _reviewer(author: Author) -> User:
    """Return the demo account behind a reviewing author: inactive, so nobody can sign in with it."""
    user = db.session.scalar(select(User).where(User.author_id == author.id)) if author.id else None
    if user is None:
        pending = (obj for obj in db.session.new if isinstance(obj, User) and obj.author is author)
        user = next(pending, None) or User(
            email=f"{author.slug}@demo.invalid", role=Role.REVIEWER, active=False, author=author
        )
        db.session.add(user)
    return user
