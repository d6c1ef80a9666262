"""Database models, one module per part of the site; import them from here."""

from .accounts import LoginFailure, Role, User
from .content import (
    LIVE_STATUSES,
    Article,
    ArticleStatus,
    Author,
    Category,
    Redirect,
    SearchLogEntry,
    SearchQueueItem,
    SiteVersion,
    Tag,
    article_tags,
    utcnow,
)
from .newsroom import Revision, Setting, Upload

__all__ = [
    "LIVE_STATUSES",
    "Article",
    "ArticleStatus",
    "Author",
    "Category",
    "LoginFailure",
    "Redirect",
    "Revision",
    "Role",
    "SearchLogEntry",
    "SearchQueueItem",
    "Setting",
    "SiteVersion",
    "Tag",
    "Upload",
    "User",
    "article_tags",
    "utcnow",
]
