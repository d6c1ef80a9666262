"""Database models, one module per part of the site; import them from here."""

from .accounts import LoginFailure, RecoveryCode, Role, User, normalise_email
from .audit import AuditEvent
from .content import LIVE_STATUSES, Article, ArticleStatus, Author, Category, Redirect, Tag, article_tags, utcnow
from .newsroom import Revision, Setting, Upload
from .pages import Page, PageRevision, PageStatus
from .search import BestBet, BestBetArticle, RelatedList, SearchChange, SearchClick, SearchLogEntry, SearchNode
from .site import SiteVersion

# The largest id an INTEGER primary key holds (PostgreSQL's limit, below SQLite's); a larger one is never found.
MAX_ID = 2**31 - 1

__all__ = [
    "LIVE_STATUSES",
    "MAX_ID",
    "Article",
    "ArticleStatus",
    "AuditEvent",
    "Author",
    "BestBet",
    "BestBetArticle",
    "Category",
    "LoginFailure",
    "Page",
    "PageRevision",
    "PageStatus",
    "RecoveryCode",
    "Redirect",
    "RelatedList",
    "Revision",
    "Role",
    "SearchChange",
    "SearchClick",
    "SearchLogEntry",
    "SearchNode",
    "Setting",
    "SiteVersion",
    "Tag",
    "Upload",
    "User",
    "article_tags",
    "normalise_email",
    "utcnow",
]
