"""Writing: the editor with preview, conflict checks against newer revisions, and saves that retry."""

import time
from collections.abc import Callable
from datetime import datetime
from itertools import chain, count

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from wtforms.fields.choices import SelectChoice

from ..content.articles import save_article
from ..content.markup import render_markdown
from ..content.references import format_references
from ..content.revisions import as_text, diff, latest_revision_id
from ..content.slugs import slugify
from ..content.uploads import recent_uploads
from ..extensions import db
from ..models import LIVE_STATUSES, Article, ArticleStatus, Author, Category, Revision, Role, Upload, utcnow
from . import bp
from .articles import get_article
from .auth import role_required
from .forms import ArticleForm, PreviewForm
from .permissions import can_edit
from .upload_forms import EditorUploadForm
from .uploads import upload_into_body
from .workflow import record_publishing

STATUS_CHOICES = [SelectChoice(status.value, status.label) for status in ArticleStatus]


@bp.route("/articles/new", methods=["GET", "POST"])
@role_required(Role.AUTHOR, Role.EDITOR)
def new_article():
    """Write a new article."""
    return _edit(Article(author_id=current_user.author_id))


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@role_required(Role.AUTHOR, Role.EDITOR)
def edit_article(article_id: int):
    """Edit an article the user may change."""
    article = get_article(article_id)
    if not can_edit(current_user, article):
        abort(403)
    return _edit(article)


@bp.post("/preview")
@role_required(Role.AUTHOR, Role.EDITOR)
def preview():
    """Render Markdown through the site's sanitiser for the editor's live preview."""
    form = PreviewForm()
    if not form.validate():
        return {"errors": form.errors}, 422
    return render_markdown(form.body.data or "").html


def _edit(article: Article):
    """Show the editor; on save apply the form through the article service, unless it conflicts."""
    form = ArticleForm(data=None if request.method == "POST" else _form_data(article), article_id=article.id)
    _set_choices(form, article)
    upload_form = EditorUploadForm()
    preview_html = None
    conflict = None
    if request.method == "POST" and upload_form.upload_image.data:  # typed text comes back, with the image added
        uploaded = upload_into_body(upload_form, form.body)
        _set_choices(form, article)  # the new image may be chosen as the featured one
        return _editor(form, article, upload_form, None, None), 200 if uploaded else 422
    if request.method == "POST" and form.validate():
        if form.preview.data:
            preview_html = Markup(render_markdown(form.body.data or "").html)
        elif article.id and form.base_revision_id() != latest_revision_id(article.id):
            conflict = _conflict(article, form)
        else:
            before = (article.status, article.published_at)  # as stored: a retried save starts from these again
            commit_with_retry(lambda: _save(article, form, before))
            flash(f"Saved “{article.title}” ({ArticleStatus(article.status).label}).")
            return redirect(url_for("admin.edit_article", article_id=article.id))
    status = 409 if conflict else 422 if form.errors else 200
    return _editor(form, article, upload_form, preview_html, conflict), status


def _editor(form: ArticleForm, article: Article, upload_form: EditorUploadForm, preview_html, conflict) -> str:
    """Render the editor page."""
    return render_template(
        "admin/edit.html",
        form=form,
        upload_form=upload_form,
        article=article,
        preview=preview_html,
        conflict=conflict,
        uploads=recent_uploads(12),
    )


def _form_data(article: Article) -> dict:
    """Return the editor's fields for an article as stored."""
    if article.id is None:
        return {"status": ArticleStatus.DRAFT.value, "author": article.author_id}
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "featured_image": article.featured_image_id,
        "tags": ", ".join(tag.name for tag in article.tags),
        "status": article.status,
        "published_at": article.published_at,
        "author": article.author_id,
        "references": format_references(article.references or []),
        "base_revision": str(latest_revision_id(article.id)),
    }


