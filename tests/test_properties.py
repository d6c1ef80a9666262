"""Random and hostile input to every form and query parameter: never a server error, and a refusal stores nothing."""

import io
import operator
import random
import re
import secrets
from urllib.parse import quote, quote_from_bytes, urlencode, urlsplit

import pytest
import whoosh.util
from conftest import PASSWORD, csrf_token
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from PIL import Image
from servers import form_fields
from sqlalchemy import String
from werkzeug.datastructures import MultiDict

from blogapp.content import taxonomy
from blogapp.content.revisions import latest_revision_id
from blogapp.extensions import db
from blogapp.models import MAX_ID, ArticleStatus, Role
from blogapp.search import get_index


def fuzz(max_examples: int):
    """Return hypothesis settings for tests over function-scoped fixtures, the same examples on every run."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(autouse=True)
def _unseeded_segment_names(monkeypatch):
    """Let Whoosh name new index segments from OS entropy, not from the `random` module."""
    # Hypothesis seeds `random` alike before every example, so each save would pick the segment name the
    # previous one took and overwrite its files.
    monkeypatch.setattr(whoosh.util, "random", random.SystemRandom())


HOSTILE = ["' OR '1'='1", "1; DROP TABLE articles; --", '" OR 1=1 --', "1 UNION SELECT password_hash FROM users"]
HOSTILE += ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
HOSTILE += ["<svg onload=alert(1)>", "[x](javascript:alert(1))", "../../etc/passwd", "..\\..\\windows\\win.ini"]
HOSTILE += ["%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//evil.example", "/\\evil.example", "%s%s%s%n", "{0.__class__}"]
HOSTILE += ["{{7*7}}", "%(password)s", "\x00", "a\x00b", "\r\nSet-Cookie: planted=1", "\u202e\u200b\ufeff"]
HOSTILE += ["title:x AND (body:y OR NOT", '"unclosed', "*?~^", "Title | BMJ | 2019 | doi:10.1136/x"]
HOSTILE += ["T | S | 20199 | javascript:alert(1)", "a|b|c|d|e", "[]", "null"]
hostile = st.sampled_from(HOSTILE)
long_text = st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(100, 3000))
control_text = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=20)
# Past SQLite's and PostgreSQL's integers; digits int() refuses or isdigit() misjudges; things int() reads anyway.
OVERFLOWING = [2**31, 2**63, 10**30, -(2**63) - 1]
ODD_DIGITS = ["1" * 5000, "²", "١٢", "１２", "0x1f", "1_000", " 7 ", "+3", "1e309", "NaN", "-0"]
numbers = st.one_of(st.sampled_from(OVERFLOWING), st.sampled_from(ODD_DIGITS), st.integers(), st.floats()).map(str)
value = st.one_of(
    st.text(max_size=30), hostile, numbers, long_text, control_text, st.sampled_from(["", " ", "y", "1", "on"])
)
ids = st.integers(-1, 12).map(str) | numbers | value
datetimes = st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")) | value


def changes(names: list[str], **plausible) -> st.SearchStrategy[dict[str, list[str]]]:
    """Strategy: some fields (or unknown names) removed, given once or given twice, with hostile values."""

    def values(name: str) -> st.SearchStrategy[list[str]]:
        return st.lists(plausible.get(name, st.nothing()) | value, max_size=2)

    known = st.sampled_from(names).flatmap(lambda name: st.tuples(st.just(name), values(name)))
    unknown = st.tuples(st.text(max_size=8), st.lists(value, max_size=2))
    return st.lists(known | unknown, max_size=5).map(dict)


def overlay(fields: dict[str, str], changed: dict[str, list[str]]) -> MultiDict:
    """Return a browser's submission of `fields` with `changed` fields replaced (an empty list removes one)."""
    data = MultiDict(fields)
    for name, values in changed.items():
        if name != "csrf_token":  # a wrong token is its own test
            data.setlist(name, values)
    return data


