"""Whole sites moved: export then import into an empty instance, and backup then restore, give the same site."""

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from blogapp.content.articles import save_article
from blogapp.content.pages import save_page, trash_page
from blogapp.content.settings import set_setting
from blogapp.extensions import db
from blogapp.models import (
    Article,
    ArticleStatus,
    Author,
    Category,
    Page,
    PageRevision,
    PageStatus,
    Redirect,
    Revision,
    Setting,
    Upload,
    User,
)
from blogapp.newsroom.workflow import mark_reviewed, trash
from blogapp.search import get_index


def snapshot(client) -> dict[str, str]:
    """What readers see: the listing pages, every article page and a few searches."""
    urls = ["/", "/?page=2", "/categories/", "/search?q=ketamine", "/search?q=sleep&sort=newest", "/feed.atom"]
    urls += [f"/articles/{slug}/" for slug in db.session.scalars(db.select(Article.slug).order_by(Article.slug))]
    urls += [f"/{slug}/" for slug in db.session.scalars(db.select(Page.slug).order_by(Page.slug))] + ["/sitemap.xml"]
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, CLICK_TOKENS.sub(_token_paths, response.get_data(as_text=True)))
    return pages


# A search page's click tokens sign article ids, which an import need not keep (PostgreSQL's sequences move on).
CLICK_TOKENS = re.compile(r'(<script type="application/json" id="search-click-tokens"[^>]*>)(.*?)(</script>)', re.S)


def _token_paths(match: re.Match) -> str:
    return match[1] + json.dumps([path for path, _token in json.loads(match[2])]) + match[3]


@pytest.fixture
def demo(client, runner, ctx):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
UPLOAD_NAME = "3f9a" * 8 + ".png"


