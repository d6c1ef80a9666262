"""The newsroom's article editor as a browser uses it: its fields, writing through it, reading back."""

from servers import form_fields

from blogapp.extensions import db
from blogapp.models import Article


def form_of(client, url):
    """Return the editor's fields as the page renders them (what a browser would submit)."""
    return form_fields(client.get(url).get_data(as_text=True))


def article_named(title):
    """Return the article with this title as the database holds it now, or None."""
    db.session.expire_all()
    return db.session.scalar(db.select(Article).where(Article.title == title))


def write(client, publish, **changes):
    """Submit the new-article form with a title, body and category, and `changes` on top."""
    data = form_of(client, "/admin/articles/new")
    data.update(
        {"title": "Ketamine for migraine", "body": "## What it is\n\nA short body.", "category": publish.category.id}
    )
    data.update(changes)
    return client.post("/admin/articles/new", data=data)
