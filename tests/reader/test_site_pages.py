"""Site pages for readers: short addresses, the footer menu, the sitemap, 404 for drafts, never shadowing."""

import re

import pytest

from blogapp.content.pages import free_slug, save_page, slug_clash, trash_page
from blogapp.extensions import db
from blogapp.models import Page, PageStatus, Redirect


def make_page(title, slug, *, status=PageStatus.PUBLISHED, in_footer=True, menu_order=0, body="Who we are.",
              in_header=False) -> Page:
    """Save a page through the page service and commit it."""
    page = save_page(
        Page(), title=title, slug=slug, body=body, status=status, in_footer=in_footer, menu_order=menu_order,
        in_header=in_header,
    )
    db.session.commit()
    return page


def footer_links(html: str) -> list[str]:
    """Return the link texts of the footer menu."""
    footer = html[html.index('<footer class="site-footer">') :]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', footer)


def test_published_page_has_its_short_address_title_and_canonical(client, ctx):
    make_page("About us", "about", body="## Who we are\n\nA small team of **clinicians**.")
    response = client.get("/about/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>About us — Treatment Notes</title>" in html
    assert '<link rel="canonical" href="http://localhost/about/">' in html
    assert "<strong>clinicians</strong>" in html and "<h1>About us</h1>" in html
    assert client.get("/about").location.endswith("/about/")  # the address without its slash leads there
    assert client.get("/about-us").status_code == 404  # no page: no redirect to an address that is not there


def test_draft_and_trashed_pages_are_404_for_readers(client, ctx):
    make_page("Privacy", "privacy", status=PageStatus.DRAFT)
    assert client.get("/privacy/").status_code == 404
    contact = make_page("Contact", "contact")
    assert client.get("/contact/").status_code == 200
    trash_page(contact)
    db.session.commit()
    assert client.get("/contact/").status_code == 404
    assert "Contact" not in footer_links(client.get("/").get_data(as_text=True))


def test_footer_links_published_footer_pages_in_order_on_every_reader_page(client, publish):
    article = publish("Migraine basics")
    make_page("Privacy", "privacy", menu_order=5)
    make_page("About", "about", menu_order=1)
    make_page("Hidden", "hidden", in_footer=False)
    make_page("Draft", "draft-page", status=PageStatus.DRAFT)
    for url in ("/", f"/articles/{article.slug}/", "/categories/", "/category/treatments/", "/search?q=migraine",
                "/no-such-page/", "/about/"):
        assert footer_links(client.get(url).get_data(as_text=True)) == ["About", "Privacy"], url


def header_links(html: str) -> list[str]:
    """Return the link texts of the header's main menu."""
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', nav)


def test_header_menu_links_published_header_pages_in_order_on_every_reader_page(client, publish):
    article = publish("Migraine basics")
    make_page("Contact", "contact", menu_order=4, in_header=True)
    make_page("About", "about", menu_order=1, in_header=True, in_footer=False)  # header only
    make_page("Privacy", "privacy", menu_order=2)  # footer only
    make_page("Neither", "neither", in_footer=False)
    make_page("Draft", "draft-page", status=PageStatus.DRAFT, in_header=True)
    for url in ("/", f"/articles/{article.slug}/", "/categories/", "/category/treatments/", "/search?q=migraine",
                "/no-such-page/", "/about/"):
        html = client.get(url).get_data(as_text=True)
        assert header_links(html) == ["Latest", "Topics", "About", "Contact"], url
        assert footer_links(html) == ["Privacy", "Contact"], url
    assert client.get("/neither/").status_code == 200  # in no menu, still at its address


def test_a_pages_menus_chosen_in_the_newsroom_change_the_header_at_once(client, editor):
    page = make_page("About", "about")
    form = client.get(f"/admin/pages/{page.id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = {"title": "About", "slug": "about", "body": "Us.", "status": "published", "in_header": "y",
            "menu_order": "0", "save": "Save", "csrf_token": token}
    assert client.post(f"/admin/pages/{page.id}/edit", data=data).status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert header_links(html) == ["Latest", "Topics", "About"] and footer_links(html) == []


def test_a_page_change_reaches_the_footer_and_sitemap_at_once(client, ctx):
    assert footer_links(client.get("/").get_data(as_text=True)) == []
    first = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/about/" not in first
    page = make_page("About", "about")
    assert footer_links(client.get("/").get_data(as_text=True)) == ["About"]
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>http://localhost/about/</loc>" in sitemap
    page.status = PageStatus.DRAFT
    db.session.commit()
    assert "/about/" not in client.get("/sitemap.xml").get_data(as_text=True)
    assert footer_links(client.get("/").get_data(as_text=True)) == []


@pytest.mark.parametrize("slug", ["articles", "category", "categories", "tag", "author", "search", "admin", "static",
                                  "uploads", "login", "feed"])
def test_a_page_can_never_take_a_sites_own_address(ctx, slug):
    assert "site's own addresses" in slug_clash(slug)
    assert free_slug(slug) == f"{slug}-2"


def test_article_and_category_addresses_win_and_old_addresses_are_not_shadowed(client, publish):
    article = publish("Hello world")
    db.session.add(Redirect(old_path="/hello-world/", article=article))
    db.session.commit()
    assert "old address" in slug_clash("hello-world")
    assert free_slug("hello-world") == "hello-world-2"
    make_page("Treatments", "treatments")  # the category's slug: the page lives at /treatments/, the category stays
    assert client.get("/category/treatments/").status_code == 200
    assert "<h1>Treatments</h1>" in client.get("/treatments/").get_data(as_text=True)
    assert client.get("/hello-world/").location.endswith(f"/articles/{article.slug}/")
    assert client.get("/nothing-here/").status_code == 404


def test_a_published_pages_old_slug_leads_to_its_new_address(client, ctx):
    page = make_page("About", "about")
    save_page(page, title="About us", slug="about-us", body=page.body, status=PageStatus.PUBLISHED,
              in_footer=True, menu_order=0)
    db.session.commit()
    response = client.get("/about/")
    assert response.status_code == 301 and response.location.endswith("/about-us/")
    assert slug_clash("about", page.id) is None  # it may take its old address back
    assert slug_clash("about") is not None

