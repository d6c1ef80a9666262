"""The safety panel: shown above the results of a search naming a crisis term, in any form, and counted in the log."""

import pytest
from sqlalchemy import select

from blogapp.content.raw_query import watch_statements
from blogapp.content.safety import DEFAULT_MESSAGE, SafetySettings, save_safety_settings
from blogapp.extensions import db
from blogapp.models import SearchLogEntry

PANEL = 'class="safety-panel" role="note"'


def page(client, q: str) -> str:
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def articles(publish):
    publish("Overdose: what to do", "Call for help if someone overdosed on opioids; naloxone can reverse it.")
    publish("Sleep hygiene", "Sleep better with a routine.")


@pytest.mark.parametrize(
    "q", ["suicide", "Suicidal thoughts", "overdosing", "what to do when someone overdoses", "KILLING myself"]
)
def test_search_naming_a_crisis_term_in_any_form_shows_the_panel_first(client, articles, q):
    html = page(client, q)
    assert PANEL in html and DEFAULT_MESSAGE in html
    assert 'aria-labelledby="safety-panel-heading"' in html and '<h2 id="safety-panel-heading">' in html
    if 'class="results"' in html:
        assert html.index(PANEL) < html.index('class="results"')


def test_panel_shows_on_a_zero_result_page_too(client, articles):
    html = page(client, "self-harm")
    assert "No articles match" in html and PANEL in html


@pytest.mark.parametrize("q", ["sleep", "kill", "myself", "self esteem", "harmless", "life expectancy"])
def test_other_searches_show_no_panel(client, articles, q):
    assert PANEL not in page(client, q)


def test_a_phrase_matches_only_as_a_phrase(client, articles):
    assert PANEL not in page(client, "myself kill")  # the words of "kill myself", not in its order
    assert PANEL in page(client, "thoughts of killing myself")


def test_edited_settings_apply_at_once_and_are_escaped(app, client, articles, ctx):
    assert PANEL not in page(client, "sleep")
    message = "Talk to someone <b>now</b> & stay safe."
    save_safety_settings(SafetySettings(terms=("sleep deprivation", "insomnia"), message=message, helpline="Call 555"))
    db.session.commit()
    html = page(client, "Sleep deprived")
    assert PANEL in html and "Talk to someone &lt;b&gt;now&lt;/b&gt; &amp; stay safe." in html
    assert '<p class="helpline">Call 555</p>' in html
    assert PANEL not in page(client, "suicide")  # no longer a term


def test_panel_is_shown_from_a_kept_result_page_as_well(client, articles):
    for _ in range(2):  # the second search is answered from the result cache
        assert PANEL in page(client, "overdose")


def test_search_log_counts_searches_that_showed_the_panel(client, articles, ctx):
    for q in ("overdose", "sleep", "suicidal", "overdose"):
        page(client, q)
    client.get("/search", query_string={"q": "overdose", "page": 2})  # past the last page: 404, not logged
    rows = db.session.execute(select(SearchLogEntry.query, SearchLogEntry.safety_panel)).all()
    assert sorted(rows) == [("overdose", True), ("overdose", True), ("sleep", False), ("suicidal", True)]


def test_settings_are_read_once_per_content_version_not_per_search(app, client, articles, ctx):
    def statements(q: str) -> list[str]:
        with watch_statements(db.engine) as seen:
            page(client, q)
        # The safety panel's keys are read together; the synonyms list (its own key) has its own statement.
        return [statement for statement, _ in seen if "FROM settings" in statement and " IN (" in statement]

    assert len(statements("overdose")) == 1
    assert statements("overdose") == statements("sleep") == []
    save_safety_settings(SafetySettings(terms=("insomnia",), message="Help.", helpline=""))
    db.session.commit()  # a new content version: read again, once
    assert len(statements("insomnia")) == 1 and statements("insomnia") == []
