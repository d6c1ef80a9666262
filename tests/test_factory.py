"""Configuration layers: defaults, instance/config.py, BLOGAPP_* environment, DATABASE_URL, test mapping."""

from blogapp import create_app
from blogapp.extensions import db


def test_defaults_point_state_at_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/blogapp.sqlite"
    assert app.config["SEARCH_INDEX_DIR"] == f"{app.instance_path}/search-index"
    assert app.config["SECRET_KEY"]


def test_test_mapping_wins():
    assert create_app({"TESTING": True}).testing


def test_environment_layers(monkeypatch):
    monkeypatch.setenv("BLOGAPP_SITE_NAME", "Env Site")
    monkeypatch.setenv("BLOGAPP_ARTICLES_PER_PAGE", "7")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/elsewhere.sqlite")
    app = create_app()
    assert app.config["SITE_NAME"] == "Env Site"
    assert app.config["ARTICLES_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.sqlite"
    assert create_app({"SITE_NAME": "Test Site"}).config["SITE_NAME"] == "Test Site"


def test_sqlite_busy_timeout_is_a_setting(tmp_path):
    database = f"sqlite:///{tmp_path}/blog.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database, "SQLITE_BUSY_TIMEOUT": 0.25})
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250


def test_instance_config_file_layer(tmp_path, monkeypatch):
    import blogapp

    (tmp_path / "config.py").write_text("SITE_NAME = 'From instance'\nSECRET_KEY = 'file-secret'\n")
    original = blogapp.Flask

    def flask_with_instance(*args, **kwargs):
        kwargs["instance_path"] = str(tmp_path)
        return original(*args, **kwargs)

    monkeypatch.setattr(blogapp, "Flask", flask_with_instance)
    monkeypatch.setenv("BLOGAPP_SECRET_KEY", "env-secret-of-some-length")
    app = create_app()
    assert app.config["SITE_NAME"] == "From instance"
    assert app.config["SECRET_KEY"] == "env-secret-of-some-length"
