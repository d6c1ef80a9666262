"""Editors keep the search synonyms in the newsroom: saved lists apply to the next search, bad lines are named."""

import html
import re

import pytest
from article_editor import form_of
from audit_events import audit_events

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import Setting
from blogapp.search.synonym_store import SETTING_KEY, shipped_text

URL = "/admin/search/vocabulary"


def search(client, text: str, **params) -> str:
    response = client.get("/search", query_string={"q": text, **params})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def saved() -> str | None:
    db.session.expire_all()
    row = db.session.get(Setting, SETTING_KEY)
    return row.value if row is not None else None


@pytest.fixture
def articles(app, publish):
    with open(app.config["SEARCH_SYNONYMS_FILE"], "w", encoding="utf-8") as handle:
        handle.write("hangover => nausea\n")  # a small list of the server's own, in effect until one is saved
    publish("Champix and quitting", "How varenicline tablets ease cravings.", hours_ago=1)
    publish("Nicotine gum", "Chewing gum for cravings.", hours_ago=2)


def test_a_saved_rule_applies_to_the_next_search_with_its_notice(client, editor, articles):
    before = search(client, "stop smoking pill")
    assert "Including results for" not in before and "result-count" not in before  # nothing found
    data = form_of(client, URL)
    rules = "stop smoking pill => varenicline, nicotine gum\nchantix, champix\n"
    response = client.post(URL, data={**data, "rules": rules})
    assert response.status_code == 302
    assert "Synonyms saved: 2 groups" in client.get(URL).get_data(as_text=True)
    after = search(client, "stop smoking pill")
    assert "2 results" in after
    assert "Including results for nicotine gum, varenicline." in after
    assert "1 result" in search(client, "varenicline")  # one way: the narrow word does not find the broad rule
    [event] = audit_events("synonyms.changed")
    assert event.actor_email == editor.email and event.detail["groups"] == 2


def test_a_page_kept_before_the_edit_is_not_served_after_it(client, editor, articles):
    kept = search(client, "champix")
    assert "1 result" in kept and "Including results for" not in kept
    data = form_of(client, URL)
    assert client.post(URL, data={**data, "rules": "champix => nicotine gum"}).status_code == 302
    fresh = search(client, "champix")
    assert "2 results" in fresh and "Including results for nicotine gum." in fresh


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("tylenol, paracetamol\nthe, of\n", "Line 2: “the” has no word search can use"),
        ("# heading\n\n => varenicline\n", "Line 3: nothing before “=>”"),
        ("champix =>\n", "Line 1: nothing after “=>”"),
        ("a => b => c\n", "Line 1: more than one “=>”"),
        ("tylenol\n", "Line 1: a group needs two or more different entries"),
        ("x, " + ", ".join(f"word{n}" for n in range(120)) + "\n", "Line 1: longer than 500 characters"),
        ("one two three four five six seven, eight\n", "is longer than 6 words"),
        ("ache, pain\n" * 5001, "it may have at most 5,000"),
        ("ache, pain\n# " + "x" * 260_000, "it may be at most 250,000"),
    ],
)
def test_lines_that_cannot_work_are_refused_by_number_and_nothing_is_saved(client, editor, rules, message):
    data = form_of(client, URL)
    response = client.post(URL, data={**data, "rules": rules})
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert saved() is None
    assert audit_events("synonyms.changed") == []


def test_restoring_puts_the_shipped_list_back(client, editor):
    data = form_of(client, URL)
    client.post(URL, data={**data, "rules": "champix, chantix\n"})
    assert saved() == "champix, chantix\n"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(URL).get_data(as_text=True)).group(1)
    response = client.post(f"{URL}/restore", data={"csrf_token": token})
    assert response.status_code == 302
    assert saved() == shipped_text().strip() + "\n"
    assert [event.detail["restored"] for event in audit_events("synonyms.changed")] == [False, True]


def test_authors_may_not_edit_the_list(client, author):
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"rules": "a, b"}).status_code in (400, 403)
    assert saved() is None


def test_posts_without_the_csrf_token_are_refused(client, editor):
    data = form_of(client, URL)
    data.pop("csrf_token")
    assert client.post(URL, data={**data, "rules": "champix, chantix"}).status_code == 400
    assert client.post(f"{URL}/restore").status_code == 400
    assert saved() is None


def test_the_page_shows_the_list_in_effect_and_is_linked_from_the_newsroom(app, client, editor):
    with open(app.config["SEARCH_SYNONYMS_FILE"], "w", encoding="utf-8") as handle:
        handle.write("champix, chantix\nzyban, bupropion\n")
    page = html.unescape(client.get(URL).get_data(as_text=True))
    assert "2 groups, from the server's synonyms file" in page and "zyban, bupropion" in page
    assert f'href="{URL}"' in client.get("/admin/").get_data(as_text=True)


def test_the_page_submitted_as_it_is_saves_the_list_in_effect(client, editor):
    page = client.get(URL).get_data(as_text=True)
    shown = html.unescape(re.search(r'<textarea[^>]*name="rules"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1))
    data = {**form_of(client, URL), "rules": shown}
    assert client.post(URL, data=data).status_code == 302
    assert saved() == shipped_text().strip() + "\n"


def test_another_app_node_uses_the_saved_list_at_its_next_search(app, client, editor, articles):
    other = create_app({**app.config, "SEARCH_SYNONYMS_FILE": app.config["SEARCH_SYNONYMS_FILE"] + ".other"})
    other.test_client_class = type(client)
    reader = other.test_client()
    # Its own file does not exist: the shipped list applies, and its caches now hold it.
    assert "Including results for varenicline." in search(reader, "champix")
    data = form_of(client, URL)
    assert client.post(URL, data=data | {"rules": "champix => nicotine gum"}).status_code == 302
    assert "Including results for nicotine gum." in search(reader, "champix")  # the saved list, not its file
    with other.app_context():
        db.engine.dispose()
