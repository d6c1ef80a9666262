"""The results page says which synonyms a search also looked for, with a way to search the typed words only."""

import html as markup
import re

import pytest


def page(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def link_after(text: str, label: str) -> str:
    """Return the address of the link whose text starts with `label`."""
    found = re.search(r'<a href="([^"]+)">' + re.escape(label), text)
    assert found, label
    return markup.unescape(found.group(1))


@pytest.fixture
def articles(app, publish):
    with open(app.config["SEARCH_SYNONYMS_FILE"], "w", encoding="utf-8") as handle:
        handle.write("acetaminophen, paracetamol, Tylenol\nhangover => nausea\n")
    publish("Paracetamol doses", "How much paracetamol is safe in a day.", hours_ago=1)
    publish("Tylenol and alcohol", "Why Tylenol and drinking do not mix.", hours_ago=2)
    publish("Ketamine clinics", "What a ketamine infusion is like.", hours_ago=3)


def test_expansions_are_named_with_a_link_to_the_typed_words_only(client, articles):
    expanded = page(client, q="paracetamol")
    assert "2 results" in expanded
    assert "Including results for Tylenol." in expanded  # acetaminophen is in no article: not named
    assert "<mark>Tylenol" not in expanded  # expansions are not marked as typed
    verbatim = client.get(link_after(expanded, "Search only for paracetamol"))
    assert verbatim.status_code == 200
    exact = verbatim.get_data(as_text=True)
    assert "1 result" in exact and "/paracetamol-doses/" in exact and "Tylenol and alcohol" not in exact
    assert "Showing results for exactly: <strong>paracetamol</strong>" in exact
    assert "Including results for" not in exact
    back = client.get(link_after(exact, "Include related words")).get_data(as_text=True)
    assert "2 results" in back and "Including results for Tylenol." in back


def test_no_notice_without_expansions(client, articles):
    plain = page(client, q="ketamine")
    assert "1 result" in plain
    assert "Including results for" not in plain and "Showing results for exactly" not in plain
    # One-way rule: the added word is in no article, so nothing is named.
    assert "Including results for" not in page(client, q="hangover")


def test_the_verbatim_page_is_kept_apart_from_the_expanded_one(client, articles):
    assert "2 results" in page(client, q="tylenol")
    assert "1 result" in page(client, q="tylenol", verbatim="1")
    assert "2 results" in page(client, q="tylenol")
    assert "1 result" in page(client, q="tylenol", verbatim="1", sort="newest")


@pytest.mark.parametrize("value", ["0", "yes", "", "%00", "1" * 300])
def test_other_verbatim_values_are_ignored(client, articles, value):
    text = page(client, q="paracetamol", verbatim=value)
    assert "2 results" in text and "Including results for Tylenol." in text
