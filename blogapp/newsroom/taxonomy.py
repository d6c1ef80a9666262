"""Newsroom pages to create, rename, merge and delete categories and tags (editors and admins)."""

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ..content import taxonomy
from ..content.taxonomy import TaxonomyError
from ..extensions import db
from ..models import Category, Role, Tag
from . import bp
from .auth import role_required
from .forms import CategoryForm, DeleteTagForm, MergeForm, TagForm


def _apply(form: FlaskForm, action):
    """Run `action` and commit if `form` is valid; return its result, or None with the error put on the form."""
    if not form.validate_on_submit():
        return None
    try:
        result = action()
        db.session.commit()
    except TaxonomyError as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        (field.errors if field is not None else form.form_errors).append(str(error))
        return None
    except IntegrityError:
        # Another editor took the same slug between our check and our commit.
        db.session.rollback()
        form.form_errors.append("Someone changed categories or tags at the same moment; check the list and try again.")
        return None
    return result


def _merge_form(item: Category | Tag, submitted: bool = True) -> MergeForm:
    form = MergeForm(prefix="merge") if submitted else MergeForm(prefix="merge", formdata=None)
    others = taxonomy.category_counts() if isinstance(item, Category) else taxonomy.tag_counts()
    form.target.choices = [SelectChoice(other.id, f"{other.name} ({n})") for other, n in others if other.id != item.id]
    count = taxonomy.article_count(item)
    form.confirm.label.text = f"Yes, delete “{item.name}” and move its {count} article{'s' if count != 1 else ''}"
    return form


@bp.get("/categories/")
@role_required(Role.EDITOR)
def categories():
    """List categories with their article counts, and offer a form to add one."""
    return render_template("admin/categories.html", items=taxonomy.category_counts(), form=CategoryForm())


@bp.post("/categories/")
@role_required(Role.EDITOR)
def create_category():
    """Add a category."""
    form = CategoryForm()
    category = _apply(form, lambda: taxonomy.create_category(form.name.data, form.slug.data, form.description.data))
    if category:
        flash(f"Category “{category.name}” created.")
        return redirect(url_for("admin.categories"))
    return render_template("admin/categories.html", items=taxonomy.category_counts(), form=form), 422


@bp.route("/categories/<int:id>/", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit_category(id: int):
    """Rename a category or change its slug or description."""
    category = db.get_or_404(Category, id)
    form = CategoryForm(obj=category)
    if _apply(form, lambda: taxonomy.update_category(category, form.name.data, form.slug.data, form.description.data)):
        flash(f"Category “{category.name}” saved.")
        return redirect(url_for("admin.categories"))
    return _category_page(category, form, _merge_form(category, submitted=False))


@bp.post("/categories/<int:id>/merge")
@role_required(Role.EDITOR)
def merge_category(id: int):
    """Delete a category, moving its articles and addresses to another one."""
    category = db.get_or_404(Category, id)
    name, form = category.name, _merge_form(category)
    target = _apply(form, lambda: taxonomy.merge_categories(category, taxonomy.find_category(form.target.data)))
    if target:
        flash(f"Category “{name}” deleted; its articles are now in “{target.name}”.")
        return redirect(url_for("admin.categories"))
    return _category_page(category, CategoryForm(obj=category, formdata=None), form)


def _category_page(category: Category, form: CategoryForm, merge_form: MergeForm):
    page = render_template(
        "admin/category_edit.html",
        category=category,
        count=taxonomy.article_count(category),
        form=form,
        merge_form=merge_form,
    )
    return page, 422 if form.errors or merge_form.errors else 200


@bp.get("/tags/")
@role_required(Role.EDITOR)
def tags():
    """List tags with their article counts, and offer a form to add one."""
    return render_template("admin/tags.html", items=taxonomy.tag_counts(), form=TagForm())


@bp.post("/tags/")
@role_required(Role.EDITOR)
def create_tag():
    """Add a tag."""
    form = TagForm()
    tag = _apply(form, lambda: taxonomy.create_tag(form.name.data, form.slug.data))
    if tag:
        flash(f"Tag “{tag.name}” created.")
        return redirect(url_for("admin.tags"))
    return render_template("admin/tags.html", items=taxonomy.tag_counts(), form=form), 422


@bp.route("/tags/<int:id>/", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit_tag(id: int):
    """Rename a tag or change its slug."""
    tag = db.get_or_404(Tag, id)
    form = TagForm(obj=tag)
    if _apply(form, lambda: taxonomy.rename_tag(tag, form.name.data, form.slug.data)):
        flash(f"Tag “{tag.name}” saved.")
        return redirect(url_for("admin.tags"))
    return _tag_page(tag, form=form)


@bp.post("/tags/<int:id>/merge")
@role_required(Role.EDITOR)
def merge_tag(id: int):
    """Delete a tag, giving its articles and addresses to another tag."""
    tag = db.get_or_404(Tag, id)
    name, form = tag.name, _merge_form(tag)
    target = _apply(form, lambda: taxonomy.merge_tags(tag, taxonomy.find_tag(form.target.data)))
    if target:
        flash(f"Tag “{name}” merged into “{target.name}”.")
        return redirect(url_for("admin.tags"))
    return _tag_page(tag, merge_form=form)


@bp.post("/tags/<int:id>/delete")
@role_required(Role.EDITOR)
def delete_tag(id: int):
    """Delete a tag, taking it off its articles."""
    tag = db.get_or_404(Tag, id)
    name, form = tag.name, DeleteTagForm(prefix="delete")
    if _apply(form, lambda: taxonomy.delete_tag(tag)):
        flash(f"Tag “{name}” deleted.")
        return redirect(url_for("admin.tags"))
    return _tag_page(tag, delete_form=form)


def _tag_page(tag: Tag, form: TagForm | None = None, merge_form: MergeForm | None = None, delete_form=None):
    forms = {
        "form": form or TagForm(obj=tag, formdata=None),
        "merge_form": merge_form or _merge_form(tag, submitted=False),
        "delete_form": delete_form or DeleteTagForm(prefix="delete", formdata=None),
    }
    page = render_template("admin/tag_edit.html", tag=tag, count=taxonomy.article_count(tag), **forms)
    return page, 422 if any(f.errors for f in forms.values()) else 200
