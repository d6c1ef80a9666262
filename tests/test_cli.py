"""Commands: init, seed-demo and the search maintenance group."""

import os

from sqlalchemy import func, select

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import Article, Author, Category
from blogapp.search import get_index


def test_init_creates_secret_database_and_index_and_keeps_them(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'i' / 'db.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "i" / "index"),
        }
    )
    app.instance_path = str(tmp_path / "i")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    config_file = tmp_path / "i" / "config.py"
    first = config_file.read_text()
    assert "SECRET_KEY = '" in first and len(first.split("'")[1]) == 64
    assert oct(os.stat(config_file).st_mode)[-3:] == "600"
    assert (tmp_path / "i" / "db.sqlite").exists()
    assert (tmp_path / "i" / "index").is_dir()
    assert runner.invoke(args=["init"]).exit_code == 0
    assert config_file.read_text() == first


def test_seed_demo_loads_the_demo_site_once(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        articles = db.session.scalar(select(func.count(Article.id)))
        assert articles >= 26
        assert db.session.scalar(select(func.count(Category.id))) >= 5
        assert db.session.scalar(select(func.count(Author.id))) >= 3
        assert get_index().pending() == 0
    assert "Added 0 demo articles" in runner.invoke(args=["seed-demo"]).output
    assert "already has articles" in runner.invoke(args=["seed-demo", "--if-empty"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count(Article.id))) == articles
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert "result" in client.get("/search?q=ketamine").get_data(as_text=True)


def test_search_check_reports_unavailable_index(app, runner):
    import shutil

    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "unavailable" in result.output


def test_init_creates_the_folder_of_a_configured_synonyms_file(tmp_path):
    synonyms = tmp_path / "etc" / "blogapp" / "synonyms.txt"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(synonyms),
        }
    )
    app.instance_path = str(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "weed" in synonyms.read_text() and f"synonyms list to {synonyms}" in result.output


def test_init_rebuilds_an_index_written_with_older_fields(app, runner, publish):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    publish("Survives the upgrade")
    whoosh_index.create_in(app.config["SEARCH_INDEX_DIR"], Schema(id=ID(stored=True)))
    result = runner.invoke(args=["init"])
    assert "older version" in result.output and "Indexed 1 articles" in result.output
    assert get_index().check().clean
