"""The safety panel's settings: admins edit them on the settings page, with validation; nobody else may."""

import pytest
from article_editor import form_of
from conftest import csrf_token

from blogapp.content.safety import DEFAULT_MESSAGE, DEFAULT_TERMS


def safety_fields(client) -> dict[str, str]:
    return {key: value for key, value in form_of(client, "/admin/settings").items() if key.startswith("safety-")}


def test_settings_page_shows_the_defaults_naming_no_country(client, team, login):
    login(team["admin"].email)
    html = client.get("/admin/settings").get_data(as_text=True)
    assert "Search safety panel" in html and DEFAULT_MESSAGE in html
    fields = safety_fields(client)
    assert fields["safety-terms"].strip().splitlines() == list(DEFAULT_TERMS) and fields["safety-helpline"] == ""
    assert html.count('id="csrf_token"') == 1  # the two forms' fields keep distinct ids


def test_admin_saves_terms_message_and_helpline_and_searches_follow(client, team, login, publish):
    publish("Sleep hygiene", "Sleep better.")
    login(team["admin"].email)
    data = {**safety_fields(client), "safety-terms": "Insomnia\n\n  sleepless  nights \ninsomnia",
            "safety-message": "Please talk to someone.", "safety-helpline": "Call 555 0100, day or night"}
    response = client.post("/admin/settings/safety", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/settings")
    assert safety_fields(client)["safety-terms"].strip().splitlines() == ["insomnia", "sleepless nights"]
    html = client.get("/search?q=sleepless+night").get_data(as_text=True)
    assert "Please talk to someone." in html and "Call 555 0100, day or night" in html
    assert 'class="safety-panel"' not in client.get("/search?q=suicide").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("safety-message", "   ", "Write the message"),
        ("safety-message", "x" * 501, "500 characters"),
        ("safety-terms", "the\nof", "no word a search can match"),
        ("safety-terms", "y" * 101, "100 characters"),
        ("safety-terms", "\n".join(f"term{n}" for n in range(101)), "100 terms at most"),
        ("safety-helpline", "z" * 201, "200 characters"),
    ],
)
def test_bad_settings_are_refused_with_a_message(client, team, login, field, value, message):
    login(team["admin"].email)
    response = client.post("/admin/settings/safety", data={**safety_fields(client), field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["editor", "author", "reviewer"])
def test_only_admins_may_change_them(client, team, login, role):
    login(team[role].email)
    fields = {"safety-csrf_token": csrf_token(client, "/admin/account"), "safety-terms": "sleep"}
    response = client.post("/admin/settings/safety", data={**fields, "safety-message": "Changed."})
    assert response.status_code == 403
    assert DEFAULT_MESSAGE in client.get("/search?q=suicide").get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused(client, team, login):
    login(team["admin"].email)
    fields = {key: value for key, value in safety_fields(client).items() if key != "safety-csrf_token"}
    assert client.post("/admin/settings/safety", data=fields).status_code in (400, 422)