def has_nul(data: MultiDict) -> bool:
    """Tell whether a field name or value holds a NUL character (which the app refuses with 400)."""
    return any("\x00" in key or "\x00" in item for key, item in data.items(multi=True))


def snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table in a stable order, once index work started by a commit has finished."""
    get_index().wait_for_retry(5)
    with db.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


def assert_storable(rows: dict[str, list[tuple]]) -> None:
    """Fail on a string PostgreSQL would refuse (too long for its column, or with a NUL) that SQLite kept."""
    for table in db.metadata.sorted_tables:
        for position, column in enumerate(table.columns):
            limit = column.type.length if isinstance(column.type, String) else None
            for row in rows[table.name]:
                cell = row[position]
                if isinstance(cell, str):
                    assert "\x00" not in cell, (table.name, column.name)
                    assert limit is None or len(cell) <= limit, (table.name, column.name, len(cell))


def assert_refusal_kept_everything(response, before) -> bool:
    """Return whether the submission was accepted (a redirect); if it was refused, the database is unchanged."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    event(f"status {response.status_code}")
    after = snapshot()
    if response.status_code in (301, 302, 303):
        assert_storable(after)
        return True
    assert after == before, response.status_code
    return False


INJECTED = re.compile(r"<script>alert|<img src=x onerror|<svg onload|href=\"javascript:|<[^>]+\son\w+=", re.I)


def assert_nothing_injected(response) -> None:
    """Fail if a hostile value came back as live markup in an HTML page."""
    if response.mimetype == "text/html":
        assert not INJECTED.search(response.get_data(as_text=True))


def signed_in(role: str):
    """Return a fixture: the client signed in as `role`."""

    @pytest.fixture
    def fixture(client, team, login):
        login(team[role].email)
        return client

    return fixture


admin = signed_in("admin")
editor = signed_in("editor")
author = signed_in("author")


@pytest.fixture
def site(publish):
    """Publish a few articles readers can page through, filter and search."""
    for number in range(4):
        publish(f"Sleep and treatment {number}", "Body about sleep and pain.", tags=["sleep", "pain"])
    get_index().wait_for_retry(5)
    return publish


READER_URLS = ["/", "/categories/", "/category/treatments/", "/tag/sleep/", "/author/ann-writer/"]
READER_URLS += ["/articles/sleep-and-treatment-1/", "/search", "/search/suggest", "/feed.rss", "/feed.atom"]
READER_URLS += ["/category/treatments/feed.rss", "/tag/sleep/feed.atom", "/author/ann-writer/feed.rss"]
READER_URLS += ["/sitemap.xml", "/sitemap-1.xml", "/robots.txt", "/opensearch.xml", "/healthz", "/login"]
QUERY_KEYS = ["q", "page", "category", "tag", "author", "sort", "exact", "p", "hl", "v", "next", "a", "b"]
query_pairs = st.tuples(
    st.fixed_dictionaries({}, optional={key: st.lists(numbers | value, min_size=1, max_size=2) for key in QUERY_KEYS}),
    st.lists(st.tuples(st.text(max_size=5), value), max_size=2),
).map(lambda parts: [(key, item) for key, items in parts[0].items() for item in items] + parts[1])


@fuzz(120)
@given(url=st.sampled_from(READER_URLS), pairs=query_pairs)
def test_reader_pages_answer_any_query_parameters(client, site, url, pairs):
    response = client.get(url, query_string=urlencode(pairs))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    if any("\x00" in key + item for key, item in pairs):
        assert response.status_code == 400
    if url == "/search":
        assert_storable(snapshot())  # the search log keeps what was searched for
    assert_nothing_injected(response)


