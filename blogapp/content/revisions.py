"""Article revisions: what a save recorded, differences between two, and the values to restore one."""

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from diff_match_patch import diff_match_patch
from sqlalchemy import func, select

from ..extensions import db
from ..models import Article, Revision
from .references import format_references

MAX_COMPARED_LINES = 20_000  # an article rarely has 2,000; a revision may hold 500,000 (MAX_FORM_MEMORY_SIZE)
MAX_SHOWN_LINES = 5_000
DIFF_SECONDS = 0.1  # diff-match-patch's deadline for refining a diff; past it the diff is coarser, not slower
# How far each kind of change moves along the old and the new lines.
_STEPS = {
    diff_match_patch.DIFF_EQUAL: (1, 1),
    diff_match_patch.DIFF_DELETE: (1, 0),
    diff_match_patch.DIFF_INSERT: (0, 1),
}


def snapshot(article: Article) -> dict[str, Any]:
    """Return the revision columns that record `article` as it is now."""
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "fields": {
            "slug": article.slug,
            "status": str(article.status),
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "category_id": article.category.id if article.category else article.category_id,
            "category": article.category.name if article.category else "",
            "author_id": article.author.id if article.author else article.author_id,
            "author": article.author.name if article.author else "",
            "tags": [tag.name for tag in article.tags],
            "references": list(article.references or []),
        },
    }


def latest_revision_id(article_id: int) -> int:
    """Return the id of the article's newest revision, or 0 when it has none."""
    return db.session.scalar(select(func.max(Revision.id)).where(Revision.article_id == article_id)) or 0


def list_revisions(article_id: int) -> list[Revision]:
    """Return the article's revisions, newest first."""
    stmt = select(Revision).where(Revision.article_id == article_id).order_by(Revision.id.desc())
    return list(db.session.scalars(stmt))


def get_revision(article_id: int, revision_id: int) -> Revision:
    """Return one revision of the article, or 404."""
    stmt = select(Revision).where(Revision.article_id == article_id, Revision.id == revision_id)
    return db.first_or_404(stmt)


def as_text(revision: Revision) -> list[str]:
    """Return the revision as the lines a writer compares: fields first, then the body."""
    fields = revision.fields
    lines = [
        f"Title: {revision.title}",
        f"Slug: {fields.get('slug', '')}",
        f"Status: {fields.get('status', '')}",
        f"Publish time: {fields.get('published_at') or ''}",
        f"Category: {fields.get('category', '')}",
        f"Author: {fields.get('author', '')}",
        f"Tags: {', '.join(fields.get('tags', []))}",
        f"Summary: {revision.summary}",
    ]
    lines += [f"Reference: {line}" for line in format_references(fields.get("references", [])).splitlines()]
    return [*lines, "", *revision.body.splitlines()]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap" or "cut" (a note of what is not shown)
    text: str


def diff(old: list[str], new: list[str], context: int = 3) -> list[DiffLine]:
    """Return a line diff of `old` and `new` with `context` unchanged lines around each change, within bounds.

    The first MAX_COMPARED_LINES of each are compared and at most MAX_SHOWN_LINES shown, so that a page of
    half a million one-letter lines costs a fraction of a second; a "cut" line says what was left out.
    """
    matcher = _LineMatcher(old[:MAX_COMPARED_LINES], new[:MAX_COMPARED_LINES])
    lines = list(islice(_lines(matcher.get_grouped_opcodes(context), old, new), MAX_SHOWN_LINES + 1))
    if len(lines) > MAX_SHOWN_LINES:
        note = f"Only the first {MAX_SHOWN_LINES:,} lines of the difference are shown."
        lines[MAX_SHOWN_LINES:] = [DiffLine("cut", note)]
    if max(len(old), len(new)) > MAX_COMPARED_LINES:
        lines.append(DiffLine("cut", f"Only the first {MAX_COMPARED_LINES:,} lines of each revision are compared."))
    return lines


def _lines(groups, old: list[str], new: list[str]) -> Iterator[DiffLine]:
    """Yield the lines of grouped opcodes: each group's unchanged, removed and added lines, a gap between groups."""
    for number, group in enumerate(groups):
        if number:
            yield DiffLine("gap", "…")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (DiffLine("same", text) for text in old[i1:i2])
                continue
            yield from (DiffLine("removed", text) for text in old[i1:i2])
            yield from (DiffLine("added", text) for text in new[j1:j2])


class _LineMatcher(difflib.SequenceMatcher):
    """difflib's grouping of changes with context, over a line diff found in bounded time.

    difflib's own matching is quadratic in the lines of a rewritten article: 49 s for 4,200 lines, most of them
    blank (bench/revision_diff.py). diff-match-patch stops refining at its deadline and returns a coarser diff.
    """

    def __init__(self, old: list[str], new: list[str]):
        super().__init__(None, (), ())  # the opcodes come from diff-match-patch, not from difflib's matching
        self._codes = _opcodes(old, new)

    def get_opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """Return the opcodes found, in difflib's form (get_grouped_opcodes reads them from here)."""
        return self._codes


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Return difflib's opcodes for the line diff diff-match-patch finds within DIFF_SECONDS."""
    matcher = diff_match_patch()
    matcher.Diff_Timeout = DIFF_SECONDS
    old_chars, new_chars, unique = matcher.diff_linesToChars(*("".join(f"{x}\n" for x in v) for v in (old, new)))
    changes = matcher.diff_main(old_chars, new_chars, False)
    matcher.diff_charsToLines(changes, unique)
    codes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for operation, text in changes:
        count = text.count("\n")  # a line each, even past its limit of distinct lines (it lumps the rest as one)
        step_i, step_j = _STEPS[operation]
        i2, j2 = i + step_i * count, j + step_j * count
        if operation == diff_match_patch.DIFF_EQUAL:
            codes.append(("equal", i, i2, j, j2))
        elif codes and codes[-1][0] != "equal":  # removed lines beside added ones: replaced, as difflib says
            _, i1, _, j1, _ = codes.pop()
            codes.append(("replace", i1, i2, j1, j2))
        else:
            codes.append(("delete" if step_i else "insert", i, i2, j, j2))
        i, j = i2, j2
    return codes


def published_at_of(revision: Revision) -> datetime | None:
    """Return the publish time a revision recorded."""
    value = revision.fields.get("published_at")
    return datetime.fromisoformat(value) if value else None


def free_slug_or_current(slug: str | None, article: Article) -> str:
    """Return `slug` unless another article has taken it since, else the article's current slug."""
    if not slug:
        return article.slug
    taken = db.session.scalar(select(Article.id).where(Article.slug == slug, Article.id != article.id))
    return article.slug if taken else slug
