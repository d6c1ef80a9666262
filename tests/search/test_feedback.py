"""Feedback for loose searches of several words: the best matches' shared words lift the articles that hold them."""

QUERY = "lantern harbour violin meadow"


def titles_in_order(client, query, titles):
    """Return the given titles in the order a search's result page shows them."""
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")
    return sorted(titles, key=html.index)


def publish_loose_matches(publish):
    """Publish two strong matches sharing "saffron", and two weak ones of which only the later has it."""
    for number in range(4):
        publish(f"Filler {number}", "Plain text about nothing in particular, written to fill the index.")
    publish("Alpha", "Lantern harbour violin. Saffron saffron saffron, and more saffron.")
    publish("Bravo", "Harbour violin. Saffron, saffron and saffron here.")
    publish("Delta", "A meadow. Thistle thistle thistle, with some thistle.")
    publish("Charlie", "A meadow. Saffron saffron saffron, with some saffron.")


def test_a_loose_search_lifts_the_weak_match_sharing_the_best_matches_words(client, publish):
    publish_loose_matches(publish)
    order = titles_in_order(client, QUERY, ["Alpha", "Bravo", "Charlie", "Delta"])
    assert order == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert titles_in_order(client, QUERY, order) == order  # the same order every time


def test_no_feedback_when_an_article_holds_every_word(client, publish):
    publish_loose_matches(publish)
    publish("Echo", "Lantern, harbour, violin and meadow, all four.")
    order = titles_in_order(client, QUERY, ["Echo", "Alpha", "Bravo", "Charlie", "Delta"])
    # Charlie and Delta score alike on "meadow": the earlier-indexed one first, as without feedback.
    assert order == ["Echo", "Alpha", "Bravo", "Delta", "Charlie"]


def test_no_feedback_for_a_search_of_three_words(client, publish):
    publish_loose_matches(publish)
    order = titles_in_order(client, "lantern harbour meadow", ["Alpha", "Bravo", "Charlie", "Delta"])
    assert order.index("Delta") < order.index("Charlie")