NUMBERED = ["/?page={}", "/?p={}", "/category/treatments/?page={}", "/tag/sleep/?page={}", "/search?q=a&page={}"]
NUMBERED += ["/author/ann-writer/?page={}", "/sitemap-{}.xml", "/admin/articles/?page={}", "/admin/articles/{}/"]
NUMBERED += ["/admin/articles/{}/edit", "/admin/articles/{}/revisions/", "/admin/articles/1/revisions/diff?a=1&b={}"]
NUMBERED += ["/admin/articles/1/revisions/diff?a={}&b=1", "/admin/categories/{}/", "/admin/tags/{}/"]


def for_each(name: str, choices: list[str], **others):
    """Decorate a hypothesis test with an explicit example for each of `choices` (as argument `name`)."""

    def decorate(test):
        for choice in choices:
            test = example(**{name: choice}, **others)(test)
        return test

    return decorate


@fuzz(60)
@for_each("url", NUMBERED, number=str(2**63))
@given(url=st.sampled_from(NUMBERED), number=numbers)
def test_numbers_out_of_range_in_addresses_are_not_found(admin, site, url, number):
    response = admin.get(url.format(quote(number, safe="")))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    if number.isascii() and number.isdigit() and int(number[:20]) > MAX_ID:
        assert response.status_code == 404


@fuzz(40)
@given(url=st.sampled_from(READER_URLS), raw=st.binary(max_size=40), key=st.sampled_from(QUERY_KEYS))
def test_reader_pages_answer_undecodable_query_bytes(client, site, url, raw, key):
    response = client.get(url, query_string=f"{key}={quote_from_bytes(raw)}&{quote_from_bytes(raw)}=1")
    assert response.status_code < 500


PATHS = ["/articles/{}/", "/category/{}/", "/tag/{}/", "/author/{}/", "/{}", "/uploads/{}", "/sitemap-{}.xml"]
PATHS += ["/category/{}/feed.rss", "/tag/{}/feed.atom", "/author/{}/feed.rss", "/admin/articles/{}/edit"]


@fuzz(80)
@given(path=st.sampled_from(PATHS), slug=value | ids, safe=st.sampled_from(["", "/", "/%"]))
def test_hostile_slugs_and_paths_are_not_found_or_redirected(client, site, path, slug, safe):
    response = client.get(path.format(quote(slug, safe=safe)))
    assert response.status_code < 500
    assert_nothing_injected(response)


NEWSROOM_URLS = ["/admin/", "/admin/articles/", "/admin/articles/{}/", "/admin/articles/{}/revisions/"]
NEWSROOM_URLS += ["/admin/articles/{}/revisions/diff", "/admin/articles/new", "/admin/articles/{}/edit"]
NEWSROOM_URLS += ["/admin/categories/", "/admin/categories/{}/", "/admin/tags/", "/admin/tags/{}/", "/admin/trash/"]
NEWSROOM_URLS += ["/admin/uploads/", "/admin/users/", "/admin/settings"]


@fuzz(60)
@given(url=st.sampled_from(NEWSROOM_URLS), item=st.just("1") | ids, pairs=query_pairs)
def test_newsroom_pages_answer_any_query_parameters_and_write_nothing(admin, site, url, item, pairs):
    before = snapshot()
    response = admin.get(url.format(quote(item, safe="")), query_string=urlencode(pairs))
    assert response.status_code < 500
    assert snapshot() == before
    assert_nothing_injected(response)


emails = st.emails().map(str) | st.sampled_from([f"{role.value}@example.org" for role in Role])


@fuzz(60)
@given(
    changed=changes(["email", "password", "submit"], email=emails, password=st.just(PASSWORD)),
    address=st.ip_addresses().map(str),
)
def test_sign_in_refuses_garbage_and_records_at_most_one_failure(client, team, changed, address):
    data = overlay({"csrf_token": csrf_token(client), "email": "", "password": ""}, changed)
    before = snapshot()
    response = client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})
    assert response.status_code < 500
    after = snapshot()
    failures = after.pop("login_failures"), before.pop("login_failures")
    if response.status_code == 302:  # guessed a team member's password: signed in, and that is all
        assert response.location == "/admin/"
        client.post("/logout", data={"csrf_token": csrf_token(client)})
    elif response.status_code in (200, 429):  # a wrong password is recorded, towards throttling
        assert after == before and len(failures[0]) - len(failures[1]) <= 1
    else:
        assert response.status_code in (400, 422) and (after, failures[0]) == (before, failures[1])


