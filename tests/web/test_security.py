"""Security headers on every response; no serving without a real SECRET_KEY."""

import logging

import click
import pytest

import blogapp
from blogapp import create_app
from blogapp.web.security import InsecureSecretKey


@pytest.fixture
def bare_instance(tmp_path, monkeypatch):
    """Point create_app at an empty instance folder (no instance/config.py) with no BLOGAPP_SECRET_KEY."""
    original = blogapp.Flask

    def flask_with_instance(*args, **kwargs):
        kwargs["instance_path"] = str(tmp_path)
        return original(*args, **kwargs)

    monkeypatch.setattr(blogapp, "Flask", flask_with_instance)
    monkeypatch.delenv("BLOGAPP_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'blog.sqlite'}")
    return tmp_path


@pytest.mark.parametrize("key", [None, "", "dev", "short-key", "you-will-never-guess", "  CHANGEME-changeme "])
def test_production_refuses_missing_or_default_secret_key(bare_instance, monkeypatch, key):
    if key is not None:
        monkeypatch.setenv("BLOGAPP_SECRET_KEY", key)
    with pytest.raises(InsecureSecretKey, match="flask --app blogapp init"):
        create_app()


def test_production_starts_with_a_real_secret_key(bare_instance):
    (bare_instance / "config.py").write_text("SECRET_KEY = 'a3f1c9e07b2d4c58a9e6f0b1d2c3e4f5'\n")
    assert create_app().config["SECRET_KEY"] == "a3f1c9e07b2d4c58a9e6f0b1d2c3e4f5"


def test_flask_commands_start_without_a_key_so_init_can_write_one(bare_instance):
    with click.Context(click.Command("init")):
        app = create_app()
    assert len(app.config["SECRET_KEY"]) == 64


def test_init_does_not_warn_about_the_key_it_writes_but_serving_does(bare_instance, monkeypatch):
    warnings = []
    monkeypatch.setattr(logging.Logger, "warning", lambda logger, message, *args, **kwargs: warnings.append(message))
    with click.Context(click.Command("init")):
        app = create_app()
    assert not [message for message in warnings if "SECRET_KEY" in message]
    app.test_client().get("/no-such-page/")
    app.test_client().get("/no-such-page/")
    assert len([message for message in warnings if "SECRET_KEY is missing or too weak" in message]) == 1


def test_debug_mode_uses_a_temporary_key(bare_instance):
    assert len(create_app({"DEBUG": True}).config["SECRET_KEY"]) == 64


@pytest.mark.parametrize(
    "path", ["/", "/search?q=migraine", "/no-such-page/", "/feed.xml", "/login", "/static/site.js"]
)
def test_every_response_carries_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: a browser would ignore it anyway


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://blog.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_headers_also_on_cached_and_not_modified_answers(client, publish):
    publish("Cached page")
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    cached = client.get("/")
    assert again.status_code == 304
    for response in (again, cached):
        assert response.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
