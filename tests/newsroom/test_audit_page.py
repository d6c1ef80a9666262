"""The newsroom's audit log page: admins only, filters by action, actor and dates, a page at a time."""

import re
from datetime import datetime

import pytest

from blogapp.content import audit
from blogapp.extensions import db

URL = "/admin/audit/"


def rows(html: str) -> list[str]:
    """Return the text of the table's body rows."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [re.sub(r"<[^>]+>", " ", row) for row in body.split("<tr>")[1:]]


@pytest.fixture
def history(team):
    """Commit 120 events: uploads by the author on 1-60 March 2026, sign-outs by the editor the days after."""
    for n in range(120):
        actor, action = (team["author"], "upload.created") if n < 60 else (team["editor"], "signout")
        event = audit.record(action, ("upload", n, f"image-{n}.png"), {"n": n}, actor=actor)
        event.created_at = datetime(2026, 3, 1, 12) + (n * (datetime(2026, 3, 2) - datetime(2026, 3, 1)))
    db.session.commit()


@pytest.mark.parametrize("role", ["editor", "author", "reviewer"])
def test_only_admins_may_read_the_audit_log(client, team, login, role):
    login(team[role].email)
    assert client.get(URL).status_code == 403
    assert 'href="/admin/audit/"' not in client.get("/admin/").get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_sign_in(client, ctx):
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_admin_pages_through_the_log_newest_first(client, team, login, history):
    login(team["admin"].email)
    assert 'href="/admin/audit/"' in client.get("/admin/").get_data(as_text=True)
    first = client.get(URL)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    html = first.get_data(as_text=True)
    found = rows(html)
    assert len(found) == 50 and "signin.succeeded" in found[0] and "image-119.png" in found[1]
    assert "Page 1 of 3" in html and 'href="/admin/audit/?page=2"' in html
    last = rows(client.get(URL + "?page=3").get_data(as_text=True))
    assert len(last) == 21 and "image-0.png" in last[-1]
    assert client.get(URL + "?page=4").status_code == 404


def test_filters_by_action_actor_and_dates_and_keeps_them_in_page_links(client, team, login, history):
    login(team["admin"].email)
    html = client.get(URL + "?action=upload.created&actor=Author@Example.org").get_data(as_text=True)
    found = rows(html)
    assert len(found) == 50 and all("upload.created" in row and "author@example.org" in row for row in found)
    assert "page=2" in html and "action=upload.created" in html.split('rel="next"')[1].split(">")[0]
    by_dates = rows(client.get(URL + "?since=2026-03-10&until=2026-03-12").get_data(as_text=True))
    assert [re.search(r"image-\d+", row).group() for row in by_dates] == ["image-11", "image-10", "image-9"]
    assert rows(client.get(URL + "?actor=nobody@example.org").get_data(as_text=True)) == []
    assert "No audit events match." in client.get(URL + "?actor=nobody@example.org").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "Not a valid date value."),
        ("action=article.deleted_everything", "Not a valid choice."),
        ("since=2026-03-12&until=2026-03-10", "The end date is before the start date."),
        ("actor=" + "a" * 300, "Field cannot be longer than 254 characters."),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, team, login, query, message):
    login(team["admin"].email)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