def browser_target(location: str) -> str:
    """Return a Location as a browser resolves it: tabs and newlines dropped, outer spaces cut, \\ read as /."""
    return re.sub(r"[\t\n\r]", "", location).strip("\x00 \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c").replace("\\", "/")


@fuzz(40)
@given(target=value | st.sampled_from(["/\\evil.example", "/\t/evil.example", "\\/evil.example", " //evil.example"]))
def test_sign_in_never_sends_the_browser_to_another_site(client, team, target):
    data = {"csrf_token": csrf_token(client), "email": "editor@example.org", "password": PASSWORD}
    response = client.post("/login", data=data, query_string={"next": target})
    if "\x00" in target:
        assert response.status_code == 400
        return
    assert response.status_code == 302
    resolved = browser_target(response.location)
    assert not urlsplit(resolved).scheme and resolved.startswith("/") and not resolved.startswith("//"), resolved
    client.post("/logout", data={"csrf_token": csrf_token(client)})


ARTICLE_FIELDS = ["title", "slug", "summary", "body", "category", "tags", "status", "published_at", "author"]
ARTICLE_FIELDS += ["references", "base_revision", "save", "preview"]
article_changes = changes(
    ARTICLE_FIELDS,
    title=st.text(min_size=1, max_size=40),
    slug=st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    body=st.just("x" * 500_001) | long_text,
    category=ids,
    author=ids,
    status=st.sampled_from([status.value for status in ArticleStatus]),
    published_at=datetimes,
)


def assert_shown(client, response, text: str) -> None:
    """Check an accepted form: the page it sends the browser to shows what was stored, escaped."""
    assert str(escape(text)) in client.get(response.location).get_data(as_text=True)


