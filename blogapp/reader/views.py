"""Reader pages: home, articles, categories, tags, authors and the site's own pages."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from ..content.pages import find_visible_page
from ..content.redirects import redirect_target
from ..content.settings import disclaimer
from ..search import highlight_html
from . import article_lists, article_page, listings, popularity
from .queries import topic_counts
from .sidebar import sidebar
from .structured_data import article_structured_data

bp = Blueprint("reader", __name__)


def _page() -> int:
    """Read ?page=; anything that is not a whole number means the first page."""
    return request.args.get("page", 1, type=int)


def _per_page() -> int:
    return current_app.config["ARTICLES_PER_PAGE"]


@bp.get("/")
def index():
    """List the newest published articles (or follow an old WordPress `/?p=ID` link)."""
    for key in ("p", "page_id"):  # WordPress's own addresses of a post or a page
        if request.args.get(key):
            return _follow_old_address("/", f"{key}={request.args[key]}")
    pagination = listings.listing("home", _page(), _per_page())
    return render_template("reader/index.html", pagination=pagination, sidebar=sidebar(with_recent=False))


@bp.get("/articles/<slug>/")
def article(slug: str):
    """Show one published article with its sidebar and related links."""
    item = article_page.find_visible(slug)
    if item is None:
        return _follow_old_address(f"/articles/{slug}/")
    popularity.count_view(item.id)
    terms = request.args.get("hl", "")
    related = article_lists.related(item)
    return render_template(
        "reader/article.html",
        article=item,
        body=highlight_html(item.body_html, terms) if terms else Markup(item.body_html),
        recent=article_lists.recent(item),
        more=article_lists.more_in_category(item, related),
        related=related,
        structured_data=article_structured_data(item),
        disclaimer=disclaimer(),
    )


@bp.get("/categories/")
def categories():
    """List every category with its article count."""
    return render_template("reader/categories.html", categories=topic_counts())


@bp.get("/category/<slug>/")
def category(slug: str):
    """List the published articles of one category."""
    item = listings.find_heading("category", slug)
    if item is None:
        return _follow_old_address(f"/category/{slug}/")
    pagination = listings.listing("category", _page(), _per_page(), item.id)
    return render_template("reader/category.html", category=item, pagination=pagination, sidebar=sidebar())


@bp.get("/tag/<slug>/")
def tag(slug: str):
    """List the published articles with one tag."""
    item = listings.find_heading("tag", slug)
    if item is None:
        return _follow_old_address(f"/tag/{slug}/")
    pagination = listings.listing("tag", _page(), _per_page(), item.id)
    return render_template("reader/tag.html", tag=item, pagination=pagination, sidebar=sidebar())


@bp.get("/author/<slug>/")
def author(slug: str):
    """Show an author's bio and published articles."""
    item = listings.find_heading("author", slug)
    if item is None:
        abort(404)
    pagination = listings.listing("author", _page(), _per_page(), item.id)
    return render_template("reader/author.html", author=item, pagination=pagination, sidebar=sidebar())


# Without its slash, /about answers as /about/ would (no 308 first): an old address leads on in one redirect.
@bp.get("/<slug>/", strict_slashes=False)
def page(slug: str):
    """Show a published page (About, Editorial policy…) at its short address, else what the address led to before."""
    item = find_visible_page(slug)
    if item is None:
        return _follow_old_address(f"/{slug}/")
    if not request.path.endswith("/"):
        return redirect(url_for("reader.page", slug=item.slug), code=301)
    return render_template("reader/page.html", page=item)


@bp.get("/<path:old_path>")
def old_address(old_path: str):
    """Send an address the site had before (e.g. a WordPress permalink) to where it lives now."""
    return _follow_old_address(old_path)


def _follow_old_address(path: str, query: str = ""):
    target = redirect_target(path, query)
    if target is None:
        abort(404)
    if target.article is not None:
        return redirect(url_for("reader.article", slug=target.article.slug), code=301)
    if target.category is not None:
        return redirect(url_for("reader.category", slug=target.category.slug), code=301)
    if target.page is not None:
        return redirect(url_for("reader.page", slug=target.page.slug), code=301)
    return redirect(url_for("reader.tag", slug=target.tag.slug), code=301)
