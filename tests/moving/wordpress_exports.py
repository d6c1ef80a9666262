"""The shared WordPress exports (WXR) the import tests use, and what they read back: counts, articles."""

from pathlib import Path

import pytest

from blogapp.extensions import db
from blogapp.models import Article, Author, Category, Page, Redirect, Tag, User
from blogapp.moving.commands import wxr_command

# shared/ sits beside the checkout, or beside the folder of worktrees that holds it.
_CANDIDATES = [folder / "shared" / "data" / "wxr" for folder in Path(__file__).resolve().parents[3:5]]
WXR = next((path for path in _CANDIDATES if path.is_dir()), _CANDIDATES[0])
WPI = WXR / "wordpress-importer"
needs_shared_exports = pytest.mark.skipif(not WXR.is_dir(), reason=f"shared WXR fixtures not found at {WXR}")


def counts() -> dict[str, int]:
    """Return how many rows each table an import writes holds."""
    return {
        model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
        for model in (Article, Category, Author, Page, Redirect, Tag, User)
    }


def run(runner, path, *args):
    """Run the WordPress import command on the export at `path`."""
    return runner.invoke(wxr_command, [str(path), *args])


def article(slug: str) -> Article:
    """Return the article with this slug, or None."""
    return db.session.scalar(db.select(Article).where(Article.slug == slug))
