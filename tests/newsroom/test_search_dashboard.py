"""The dashboard's search lists: click-through of the top searches, "searched, nothing opened", the safety panel."""

import re

from result_clicks import tokens


def test_dashboard_shows_click_through_nothing_opened_and_panel_count(client, publish, editor):
    publish("Sleep tips", "Sleep well.")
    publish("Naloxone", "Naloxone reverses an opioid overdose.")
    shown = tokens(client, q="sleep")
    tokens(client, q="sleep")
    assert client.post("/search/click", data={"token": shown["/articles/sleep-tips/"]}).status_code == 204
    tokens(client, q="overdose")  # found, nothing opened; shows the safety panel
    client.get("/search?q=unfindable")  # found nothing: not "nothing opened"

    html = client.get("/admin/").get_data(as_text=True)
    section = html.split('id="clicks-heading"')[1].split("</section>")[0]
    assert re.search(r"<tr><td>sleep</td><td>2</td><td>1</td><td>50%</td></tr>", section)
    assert re.search(r"<tr><td>overdose</td><td>1</td><td>0</td><td>0%</td></tr>", section)
    unopened = section.split("Searched, nothing opened")[1]
    assert ">overdose</a></td><td>1</td>" in unopened and "sleep" not in unopened and "unfindable" not in unopened
    assert "Shown for <strong>1</strong> search naming a crisis term." in section


def test_authors_do_not_see_search_lists(client, publish, author):
    assert 'id="clicks-heading"' not in client.get("/admin/").get_data(as_text=True)
