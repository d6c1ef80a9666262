"""Who may use which newsroom page: every route checked server-side for every role."""

import pytest
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Setting, User

ROLES = ["anonymous", "reviewer", "author", "editor", "admin"]
OK = {"GET": 200, "POST": 302}


def allowed(*roles):
    return set(roles) | {"admin"}


# (method, path template, roles allowed, form data). {other} is a published article by someone else.
ROUTES = [
    ("GET", "/admin/", allowed("reviewer", "author", "editor"), None),
    ("GET", "/admin/articles/", allowed("reviewer", "author", "editor"), None),
    ("GET", "/admin/articles/new", allowed("author", "editor"), None),
    ("GET", "/admin/articles/{other}/edit", allowed("editor"), None),
    ("GET", "/admin/articles/{other}/", allowed("reviewer", "editor"), None),
    ("GET", "/admin/articles/{other}/revisions/", allowed("reviewer", "editor"), None),
    ("GET", "/admin/articles/{other}/revisions/diff?a={rev}&b={rev}", allowed("reviewer", "editor"), None),
    ("GET", "/admin/trash/", allowed("editor"), None),
    ("GET", "/admin/users/", allowed(), None),
    ("GET", "/admin/settings", allowed(), None),
    ("POST", "/admin/articles/{other}/review", allowed("reviewer"), {}),
    ("POST", "/admin/articles/{other}/trash", allowed("editor"), {}),
    ("POST", "/admin/articles/{other}/revisions/{rev}/restore", allowed("editor"), {}),
    ("POST", "/admin/trash/{other}/restore", allowed("editor"), {}),
    ("POST", "/admin/trash/empty", allowed("editor"), {"confirm": "y"}),
    (
        "POST",
        "/admin/users/",
        allowed(),
        {"email": "new@example.org", "name": "New", "role": "admin", "password": "long enough password"},
    ),
    ("POST", "/admin/users/{admin_id}", allowed(), {"role": "author", "active": "y"}),
    ("POST", "/admin/settings", allowed(), {"disclaimer": "Changed.", "review_due_months": "6"}),
    ("POST", "/admin/articles/{other}/edit", allowed("editor"), {"title": "Taken over"}),
]


def _state():
    """Return what the POST routes could change, to prove a refused request changed nothing."""
    db.session.expire_all()
    articles = [(a.id, a.title, a.status, a.deleted_at, a.reviewed_at) for a in db.session.scalars(db.select(Article))]
    users = [(u.email, u.role, u.active) for u in db.session.scalars(db.select(User))]
    settings = [(s.key, s.value) for s in db.session.scalars(db.select(Setting))]
    return articles, users, settings


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "roles", "data"), ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_role_matrix(client, publish, team, login, role, method, path, roles, data):
    other = publish("Someone else's article")
    rev = db.session.scalar(db.select(db.func.max(db.text("id"))).select_from(db.table("revisions")))
    url = path.format(other=other.id, rev=rev, admin_id=team["admin"].id)
    if role != "anonymous":
        login(team[role].email)
    before = _state()
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/login" if role == "anonymous" else "/admin/")
        response = client.post(url, data={**data, "csrf_token": token})
    if role == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/login")
    elif role in roles:
        assert response.status_code in (OK[method], 409, 422), response.get_data(as_text=True)[:500]
    else:
        assert response.status_code == 403
    if role not in roles:
        assert _state() == before


def test_author_may_edit_own_draft_but_not_once_published(client, publish, team, login):
    author = db.session.get(User, team["author"].id)
    draft = publish("My draft", author=author.author, status=ArticleStatus.DRAFT)
    live = publish("My live article", author=author.author)
    login(author.email)
    assert client.get(f"/admin/articles/{draft.id}/edit").status_code == 200
    assert client.get(f"/admin/articles/{draft.id}/").status_code == 200
    assert client.get(f"/admin/articles/{live.id}/edit").status_code == 403


def test_newsroom_pages_are_never_cached(client, team, login):
    login(team["editor"].email)
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_navigation_shows_only_what_the_role_may_use(client, team, login):
    login(team["author"].email)
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/articles/new" in html and "/admin/users/" not in html and "/admin/trash/" not in html