def _set_choices(form: ArticleForm, article: Article) -> None:
    """Offer the categories, statuses and authors this user may choose."""
    categories = db.session.scalars(select(Category).order_by(Category.name, Category.id))
    form.category.choices = [SelectChoice("", "Choose a category"), *(SelectChoice(c.id, c.name) for c in categories)]
    images = recent_uploads(50)
    if article.featured_image is not None and article.featured_image not in images:
        images.append(article.featured_image)  # chosen long ago: still offered, so saving keeps it
    form.featured_image.choices = [
        SelectChoice("", "No featured image"),
        *(SelectChoice(u.id, f"{u.original_name or u.filename} ({u.width} × {u.height})") for u in images),
    ]
    if current_user.can(Role.EDITOR):
        form.status.choices = STATUS_CHOICES
        form.author.choices = [
            SelectChoice(a.id, a.name) for a in db.session.scalars(select(Author).order_by(Author.name, Author.id))
        ]
    else:
        form.status.choices = [SelectChoice(s.value, s.label) for s in (ArticleStatus.DRAFT, ArticleStatus.REVIEW)]
        form.author.choices = [SelectChoice(article.author_id, current_user.name)]


def _save(article: Article, form: ArticleForm, before: tuple) -> None:
    """Apply a valid editor form to the article through the shared article service."""
    status, published_at = _status_and_time(ArticleStatus(form.status.data), form.published_at.data, article)
    author_id = form.author.data if current_user.can(Role.EDITOR) else article.author_id
    save_article(
        article,
        title=form.title.data,
        slug=form.slug.data or _free_slug(form.title.data, article.id),
        summary=form.summary.data or "",
        body=form.body.data or "",
        category=db.session.get(Category, form.category.data),
        author=db.session.get(Author, author_id),
        tags=[name.strip() for name in (form.tags.data or "").split(",") if name.strip()],
        status=status,
        published_at=published_at,
        references=form.parsed_references,
        editor=current_user,
    )
    article.featured_image = db.session.get(Upload, form.featured_image.data) if form.featured_image.data else None
    record_publishing(article, *before)


def _status_and_time(status: ArticleStatus, when: datetime | None, article: Article):
    """Return the stored status and publish time: 'published' in the future means scheduled, and back."""
    now = utcnow()
    stored = article.published_at
    if when and stored and when == stored.replace(second=0, microsecond=0):
        when = stored  # the field shows minutes: saving again must not move the time to the start of its minute
    if status in LIVE_STATUSES:
        when = when or article.published_at or now
        status = ArticleStatus.SCHEDULED if when > now else ArticleStatus.PUBLISHED
    return status, when


def _free_slug(title: str, article_id: int | None) -> str:
    """Return a slug made from the title that no other article uses."""
    base = slugify(title)[:180] or "article"
    # One query for every slug of the family: trying base-2, base-3 … one by one took a query each.
    family = or_(Article.slug == base, Article.slug.startswith(f"{base}-", autoescape=True))
    taken = set(db.session.scalars(select(Article.slug).where(family, Article.id != (article_id or 0))))
    return next(slug for slug in chain([base], (f"{base}-{n}" for n in count(2))) if slug not in taken)


def _conflict(article: Article, form: ArticleForm) -> dict:
    """Describe a save that started from an older revision: theirs, yours, and the difference."""
    theirs = db.session.get(Revision, latest_revision_id(article.id))
    yours = Revision(
        title=form.title.data,
        summary=form.summary.data or "",
        body=form.body.data or "",
        fields={
            "slug": form.slug.data or article.slug,
            "status": form.status.data,
            "published_at": form.published_at.data.isoformat() if form.published_at.data else None,
            "category": _label(form.category),
            "author": _label(form.author),
            "tags": [name.strip() for name in (form.tags.data or "").split(",") if name.strip()],
            "references": form.parsed_references,
        },
    )
    form.base_revision.data = str(theirs.id)
    return {"theirs": theirs, "lines": diff(as_text(theirs), as_text(yours))}


def _label(field) -> str:
    """Return the label of the choice a select field holds."""
    return next((choice.label for choice in field.choices if choice.value == field.data), "")


def commit_with_retry(apply: Callable[[], None], attempts: int = 3) -> None:
    """Run `apply` and commit; if a concurrent writer got in first (a new tag or slug, a lock), start over."""
    for attempt in range(1, attempts + 1):
        try:
            apply()
            db.session.commit()
            return
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if attempt == attempts:
                raise
            time.sleep(0.05 * attempt)
