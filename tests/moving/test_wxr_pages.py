"""WordPress pages come in as the site's pages: slugs, statuses, bodies and old addresses; never twice."""

from wordpress_exports import WPI, needs_shared_exports, run

from blogapp.extensions import db
from blogapp.models import Page, PageStatus, Redirect

pytestmark = needs_shared_exports


def pages() -> dict[str, Page]:
    return {page.slug: page for page in db.session.scalars(db.select(Page))}


def test_small_export_brings_its_pages_with_slugs_statuses_and_old_addresses(client, runner, ctx):
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0, result.output
    assert "Imported 6 posts and 5 pages; skipped 0." in result.output
    found = pages()
    assert set(found) == {"sample-page", "child-page", "parent-page", "draft-page", "1-col-page"}
    assert found["draft-page"].status == PageStatus.DRAFT and found["sample-page"].status == PageStatus.PUBLISHED
    assert not any(page.in_footer for page in found.values())  # an editor chooses the footer's pages
    html = client.get("/sample-page/").get_data(as_text=True)
    assert "<title>Sample Page — " in html and "This is an example page" in html
    assert client.get("/draft-page/").status_code == 404
    response = client.get("/?page_id=2")
    assert response.status_code == 301 and response.location.endswith("/sample-page/")
    assert client.get("/?page_id=9").status_code == 404  # a draft's old address leads nowhere yet
    assert "<loc>http://localhost/child-page/</loc>" in client.get("/sitemap.xml").get_data(as_text=True)

    again = run(runner, WPI / "phpunit_data_small-export.xml")
    assert "Imported 0 posts; skipped 11." in again.output and len(pages()) == 5


def test_pages_under_pretty_permalinks_keep_their_nested_addresses(client, runner, ctx, tmp_path):
    export = (WPI / "phpunit_data_small-export.xml").read_text(encoding="utf-8")
    export = export.replace("<link>http://localhost/?page_id=4</link>", "<link>http://localhost/parent-page/child-page/</link>")
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    assert run(runner, path).exit_code == 0
    response = client.get("/parent-page/child-page/")
    assert response.status_code == 301 and response.location.endswith("/child-page/")
    assert client.get("/child-page/").status_code == 200


def test_a_page_never_takes_a_sites_own_address_or_a_posts(client, runner, ctx, tmp_path):
    export = (WPI / "phpunit_data_small-export.xml").read_text(encoding="utf-8")
    export = export.replace("<wp:post_name>sample-page</wp:post_name>", "<wp:post_name>search</wp:post_name>")
    export = export.replace("<wp:post_name>1-col-page</wp:post_name>", "<wp:post_name>hello-world</wp:post_name>")
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert {"search-2", "hello-world-2"} <= set(pages()), set(pages())
    assert client.get("/search?q=hello").status_code == 200
    assert client.get("/hello-world/").location.endswith("/articles/hello-world/")


def test_dry_run_writes_no_page(client, runner, ctx):
    result = run(runner, WPI / "phpunit_data_small-export.xml", "--dry-run")
    assert "Would import 6 posts and 5 pages" in result.output and pages() == {}


def test_a_posts_old_address_where_a_page_already_lives_is_not_kept(client, runner, ctx):
    db.session.add(Page(title="Hello", slug="hello-world", status="published"))
    db.session.commit()
    assert run(runner, WPI / "phpunit_data_small-export.xml").exit_code == 0
    assert db.session.scalar(db.select(Redirect).where(Redirect.old_path == "/hello-world/")) is None
    assert client.get("/hello-world/").status_code == 200 and client.get("/articles/hello-world/").status_code == 200
