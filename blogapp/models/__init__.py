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
    "Tag",
    "Upload",
    "User",
    "article_tags",
    "utcnow",
]
