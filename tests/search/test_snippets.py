"""Snippets a reader can scan on a phone, and synonyms that find more without being marked as typed."""

import re

from blogapp.search.snippets import TOTAL_CHARS, snippet
from blogapp.search.synonyms import analyse, parse_synonyms

BODY = (
    "Tension-type headache at a glance\n"
    "Tension-type headache is the most common kind of headache. It feels like a tight band around the head, "
    "on both sides, and it rarely stops people doing what they were doing. Painkillers help now and then.\n"
    "Migraine at a glance\n"
    "Migraine is a disabling headache, often on one side, that throbs and comes with sickness and a dislike "
    "of light. Attacks last from four hours to three days. Many people have a warning aura first."
)


def spans_of(body, *words):
    """Return the (start, end, term) spans of each word's whole-word matches, as the index stores them."""
    found = []
    for word in words:
        for match in re.finditer(rf"\b{word}\b", body, flags=re.IGNORECASE):
            found.append((match.start(), match.end(), analyse(word)[0]))
    return found


def test_snippet_is_two_passages_at_most_one_ellipsis_between_and_phone_sized():
    text = snippet(BODY, spans_of(BODY, "migraine", "throbs", "tight"))
    plain = text.replace("<mark>", "").replace("</mark>", "")
    assert len(plain) <= TOTAL_CHARS + 4
    assert "… …" not in plain and plain.count("…") <= 3  # a cut start, one between, a cut end
    assert "<mark>throbs</mark>" in text and "<mark>Migraine</mark>" in text


def test_heading_does_not_run_into_the_next_sentence():
    text = snippet(BODY, spans_of(BODY, "glance", "common"))
    assert "glance Tension" not in text and "glance Migraine" not in text
    assert "at a <mark>glance</mark> T" not in text


def test_passages_end_on_whole_words():
    text = str(snippet(BODY, spans_of(BODY, "aura")))
    words = set(re.findall(r"\w+", BODY))
    assert set(re.findall(r"\w+", text.replace("<mark>", " ").replace("</mark>", " "))) - {"mark"} <= words


def test_only_the_marked_words_are_highlighted():
    text = snippet(BODY, spans_of(BODY, "migraine", "headache"), marked={"migrain"})
    assert "<mark>Migraine</mark>" in text and "<mark>headache</mark>" not in text


def test_one_way_synonyms_expand_the_typed_side_only():
    synonyms = parse_synonyms("headache => migraine, cluster headache\nsumatriptan, imitrex  # brand\n")
    assert synonyms.expand(analyse("headache")) == (analyse("cluster headache"), analyse("migraine"))
    assert synonyms.expand(analyse("migraine")) == ()
    assert synonyms.expand(analyse("imitrex")) == (analyse("sumatriptan"),)
    assert synonyms.expand(analyse("sumatriptan")) == (analyse("imitrex"),)


def results_html(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_migraine_search_does_not_find_or_mark_headache_articles_as_migraine(client, publish):
    publish("Tension-type headache basics", "A tight band around the head: a headache most people know.")
    publish("Migraine basics", "Migraine throbs on one side of the head.")
    html = results_html(client, "migraine")
    assert "1 result" in html and "<mark>headache</mark>" not in html


def test_expansions_find_more_but_only_typed_words_are_marked(app, client, publish):
    with open(app.config["SEARCH_SYNONYMS_FILE"], "w") as handle:
        handle.write("sumatriptan, imitrex\n")
    publish("Triptans", "Sumatriptan stops a migraine attack for many people.")
    html = results_html(client, "imitrex")
    assert "1 result" in html and "Sumatriptan stops" in html and "<mark>Sumatriptan</mark>" not in html
