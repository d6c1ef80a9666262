"""Ranking faults a reader notices: the article titled as the query, generic question words."""


def results_text(client, query):
    """Return a search's result page without highlighting, so titles can be found in order."""
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")
    return html


def test_article_titled_as_the_query_ranks_above_passing_mentions(client, publish):
    for topic in ("Sleep", "Back pain", "Cravings"):
        publish(f"{topic} basics", f"{topic} is the subject here.")
    publish(
        "Headache notes",
        "Medication matters. Overuse of anything matters. A headache, a medication, an overuse, "
        "medication again and headache again, and overuse of painkillers once more.",
    )
    publish("Medication overuse headache", "Taking tablets on too many days keeps a headache going.")
    html = results_text(client, "medication overuse headache")
    assert html.index("Medication overuse headache") < html.index("Headache notes")


def test_question_words_do_not_outweigh_the_topic_word(client, publish):
    for number in range(5):
        publish(f"Notes {number}", "How does this work? Here is how it does work, and how it works for you.")
    publish("Insomnia explained", "Insomnia is trouble getting to sleep or staying asleep.")
    html = results_text(client, "how does insomnia work")
    assert html.index("Insomnia explained") < min(html.index(f"Notes {n}") for n in range(5))
