"""The page types the accessibility and HTML validity checks visit on the demo site, one of each."""

from dataclasses import dataclass

from blogapp.extensions import db
from blogapp.models import Article

DEMO_ARTICLE = "acupuncture-for-migraine-prevention"


@dataclass(frozen=True)
class SitePage:
    """A page to check: its path (`{article_id}` is the demo article's id) and who must be signed in."""

    path: str
    role: str | None = None


PAGES = {
    "home": SitePage("/"),
    "article": SitePage(f"/articles/{DEMO_ARTICLE}/"),
    "category": SitePage("/category/complementary-medicine/"),
    "tag": SitePage("/tag/migraine/"),
    "author": SitePage("/author/daniel-reyes/"),
    "search": SitePage("/search?q=migraine"),
    "search-no-results": SitePage("/search?q=zebrafinch"),
    "search-safety-panel": SitePage("/search?q=overdose"),
    "site-page": SitePage("/editorial-policy/"),
    "not-found": SitePage("/no-such-page/"),
    "login": SitePage("/login"),
    "editor-new": SitePage("/admin/articles/new", "admin"),
    "editor-edit": SitePage("/admin/articles/{article_id}/edit", "admin"),
    "dashboard": SitePage("/admin/", "admin"),
    "users": SitePage("/admin/users/", "admin"),
    "account": SitePage("/admin/account", "admin"),
    "two-factor-set-up": SitePage("/admin/account/two-factor", "admin"),
    "password-reset-request": SitePage("/reset-password"),
    "audit-log": SitePage("/admin/audit/", "admin"),
    "pages-admin": SitePage("/admin/pages/", "admin"),
    "settings": SitePage("/admin/settings", "admin"),
    "page-editor-new": SitePage("/admin/pages/new", "admin"),
    "search-synonyms": SitePage("/admin/search/vocabulary", "admin"),
}


def page_path(app, page: SitePage) -> str:
    """Return the page's path with the demo article's id filled in."""
    if "{article_id}" not in page.path:
        return page.path
    with app.app_context():
        article_id = db.session.execute(db.select(Article.id).filter_by(slug=DEMO_ARTICLE)).scalar_one()
    return page.path.format(article_id=article_id)
