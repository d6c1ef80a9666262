"""SQL injection probe: sqlmap against every query, path and form parameter of a throwaway instance.

Run from the project root (sqlmap comes from Debian's `sqlmap` package):

    .venv/bin/python bench/sqlmap_probe.py                  # --level=3 --risk=2, all 44 targets
    .venv/bin/python bench/sqlmap_probe.py --quick          # --level=1 --risk=1, 10 of them, about 3 minutes
    .venv/bin/python bench/sqlmap_probe.py --only search --only sign-in   # targets whose names hold these

It builds an instance in a temporary folder (`flask init`, `flask seed-demo`, an admin and two authors made with
`flask users create`, two old addresses in the redirect table), serves it with gunicorn (3 workers) on a free
127.0.0.1 port, signs the admin in through the real form, uploads an image and makes the categories, tags and
trashed article that some forms act on. Then it runs sqlmap once per target, --jobs at a time (default 3):

    sqlmap -u URL [--data FORM] -p PARAMS --level=3 --risk=2 --batch --dbms=SQLite --flush-session --skip-waf
           --output-dir TMP/sqlmap/TARGET --user-agent "blogapp-sqlmap-probe (TARGET)"
           [--cookie session=… --drop-set-cookie --csrf-token=csrf_token --csrf-url=FORM PAGE]

- `-p` names each target's parameters. Without it --level=3 would also probe the User-Agent, Referer and
  cookies of every target; those are probed once, by targets of their own (`headers`, `session cookie`).
  Path parameters are marked with sqlmap's `*` in the URL.
- `--dbms=SQLite`: the instance runs on SQLite. Without it (`--all-dbms`) sqlmap also sends the payloads of
  every other engine it knows, several times the requests, none of which could work here.
- Signed-in targets carry the admin's session cookie and ignore Set-Cookie, so the session never changes under
  sqlmap (a flash message or a probe of the cookie itself cannot sign it out). Each form's CSRF token is read
  afresh from its page before every request, except for two forms whose page is gone after their first request
  (trash an article, delete a tag): those send the token read at setup, which stays valid for the session
  (WTF_CSRF_TIME_LIMIT = None). A redirect after a POST is followed with a GET, as a browser does.
- Sign-in throttling (5 failures per account, 20 per address in 15 minutes, then 429) would stop the probe of
  /login after 20 requests: the instance raises both limits (BLOGAPP_LOGIN_MAX_FAILURES_*), so every payload
  reaches the password check. The page cache is off (BLOGAPP_PAGE_CACHE_BYTES=0): every request is rendered.
- sqlmap changes data: saves create articles, categories, tags; the trash, restore and delete forms act on
  articles and tags kept for them. Targets that change what others read run last, one at a time.
- Not probed: the image upload form (a multipart body with a binary file, which sqlmap cannot carry), and
  sign-out (no parameter; it would end the session the other targets use).

It prints a table (target, parameters tested, requests the server logged for it, time, result) and exits 1 if
sqlmap found an injectable parameter, 2 if a target could not be probed (sqlmap stopped or tested nothing),
else 0. The folder with sqlmap's output and the server log is removed on success, kept otherwise or with --keep.
"""

import argparse
import http.cookiejar
import io
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import form_fields, instance_env  # noqa: E402  (what the tests use)

SQLMAP = shutil.which("sqlmap") or "/usr/bin/sqlmap"
ADMIN = ("probe-admin@example.org", "probe admin password, long enough")
SIGN_IN = ("probe-signin@example.org", "probe sign-in password, long enough")
TEAMMATE = "probe-teammate@example.org"
AGENT = "blogapp-sqlmap-probe"
WORKERS = 3
SQLMAP_TIMEOUT = 3600  # seconds for one target; far more than any takes
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
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass
class Outcome:
    """What one sqlmap run found."""

    target: Target
    tested: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    injectable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        if self.injectable:
            return "INJECTABLE: " + ", ".join(self.injectable)
        if self.errors:
            return "ERROR: " + "; ".join(self.errors)
        return "not injectable"


class Browser:
    """An HTTP client with its own cookies that shows redirects instead of following them."""

    class _NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirects)
        self.opener.addheaders = [("User-Agent", AGENT)]

    def request(self, path: str, data: dict | None = None, body: bytes | None = None, headers=None) -> tuple[int, str]:
        """GET `path` (or POST `data` as a form, or a raw `body`) and return the status and text."""
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, body, headers or {}), timeout=60
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, fields: dict, form_page: str | None = None) -> None:
        """Send a form with the CSRF token of `form_page` (default `path`); stop if it is refused."""
        status, _ = self.request(path, {"csrf_token": self.token(form_page or path), **fields})
        if status not in (200, 302):
            sys.exit(f"setup: POST {path} answered {status}")

    def upload(self, path: str, filename: str, content: bytes) -> None:
        """Send a file through the upload form at `path` as a browser does (multipart, with the CSRF token)."""
        boundary = "sqlmap-probe-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.token(path)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, _ = self.request(path, body=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 302:
            sys.exit(f"setup: the upload answered {status}")

    def token(self, page: str) -> str:
        """Return the CSRF token of the form on `page`."""
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.request(page)[1]).group(1)

    def cookie(self) -> str:
        """Return the Cookie header this browser sends."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def flask(env: dict, *args: str) -> None:
    """Run a `flask --app blogapp` command on the instance; stop if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "blogapp", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"flask {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")


