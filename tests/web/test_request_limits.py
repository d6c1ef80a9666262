"""Requests the site refuses before any work: a Host it does not serve, a form too large to be worth reading."""

import pytest

from blogapp.web.requests import trusted_hosts

MANY_FIELDS = "&".join(f"f{i}=1" for i in range(200_000))  # 2.2 MB: a second or more of a worker to parse


@pytest.mark.parametrize("path", ["/", "/category/anything", "/feed.xml", "/sitemap.xml", "/login", "/search?q=x"])
def test_a_foreign_host_gets_400_and_never_reaches_a_link(client, publish, path):
    publish("Hosted here")
    client.get("/")  # the home page is now in the page cache, which must not answer a foreign host either
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.data
    assert "SITE_URL" in response.get_data(as_text=True)


def test_a_foreign_host_gets_no_redirect_to_itself(client, publish):
    article = publish("Trailing slash")
    response = client.get(f"/articles/{article.slug}", headers={"Host": "evil.example"})  # would redirect to .../
    assert response.status_code == 400 and "Location" not in response.headers


def test_site_url_names_the_host_served(app, client, publish):
    article = publish("Canonical here")
    response = client.get(f"/articles/{article.slug}/", base_url="https://blog.example.org")
    assert response.status_code == 200
    assert 'href="https://blog.example.org/' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("settings", "hosts"),
    [
        ({"SITE_URL": "https://notes.example.org/blog"}, ["notes.example.org"]),
        ({"SITE_URL": None}, ["localhost", "127.0.0.1"]),
        ({"SITE_URL": "https://a.example", "TRUSTED_HOSTS": ["a.example", ".b.example"]}, ["a.example", ".b.example"]),
    ],
)
def test_trusted_hosts_come_from_the_setting_or_site_url(settings, hosts):
    assert trusted_hosts(settings) == hosts


def test_an_anonymous_form_with_a_million_fields_is_refused_unread(client):
    response = client.post("/login", data=MANY_FIELDS, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True).lower()


def test_a_multipart_form_with_a_hundred_thousand_fields_is_refused_unread(client):
    boundary = "b0undary"
    field = '--{}\r\nContent-Disposition: form-data; name="f{}"\r\n\r\n1\r\n'
    fields = "".join(field.format(boundary, n) for n in range(100_000))
    body = f"{fields}--{boundary}--\r\n".encode()
    response = client.post("/login", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413


def test_a_sign_in_form_of_normal_size_is_read(client, login, team):
    assert login(team["editor"].email).status_code == 302