@fuzz(60)
@given(role=st.sampled_from(["author", "editor"]), changed=article_changes)
def test_new_article_form_never_stores_a_refused_article(client, site, team, login, role, changed):
    login(team[role].email)
    fields = form_fields(client.get("/admin/articles/new").get_data(as_text=True))
    data = overlay({**fields, "title": fresh_name()}, changed)
    before = snapshot()
    response = client.post("/admin/articles/new", data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(client, response, data["title"].strip())
    elif has_nul(data):
        assert response.status_code == 400


@fuzz(50)
@given(changed=article_changes)
def test_edit_form_never_half_saves_an_article(editor, site, changed):
    url = f"/admin/articles/{site.created[0].id}/edit"
    data = overlay(form_fields(editor.get(url).get_data(as_text=True)), changed)
    before = snapshot()
    response = editor.post(url, data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(editor, response, data["title"].strip())


@fuzz(30)
@given(changed=changes(["body"], body=st.sampled_from(HOSTILE) | st.text()))
def test_preview_renders_only_sanitised_html(editor, changed):
    data = overlay({"csrf_token": csrf_token(editor), "body": ""}, changed)
    before = snapshot()
    response = editor.post("/admin/preview", data=data)
    assert response.status_code in (200, 400, 422)
    assert snapshot() == before
    if response.status_code == 200:
        assert not re.search(r"<script|<[^>]+\son\w+=|href=\"javascript:", response.get_data(as_text=True), re.I)


def fresh_name() -> str:
    """Return a name no category, tag or article has yet."""
    return f"Source {secrets.token_hex(4)}"


TAXONOMY_FIELDS = ["name", "slug", "description", "submit", "merge-target", "merge-confirm", "delete-confirm"]
taxonomy_changes = changes(
    TAXONOMY_FIELDS, name=st.text(min_size=1, max_size=20), slug=st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)
)


TAXONOMY_FORMS = {
    "categories": (taxonomy.create_category, ["", "merge"]),
    "tags": (taxonomy.create_tag, ["", "merge", "delete"]),
}


@pytest.mark.parametrize("kind", TAXONOMY_FORMS)
@fuzz(60)
@given(choice=st.integers(0, 2), create=st.booleans(), changed=taxonomy_changes, target=ids)
def test_taxonomy_forms_store_nothing_they_refuse(editor, site, kind, choice, create, changed, target):
    make, actions = TAXONOMY_FORMS[kind]
    action = actions[choice % len(actions)]
    item = make(fresh_name())
    db.session.commit()
    url = f"/admin/{kind}/" if create else f"/admin/{kind}/{item.id}/{action}"
    data = overlay({"csrf_token": csrf_token(editor), "name": fresh_name(), "merge-target": target}, changed)
    before = snapshot()
    response = editor.post(url, data=data)
    if assert_refusal_kept_everything(response, before) and (create or not action):  # a name left out is kept
        assert_shown(editor, response, data.get("name", item.name).strip())
    assert_nothing_injected(response)


USER_FIELDS = ["email", "name", "role", "password", "active", "submit"]
user_changes = changes(
    USER_FIELDS,
    email=emails,
    name=st.text(min_size=1, max_size=20),
    role=st.sampled_from([role.value for role in Role]),
    password=st.text(min_size=10, max_size=20),
)


@fuzz(50)
@given(target=st.sampled_from(["new", "admin", "author", "nobody"]), changed=user_changes)
def test_user_forms_store_nothing_they_refuse(admin, team, target, changed):
    url = {"new": "/admin/users/", "nobody": "/admin/users/999"}.get(target) or f"/admin/users/{team[target].id}"
    data = overlay({"csrf_token": csrf_token(admin), "role": "author", "active": "y", "name": "New Person"}, changed)
    before = snapshot()
    response = admin.post(url, data=data)
    if assert_refusal_kept_everything(response, before) and target == "new":
        assert_shown(admin, response, data["email"].strip().lower())
    assert admin.get("/admin/users/").status_code == 200  # the admin never loses their own access


@fuzz(40)
@given(changed=changes(["disclaimer", "review_due_months", "submit"], review_due_months=numbers))
def test_settings_form_stores_only_valid_settings(admin, changed):
    data = overlay(form_fields(admin.get("/admin/settings").get_data(as_text=True)), changed)
    before = snapshot()
    response = admin.post("/admin/settings", data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(admin, response, data["disclaimer"].strip())


NUMBER_FIELDS = [
    ("/admin/categories/{category}/merge", "merge-target"),
    ("/admin/tags/{tag}/merge", "merge-target"),
    ("/admin/articles/new", "category"),
    ("/admin/articles/new", "author"),
    ("/admin/articles/{article}/edit", "base_revision"),
    ("/admin/settings", "review_due_months"),
]


@fuzz(40)
@for_each("target", NUMBER_FIELDS, number=str(2**63))
@for_each("target", NUMBER_FIELDS, number="²")
@given(target=st.sampled_from(NUMBER_FIELDS), number=numbers)
def test_number_fields_take_any_number(admin, site, target, number):
    owners = {"category": taxonomy.create_category(fresh_name()), "tag": taxonomy.create_tag(fresh_name())}
    db.session.commit()
    address, field = target
    url = address.format(article=site.created[0].id, **{kind: item.id for kind, item in owners.items()})
    if field == "merge-target":
        data = MultiDict({"csrf_token": csrf_token(admin), "merge-confirm": "y"})
    else:
        data = MultiDict({**form_fields(admin.get(url).get_data(as_text=True)), "title": fresh_name()})
    data[field] = number
    before = snapshot()
    response = admin.post(url, data=data)
    assert_refusal_kept_everything(response, before)


def png_bytes() -> bytes:
    """Return a tiny, valid PNG image."""
    out = io.BytesIO()
    Image.new("RGB", (3, 2), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


files = st.binary(max_size=200) | st.just(png_bytes()) | st.binary(max_size=40).map(lambda tail: png_bytes() + tail)


@fuzz(40)
@given(
    content=st.lists(st.tuples(files, value), max_size=2),
    field=st.sampled_from(["image", "other"]),
    changed=changes(["image"]),
)
def test_upload_form_stores_an_image_or_nothing(app, author, tmp_path, content, field, changed):
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    data = overlay({"csrf_token": csrf_token(author)}, changed)
    for blob, filename in content:
        data.add(field, (io.BytesIO(blob), filename))
    stored = set((tmp_path / "uploads").glob("*"))
    before = snapshot()
    response = author.post("/admin/uploads/", data=data, content_type="multipart/form-data")
    accepted = assert_refusal_kept_everything(response, before)
    assert len(set((tmp_path / "uploads").glob("*")) - stored) == (1 if accepted else 0)


ACTIONS = ["articles/{a}/trash", "articles/{a}/review", "trash/{a}/restore", "trash/empty"]
ACTIONS += ["articles/{a}/revisions/{r}/restore"]


@fuzz(40)
@given(
    action=st.sampled_from(ACTIONS),
    article=st.sampled_from(["fresh", "fresh", "trashed"]) | st.integers(0, 99).map(str) | numbers,
    revision=st.sampled_from(["fresh"]) | ids,
    changed=changes(["confirm", "submit"]),
)
def test_article_buttons_change_nothing_when_refused(admin, site, action, article, revision, changed):
    db.session.expunge_all()  # the app may have deleted articles this session still holds, and reused their ids
    fresh = site(fresh_name())
    trashed = site(fresh_name())
    trashed.deleted_at = trashed.updated_at
    db.session.commit()
    a = {"fresh": fresh.id, "trashed": trashed.id}.get(article, article)
    r = latest_revision_id(fresh.id) if revision == "fresh" else revision
    url = "/admin/" + action.format(a=quote(str(a), safe=""), r=quote(str(r), safe=""))
    before = snapshot()
    response = admin.post(url, data=overlay({"csrf_token": csrf_token(admin)}, changed))
    assert_refusal_kept_everything(response, before)


POST_URLS = ["/login", "/logout", "/admin/articles/new", "/admin/articles/{a}/edit", "/admin/preview"]
POST_URLS += ["/admin/articles/{a}/review", "/admin/articles/{a}/trash", "/admin/trash/{a}/restore"]
POST_URLS += ["/admin/trash/empty", "/admin/articles/{a}/revisions/{a}/restore", "/admin/categories/"]
POST_URLS += ["/admin/categories/1/", "/admin/categories/1/merge", "/admin/tags/", "/admin/tags/1/"]
POST_URLS += ["/admin/tags/1/merge", "/admin/tags/1/delete", "/admin/users/", "/admin/users/1", "/admin/settings"]
POST_URLS += ["/admin/uploads/"]


@fuzz(60)
@given(
    url=st.sampled_from(POST_URLS),
    token=st.none() | st.just("tampered") | value,
    changed=changes(TAXONOMY_FIELDS + USER_FIELDS),
)
def test_posts_without_a_valid_csrf_token_are_refused(admin, site, url, token, changed):
    fields = {"name": fresh_name(), "title": fresh_name(), "body": "Text", "category": "1", "status": "draft"}
    fields |= {"email": "new@example.org", "password": PASSWORD, "role": "admin", "merge-target": "2", "confirm": "y"}
    data = overlay(fields, changed)
    if token == "tampered":  # this session's own token with its last character changed
        real = csrf_token(admin)
        token = real[:-1] + ("A" if real[-1] != "A" else "B")
    if token is not None:
        data["csrf_token"] = token
    before = snapshot()
    response = admin.post(url.format(a=site.created[0].id), data=data)
    assert response.status_code == 400
    assert snapshot() == before
    assert admin.get("/admin/").status_code == 200  # still signed in