def build_instance(folder: Path) -> dict[str, str]:
    """Create, seed and staff the instance; add two old addresses; return its environment."""
    # sqlmap sends thousands of wrong passwords from one address; the limits would answer them with 429.
    env = instance_env(
        folder,
        "sqlmap-probe-only",
        LOGIN_MAX_FAILURES_PER_ACCOUNT="1000000000",
        LOGIN_MAX_FAILURES_PER_ADDRESS="1000000000",
        PAGE_CACHE_BYTES="0",
    )
    flask(env, "init")
    flask(env, "seed-demo")
    for (email, password), role in ((ADMIN, "admin"), (SIGN_IN, "author"), ((TEAMMATE, SIGN_IN[1]), "author")):
        flask(env, "users", "create", "--email", email, "--role", role, "--password", password)
    with sqlite3.connect(folder / "blog.sqlite") as connection:
        article_id = connection.execute("SELECT min(id) FROM articles WHERE status = 'published'").fetchone()[0]
        for old_path in ("/?p=4242", "/2019/05/an-old-permalink/"):
            connection.execute("INSERT INTO redirects (old_path, article_id) VALUES (?, ?)", (old_path, article_id))
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on a free 127.0.0.1 port and wait until it answers; return it and its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(WORKERS)]
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [*command, "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {log}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return server, base
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def prepare_site(base: str, database: Path) -> dict:
    """Sign the admin in, make the objects the destructive forms act on, and return the ids and slugs to probe."""
    admin = Browser(base)
    admin.post("/login", {"email": ADMIN[0], "password": ADMIN[1]})
    for name in ("Probe edit category", "Probe merge category"):
        admin.post("/admin/categories/", {"name": name, "slug": "", "description": ""})
    for name in ("Probe edit tag", "Probe merge tag", "Probe delete tag"):
        admin.post("/admin/tags/", {"name": name, "slug": ""})
    found = lookup(database)
    edit_page = f"/admin/articles/{found['article']}/edit"
    fields = form_fields(admin.request(edit_page)[1])
    admin.post(edit_page, {**fields, "summary": fields["summary"] + " Edited once by the probe."})
    admin.post(f"/admin/articles/{found['trashed']}/trash", {}, f"/admin/articles/{found['trashed']}/")
    admin.upload("/admin/uploads/", "probe.png", png_bytes())
    admin.request("/admin/")  # shows (and so drops) the flash messages the setup left in the session
    anonymous = Browser(base)
    anonymous_token = anonymous.token("/login")  # a session holding a CSRF token, as a sign-in page visitor's
    return {
        **lookup(database),
        "admin_cookie": admin.cookie(),
        "admin_token": admin.token("/admin/articles/new"),
        "anonymous_cookie": anonymous.cookie(),
        "anonymous_token": anonymous_token,
    }


def png_bytes() -> bytes:
    """Return a small PNG image."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def lookup(database: Path) -> dict:
    """Return the ids, slugs and words of the seeded site that the targets use."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        one = lambda sql, *args: db.execute(sql, args).fetchone()  # noqa: E731
        published = [row[0] for row in db.execute("SELECT id FROM articles WHERE status = 'published' ORDER BY id")]
        article = published[0]
        slug, title, category, author = one(
            "SELECT slug, title, category_id, author_id FROM articles WHERE id = ?", article
        )
        tag_id, tag_slug, tag_name = one(
            "SELECT t.id, t.slug, t.name FROM tags t JOIN article_tags a ON a.tag_id = t.id WHERE a.article_id = ?",
            article,
        )
        revisions = [
            row[0] for row in db.execute("SELECT id FROM revisions WHERE article_id = ? ORDER BY id", (article,))
        ]
        by_name = lambda table, name: one(f"SELECT id FROM {table} WHERE name = ?", name)[0]  # noqa: E731
        return {
            "article": article,
            "article_slug": slug,
            "word": max(re.findall(r"[A-Za-z]{4,}", title), key=len).lower(),
            "category": category,
            "category_slug": one("SELECT slug FROM categories WHERE id = ?", category)[0],
            "category_name": one("SELECT name FROM categories WHERE id = ?", category)[0],
            "author": author,
            "author_slug": one("SELECT slug FROM authors WHERE id = ?", author)[0],
            "tag_slug": tag_slug,
            "tag_name": tag_name,
            "tag": tag_id,
            "revisions": revisions,
            "trash_target": published[1],
            "trashed": published[2],
            "edit_category": by_name("categories", "Probe edit category"),
            "merge_category": by_name("categories", "Probe merge category"),
            "edit_tag": by_name("tags", "Probe edit tag"),
            "merge_tag": by_name("tags", "Probe merge tag"),
            "delete_tag": by_name("tags", "Probe delete tag"),
            "teammate": one("SELECT id FROM users WHERE email = ?", TEAMMATE)[0],
            "upload": (one("SELECT filename FROM uploads ORDER BY id") or ["none.png"])[0],
        }


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


def sqlmap_command(target: Target, base: str, site: dict, out: Path, args) -> list[str]:
    """Return the sqlmap command line for one target."""
    level, risk = (max(1, target.min_level), 1) if args.quick else (3, 2)
    command = [SQLMAP, "-u", base + target.url, "--batch", f"--level={level}", f"--risk={risk}", "--flush-session"]
    # The agent names the target, so the server's access log tells each target's requests apart.
    command += [f"--output-dir={out}", f"--user-agent={AGENT} ({target.slug})", "--disable-coloring"]
    # No firewall stands in front of the app; sqlmap's check for one misreads a form that deletes its own page.
    command.append("--skip-waf")
    if not args.all_dbms:
        command.append("--dbms=SQLite")
    if target.params:
        command += ["-p", ",".join(target.params)]
    if target.data is not None:
        # A redirect after a POST is followed with a GET, as a browser does; resent, it would save the form again.
        command += ["--data=" + urllib.parse.urlencode(target.data), "--answers=resend original POST data=N"]
    cookie = site["admin_cookie"] if target.signed_in else target.cookie
    if cookie:
        command += [f"--cookie={cookie}", "--drop-set-cookie"]
    if target.eval_code:
        command.append(f"--eval={target.eval_code}")
    if target.csrf_page:
        command += [f"--csrf-token={target.csrf_field}", f"--csrf-url={base}{target.csrf_page}"]
    return command


PLACE = r"(?:\(custom\) )?(?:GET|POST|URI|Cookie|User-Agent|Referer|Host)? ?parameter '([^']+)'"
CLEAN = re.compile(PLACE + r" does not seem to be injectable")
FOUND = re.compile(PLACE + r" (?:is|appears to be) '([^']+)' injectable")
NOTES = (
    re.compile(r"heuristic \(basic\) test shows that .+ might be injectable.*"),
    re.compile(r"heuristic \(XSS\) test shows that .+ might be vulnerable to cross-site scripting.*"),
    re.compile(r"target URL appears to be UNION injectable with \d+ columns"),
    re.compile(r"false positive or unexploitable injection point detected"),
)
NOTHING_FOUND = "all tested parameters do not appear to be injectable"


def read_outcome(outcome: Outcome, output: str) -> None:
    """Fill `outcome` from sqlmap's console output."""
    outcome.clean = sorted(set(CLEAN.findall(output)))
    # "appears to be … injectable" is a lead that sqlmap then checks; it says "does not seem" when it drops it.
    leads = FOUND.findall(output)
    found = sorted({f"{name} ({how})" for name, how in leads if name not in outcome.clean})
    if "sqlmap identified the following injection point" in output or found:
        outcome.injectable = found or ["see sqlmap's log"]
    outcome.notes += sorted(
        {f"lead on {name} ({how}) dropped by sqlmap's checks" for name, how in leads if name in outcome.clean}
    )
    for pattern in NOTES:
        outcome.notes += sorted({match.group(0) for match in pattern.finditer(output)})
    codes = re.search(r"HTTP error codes detected during run:\n((?:\d{3} .*\n?)+)", output)
    server_errors = [line for line in (codes.group(1).splitlines() if codes else []) if line.startswith("5")]
    if server_errors:
        outcome.notes.append("sqlmap saw server errors: " + "; ".join(server_errors))
    # Without a terminal on stdin sqlmap runs in its multiple-targets mode, where a stop is logged as ERROR.
    stops = re.findall(r"\[(?:ERROR|CRITICAL)\] (.+)", output)
    outcome.errors += [line for line in stops if NOTHING_FOUND not in line]
    outcome.tested = sorted(set(outcome.clean) | {name for name, _ in leads})
    if not outcome.injectable and not outcome.errors and (NOTHING_FOUND not in output or not outcome.tested):
        outcome.errors.append("sqlmap tested nothing or gave no verdict")


def probe(target: Target, base: str, site: dict, folder: Path, args) -> Outcome:
    """Run sqlmap on one target and return what it found."""
    out = folder / "sqlmap" / target.slug
    out.mkdir(parents=True)
    started = time.monotonic()
    outcome = Outcome(target)
    try:
        done = subprocess.run(
            sqlmap_command(target, base, site, out, args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SQLMAP_TIMEOUT,
        )
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode(errors="replace")
        outcome.errors.append(f"sqlmap did not finish within {SQLMAP_TIMEOUT} s")
    (out / "console.txt").write_text(output)
    outcome.seconds = time.monotonic() - started
    read_outcome(outcome, output)
    if target.params and not outcome.injectable:
        missing = [name for name in target.params if name not in outcome.tested]
        if missing:
            outcome.errors.append("not tested: " + ", ".join(missing))
    return outcome


def probe_all(targets: list[Target], base: str, site: dict, folder: Path, args) -> list[Outcome]:
    """Probe the targets, `args.jobs` at a time, then those marked `last` one by one; return in target order."""
    done: dict[str, Outcome] = {}

    def run(target: Target) -> None:
        done[target.name] = outcome = probe(target, base, site, folder, args)
        print(f"[{len(done)}/{len(targets)}] {target.name}: {outcome.verdict} ({outcome.seconds:.0f} s)", flush=True)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # The longest runs (many parameters, a token fetched before each form request) start first.
        first = sorted((t for t in targets if not t.last), key=lambda t: -len(t.params) * (2 if t.data else 1))
        list(pool.map(run, first))
    for target in targets:
        if target.last:
            run(target)
    return [done[t.name] for t in targets]


def count_requests(outcomes: list[Outcome], log: Path) -> None:
    """Count each target's requests and 5xx answers in the access log, by the user agent that names it."""
    text = log.read_text(errors="replace")
    for outcome in outcomes:
        lines = re.findall(rf'^.*"{re.escape(f"{AGENT} ({outcome.target.slug})")}.*$', text, re.M)
        outcome.requests = len(lines)
        errors = [line for line in lines if re.search(r'HTTP/1\.\d" 5\d\d ', line)]
        if errors:
            outcome.notes.append(f"{len(errors)} answers with status 5xx (first: {errors[0][:300]})")


def print_table(outcomes: list[Outcome]) -> None:
    """Print target, parameters, requests, time and verdict; notes and errors under their target."""
    print(f"\n{'target':<34}{'parameters tested':<46}{'requests':>9}{'time':>7}  result")
    for o in outcomes:
        tested = ", ".join(o.tested) or "—"
        print(f"{o.target.name:<34}{tested:<46}{o.requests:>9,}{o.seconds:>6.0f}s  {o.verdict}")
        for note in o.notes:
            print(f"{'':<34}note: {note}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="level 1, risk 1, on a subset of the targets")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only targets whose name has TEXT (with --quick: any target, not only the subset)",
    )
    parser.add_argument("--all-dbms", action="store_true", help="send the payloads of every engine, not only SQLite's")
    parser.add_argument("--jobs", type=int, default=3, help="sqlmap runs at a time (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (sqlmap's output, server log)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not Path(SQLMAP).exists():
        sys.exit("sqlmap is not installed (Debian: `apt-get install sqlmap`).")
    folder = Path(tempfile.mkdtemp(prefix="blogapp-sqlmap-"))
    started = time.monotonic()
    env = build_instance(folder)
    log = folder / "gunicorn.log"
    server, base = start_server(env, log)
    try:
        site = prepare_site(base, folder / "blog.sqlite")
        chosen = reader_targets(site) + newsroom_targets(site)
        if args.only:
            chosen = [t for t in chosen if any(text in t.name for text in args.only)]
        elif args.quick:
            chosen = [t for t in chosen if t.quick]
        mode = "--level=1 --risk=1" if args.quick else "--level=3 --risk=2"
        print(
            f"sqlmap {mode}{'' if args.all_dbms else ' --dbms=SQLite'} on {base}: {len(chosen)} targets, "
            f"{sum(len(t.params) or 1 for t in chosen)} parameters; output in {folder}",
            flush=True,
        )
        outcomes = probe_all(chosen, base, site, folder, args)
    finally:
        stop_server(server)
    count_requests(outcomes, log)
    print_table(outcomes)
    injectable = [o for o in outcomes if o.injectable]
    failed = [o for o in outcomes if o.errors and not o.injectable]
    print(
        f"\n{len(outcomes)} targets, {sum(len(o.tested) for o in outcomes)} parameters, "
        f"{sum(o.requests for o in outcomes):,} requests in {(time.monotonic() - started) / 60:.1f} min: "
        f"{len(injectable)} injectable, {len(failed)} not probed."
    )
    if injectable or failed or args.keep:
        print(f"sqlmap's output and the server log are kept in {folder}")
    else:
        shutil.rmtree(folder)
    return 1 if injectable else 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
