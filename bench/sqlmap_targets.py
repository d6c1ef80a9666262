"""The sqlmap probe's targets: every query, path and form parameter of the reader pages and the newsroom."""

import re
import urllib.parse
from dataclasses import dataclass, field

from bench.sqlmap_site import ADMIN, SIGN_IN

# Flask-WTF tokens stay valid for the whole session (WTF_CSRF_TIME_LIMIT = None), so one read at setup can be sent.
STATIC_TOKEN = "static"
UNIQUE_SLUG = "import random; slug = slug or 'probe-%d' % random.randrange(10**12)"


@dataclass
class Target:
    """One sqlmap run: a URL (path parameters marked with *), its parameters and, for a form, its fields."""

    name: str
    url: str
    params: list[str] = field(default_factory=list)
    data: dict[str, str] | None = None
    signed_in: bool = False
    csrf_page: str | None = None  # the page whose form holds a fresh token
    csrf_field: str = "csrf_token"
    quick: bool = False  # in the --quick subset
    last: bool = False  # changes what other targets read: runs after them, alone
    min_level: int = 1  # sqlmap probes cookies only from --level=2
    cookie: str | None = None  # an anonymous session cookie (sign-in form)
    eval_code: str | None = None  # Python sqlmap runs on the parameters before each request

    @property
    def slug(self) -> str:
        """Return the name in lower case and dashes, for folder names and the user agent."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def reader_targets(s: dict) -> list[Target]:
    """Return the public pages: query parameters, then path parameters (marked *), then headers."""
    search = {"q": s["word"], "category": s["category_slug"], "tag": s["tag_slug"], "sort": "newest", "page": "1"}
    article, category, tag, author = s["article_slug"], s["category_slug"], s["tag_slug"], s["author_slug"]
    return [
        Target("home ?page", "/?page=1", ["page"]),
        Target("home ?p (old WordPress link)", "/?p=4242", ["p"], quick=True),
        Target("search", "/search?" + urllib.parse.urlencode({**search, "exact": "0"}), [*search, "exact"], quick=True),
        Target("search suggestions", f"/search/suggest?q={s['word'][:4]}", ["q"], quick=True),
        Target("article ?hl", f"/articles/{article}/?hl={s['word']}", ["hl"]),
        Target("category ?page", f"/category/{category}/?page=1", ["page"]),
        Target("tag ?page", f"/tag/{tag}/?page=1", ["page"]),
        Target("author ?page", f"/author/{author}/?page=1", ["page"]),
        Target("sign-in page ?next", "/login?next=/admin/", ["next"]),
        Target("article slug", f"/articles/{article}*/", quick=True),
        Target("category slug", f"/category/{category}*/", quick=True),
        Target("tag slug", f"/tag/{tag}*/"),
        Target("author slug", f"/author/{author}*/"),
        Target("category feed slug", f"/category/{category}*/feed.rss"),
        Target("tag feed slug", f"/tag/{tag}*/feed.atom"),
        Target("author feed slug", f"/author/{author}*/feed.rss"),
        Target("old address (catch-all path)", "/2019/05/an-old-permalink*/", quick=True),
        Target("sitemap part number", "/sitemap-1*.xml"),
        Target("uploaded file name", f"/uploads/{s['upload'].replace('.', '*.')}"),
        Target("headers", f"/search?q={s['word']}", ["User-Agent", "Referer"]),
    ]


def newsroom_targets(s: dict) -> list[Target]:
    """Return the sign-in form and the newsroom: signed-in GET parameters, then forms, destructive ones last."""
    a, (first, *_, last) = s["article"], s["revisions"]
    article_form = {
        "title": "Probe article",
        "slug": "",
        "summary": "Written by the SQL injection probe.",
        "body": "## Probe\n\nA paragraph.",
        "category": str(s["category"]),
        "tags": f"{s['tag_name']}, probe",
        "status": "draft",
        "published_at": "",
        "author": str(s["author"]),
        "references": "",
        "base_revision": "0",
        "save": "Save",
    }
    edit_form = {**article_form, "slug": s["article_slug"], "base_revision": str(last), "preview": "Preview"}
    edit_form.pop("save")

    def form(name, url, data, page=None, csrf_field="csrf_token", quick=False, last=False, eval_code=None):
        fields = {csrf_field: s["admin_token"], **data}
        page = None if page == STATIC_TOKEN else page or url
        return Target(name, url, list(data), fields, True, page, csrf_field, quick, last=last, eval_code=eval_code)

    return [
        Target(
            "sign-in form",
            "/login?next=/admin/",
            ["email", "password", "next"],
            {"csrf_token": s["anonymous_token"], "email": SIGN_IN[0], "password": "not the password"},
            csrf_page="/login",
            quick=True,
            cookie=s["anonymous_cookie"],
        ),
        Target("newsroom articles ?page", "/admin/articles/?page=1", ["page"], signed_in=True),
        Target(
            "revision diff ?a&b", f"/admin/articles/{a}/revisions/diff?a={first}&b={last}", ["a", "b"], signed_in=True
        ),
        Target("newsroom article id", f"/admin/articles/{a}*/", signed_in=True),
        Target("revisions article id", f"/admin/articles/{a}*/revisions/", signed_in=True),
        Target("session cookie", "/admin/articles/?page=1", ["session"], signed_in=True, min_level=2),
        # Thousands of saves of one title would each try probe-article-2, -3 … for a free slug: unless the slug
        # itself is probed, each request gets a new one.
        form("editor: new article", "/admin/articles/new", article_form, quick=True, eval_code=UNIQUE_SLUG),
        form("editor: edit + preview", f"/admin/articles/{a}/edit", edit_form),
        form("editor: live preview", "/admin/preview", {"body": "## Preview\n\nText."}, "/admin/articles/new"),
        form("review article (path id)", f"/admin/articles/{a}*/review", {}, f"/admin/articles/{a}/"),
        form(
            "restore revision (path id)",
            f"/admin/articles/{a}/revisions/{first}*/restore",
            {},
            f"/admin/articles/{a}/revisions/",
            last=True,  # changes the article that reader targets show
        ),
        form(
            "new category",
            "/admin/categories/",
            {"name": s["category_name"], "slug": "", "description": "Probe."},
            quick=True,
        ),
        form(
            "edit category",
            f"/admin/categories/{s['edit_category']}/",
            {"name": "Probe edit category", "slug": "probe-edit-category", "description": "Probe."},
        ),
        form(
            "merge category",
            f"/admin/categories/{s['merge_category']}/merge",
            {"merge-target": "999999", "merge-confirm": "y"},
            f"/admin/categories/{s['merge_category']}/",
            "merge-csrf_token",
        ),
        form("new tag", "/admin/tags/", {"name": s["tag_name"], "slug": ""}),
        form("edit tag", f"/admin/tags/{s['edit_tag']}/", {"name": "Probe edit tag", "slug": "probe-edit-tag"}),
        form(
            "merge tag",
            f"/admin/tags/{s['merge_tag']}/merge",
            {"merge-target": "999999", "merge-confirm": "y"},
            f"/admin/tags/{s['merge_tag']}/",
            "merge-csrf_token",
        ),
        form(
            "new user",
            "/admin/users/",
            {"email": ADMIN[0], "name": "Probe", "role": "author", "password": SIGN_IN[1]},
            quick=True,
        ),
        form("user role", f"/admin/users/{s['teammate']}", {"role": "author", "active": "y"}, "/admin/users/"),
        # The disclaimer is on every article page, and the next forms delete or move articles and a tag.
        form("settings", "/admin/settings", {"disclaimer": "Probe disclaimer.", "review_due_months": "12"}, last=True),
        # The page of these two forms is gone after their first request, so their token is sent as it was.
        form("trash article (path id)", f"/admin/articles/{s['trash_target']}*/trash", {}, STATIC_TOKEN, last=True),
        form("restore from trash (path id)", f"/admin/trash/{s['trashed']}*/restore", {}, "/admin/trash/", last=True),
        form("empty trash", "/admin/trash/empty", {"confirm": "y"}, "/admin/trash/", last=True),
        form(
            "delete tag",
            f"/admin/tags/{s['delete_tag']}/delete",
            {"delete-confirm": "y"},
            STATIC_TOKEN,
            "delete-csrf_token",
            last=True,
        ),
    ]