@pytest.fixture
def newsroom(app, demo, team):
    """Add what only the team sees: an edit with history, a medical review, the trash, a setting, an upload."""
    set_setting("disclaimer", "Talk to your own clinician before changing treatment.")
    # Leave a gap in the category ids, so revisions must be mapped by slug rather than copied by id.
    spare = Category(slug="spare", name="Spare")
    db.session.add(spare)
    db.session.flush()
    db.session.add(Category(slug="nutrition", name="Nutrition", description="Food and health."))
    db.session.delete(spare)
    articles = list(db.session.scalars(select(Article).where(Article.status == "published").order_by(Article.id)))
    edited = articles[0]
    save_article(
        edited,
        slug=f"{edited.slug}-revised",  # a published article's old address now redirects
        title=edited.title,
        body=edited.body + "\n\nA paragraph added in review.",
        summary=edited.summary,
        category=db.session.scalar(select(Category).where(Category.slug == "nutrition")),
        author=edited.author,
        tags=[tag.name for tag in edited.tags] + ["Evidence"],
        status=ArticleStatus.PUBLISHED,
        published_at=edited.published_at,
        references=[{"title": "A randomised trial", "source": "BMJ", "year": "2021", "identifier": "PMID:123"}],
        editor=team["editor"],
    )
    nutrition = db.session.scalar(select(Category).where(Category.slug == "nutrition"))
    db.session.add(Redirect(old_path="/category/food/", category=nutrition))
    mark_reviewed(edited, team["reviewer"])
    trash(articles[1])
    about = db.session.scalar(select(Page).where(Page.slug == "about"))  # renamed: /about/ now redirects
    save_page(about, title=about.title, slug="about-us", body=about.body, status=PageStatus.PUBLISHED,
              in_footer=True, menu_order=9, editor=team["editor"])  # a second revision, by someone
    save_page(Page(), title="Advertising", slug="advertising", body="None.", status=PageStatus.DRAFT,
              in_footer=True, menu_order=0)
    trash_page(db.session.scalar(select(Page).where(Page.slug == "contact")))
    uploads = Path(app.config["UPLOADS_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / UPLOAD_NAME).write_bytes(PNG)
    db.session.add(
        Upload(
            filename=UPLOAD_NAME,
            original_name="chart.png",
            content_type="image/png",
            width=1,
            height=1,
            size=len(PNG),
            uploaded_by=team["author"],
        )
    )
    db.session.commit()
    # Whoosh keeps counting replaced and deleted documents until segments merge, which shifts "related articles";
    # a rebuilt index gives the same statistics an imported site starts with.
    get_index().wait_for_retry()
    get_index().rebuild()


def newsroom_state(uploads_dir: str) -> dict:
    """What the team sees beyond the public pages, with ids turned into slugs and emails."""
    slug_of = {model: dict(db.session.execute(select(model.id, model.slug)).all()) for model in (Category, Author)}
    email_of = dict(db.session.execute(select(User.id, User.email)).all())

    def fields(revision: Revision) -> dict:
        values = dict(revision.fields)
        values["category_id"] = slug_of[Category][values["category_id"]]
        values["author_id"] = slug_of[Author][values["author_id"]]
        return values

    revisions = db.session.scalars(select(Revision).order_by(Revision.article_id, Revision.id))
    articles = db.session.scalars(select(Article).order_by(Article.slug))
    uploads = db.session.scalars(select(Upload).order_by(Upload.filename))
    return {
        "users": {
            u.email: (u.role, u.active, u.password_hash, slug_of[Author][u.author_id], u.created_at)
            for u in db.session.scalars(select(User))
        },
        "revisions": [
            (r.article.slug, email_of.get(r.user_id), r.created_at, r.title, r.summary, r.body, fields(r))
            for r in revisions
        ],
        "articles": {
            a.slug: (email_of.get(a.reviewer_id), a.reviewed_at, a.references, a.deleted_at, a.created_at)
            for a in articles
        },
        "page_revisions": [
            (r.page.slug, email_of.get(r.user_id), r.created_at, r.title, r.body, r.fields)
            for r in db.session.scalars(select(PageRevision).order_by(PageRevision.page_id, PageRevision.id))
        ],
        "settings": dict(db.session.execute(select(Setting.key, Setting.value)).all()),
        "pages": {
            p.slug: (p.title, p.body, p.body_html, p.status, p.in_footer, p.menu_order, p.updated_at, p.deleted_at)
            for p in db.session.scalars(select(Page))
        },
        "redirects": sorted(
            (r.old_path, *(target and target.slug for target in (r.article, r.category, r.tag, r.page)))
            for r in db.session.scalars(select(Redirect))
        ),
        "uploads": [
            (
                u.filename,
                u.original_name,
                u.content_type,
                u.width,
                u.height,
                u.size,
                email_of.get(u.uploaded_by_id),
                u.created_at,
                (Path(uploads_dir) / u.filename).read_bytes(),
            )
            for u in uploads
        ],
    }


def empty_the_instance(app) -> None:
    db.session.remove()  # forget the rows loaded so far, as a new instance would not know them
    db.drop_all()
    db.create_all()
    get_index().create()
    shutil.rmtree(app.config["UPLOADS_DIR"])


@pytest.mark.parametrize("with_hashes", [False, True], ids=["without-hashes", "with-hashes"])
def test_export_then_import_into_empty_instance_gives_same_site(
    app, client, runner, newsroom, login, tmp_path, with_hashes
):
    before, state = snapshot(client), newsroom_state(app.config["UPLOADS_DIR"])
    old_addresses = {url: client.get(url).location for url, *_ in state["redirects"] if "?" not in url}
    assert len(old_addresses) >= 2 and all(old_addresses.values())
    users, revisions = len(state["users"]), len(state["revisions"]) + len(state["page_revisions"])
    assert users >= 4 and revisions >= 27 and state["settings"] and state["uploads"]
    archive = tmp_path / "site.json"
    result = runner.invoke(args=["export", str(archive)] + (["--with-password-hashes"] if with_hashes else []))
    assert result.exit_code == 0 and "Exported 26 articles" in result.output
    data = json.loads(archive.read_text())
    assert data["format"] == "blogapp-export" and len(data["articles"]) == 26 and len(data["users"]) == users
    assert all(("password_hash" in user) is with_hashes for user in data["users"])
    revision = data["articles"][0]["revisions"][-1]
    assert revision["user"] == "editor@example.org" and revision["category"] == "nutrition"
    assert not {"category_id", "author_id"} & revision["fields"].keys()  # database ids do not travel
    db.session.execute(db.delete(Article))
    db.session.commit()
    assert runner.invoke(args=["import", "archive", str(archive)]).exit_code == 1  # categories remain
    empty_the_instance(app)
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    settings, uploads = len(state["settings"]), len(state["uploads"])  # the demo's featured images, and one more
    assert (
        f"Imported 26 articles, {revisions} revisions, {users} users, {uploads} uploads, {settings} settings, "
        f"6 pages and {len(state['redirects'])} old addresses." in result.output
    )
    after = snapshot(client)
    assert after.keys() == before.keys()
    for url in before:
        assert after[url] == before[url], url
    assert client.get(f"/uploads/{UPLOAD_NAME}").data == PNG
    assert {url: client.get(url).location for url in old_addresses} == old_addresses
    if with_hashes:
        login("editor@example.org")
    else:
        assert f"{users} users cannot sign in yet" in result.output
        state["users"] = {email: (role, False, "", *rest) for email, (role, _, _, *rest) in state["users"].items()}
    assert newsroom_state(app.config["UPLOADS_DIR"]) == state


def test_backup_and_restore_round_trip(app, client, runner, demo, tmp_path):
    before = snapshot(client)
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = result.output.strip().split(" to ")[-1]
    db.session.execute(db.delete(Article).where(Article.slug.like("c%")))
    db.session.commit()
    assert snapshot(client) != before
    result = runner.invoke(args=["restore", "--yes", folder])
    assert result.exit_code == 0, result.output
    assert "indexed 25 articles" in result.output
    after = snapshot(client)
    for url in before:
        assert after[url] == before[url], url
