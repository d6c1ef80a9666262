"""Any address, query string or path: never a server error, nothing injected, and newsroom reads write nothing."""

from urllib.parse import quote, quote_from_bytes, urlencode

from hostile_input import (
    assert_nothing_injected,
    assert_storable,
    for_each,
    fuzz,
    ids,
    numbers,
    published_site,
    signed_in,
    snapshot,
    unseeded_segment_names,
    value,
)
from hypothesis import event, given
from hypothesis import strategies as st

from blogapp.models import MAX_ID

_unseeded_segment_names = unseeded_segment_names()
admin = signed_in("admin")
site = published_site()


READER_URLS = ["/", "/categories/", "/category/treatments/", "/tag/sleep/", "/author/ann-writer/"]
READER_URLS += ["/articles/sleep-and-treatment-1/", "/search", "/search/suggest", "/feed.rss", "/feed.atom"]
READER_URLS += ["/category/treatments/feed.rss", "/tag/sleep/feed.atom", "/author/ann-writer/feed.rss"]
READER_URLS += ["/sitemap.xml", "/sitemap-1.xml", "/robots.txt", "/opensearch.xml", "/healthz", "/login"]
QUERY_KEYS = ["q", "page", "category", "tag", "author", "sort", "exact", "p", "hl", "v", "next", "a", "b"]
query_pairs = st.tuples(
    st.fixed_dictionaries({}, optional={key: st.lists(numbers | value, min_size=1, max_size=2) for key in QUERY_KEYS}),
    st.lists(st.tuples(st.text(max_size=5), value), max_size=2),
).map(lambda parts: [(key, item) for key, items in parts[0].items() for item in items] + parts[1])


@fuzz(120)
@given(url=st.sampled_from(READER_URLS), pairs=query_pairs)
def test_reader_pages_answer_any_query_parameters(client, site, url, pairs):
    response = client.get(url, query_string=urlencode(pairs))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    if any("\x00" in key + item for key, item in pairs):
        assert response.status_code == 400
    if url == "/search":
        assert_storable(snapshot())  # the search log keeps what was searched for
    assert_nothing_injected(response)


NUMBERED = ["/?page={}", "/?p={}", "/category/treatments/?page={}", "/tag/sleep/?page={}", "/search?q=a&page={}"]
NUMBERED += ["/author/ann-writer/?page={}", "/sitemap-{}.xml", "/admin/articles/?page={}", "/admin/articles/{}/"]
NUMBERED += ["/admin/articles/{}/edit", "/admin/articles/{}/revisions/", "/admin/articles/1/revisions/diff?a=1&b={}"]
NUMBERED += ["/admin/articles/1/revisions/diff?a={}&b=1", "/admin/categories/{}/", "/admin/tags/{}/"]


@fuzz(60)
@for_each("url", NUMBERED, number=str(2**63))
@given(url=st.sampled_from(NUMBERED), number=numbers)
def test_numbers_out_of_range_in_addresses_are_not_found(admin, site, url, number):
    response = admin.get(url.format(quote(number, safe="")))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    if number.isascii() and number.isdigit() and int(number[:20]) > MAX_ID:
        assert response.status_code == 404


@fuzz(40)
@given(url=st.sampled_from(READER_URLS), raw=st.binary(max_size=40), key=st.sampled_from(QUERY_KEYS))
def test_reader_pages_answer_undecodable_query_bytes(client, site, url, raw, key):
    response = client.get(url, query_string=f"{key}={quote_from_bytes(raw)}&{quote_from_bytes(raw)}=1")
    assert response.status_code < 500


PATHS = ["/articles/{}/", "/category/{}/", "/tag/{}/", "/author/{}/", "/{}", "/uploads/{}", "/sitemap-{}.xml"]
PATHS += ["/category/{}/feed.rss", "/tag/{}/feed.atom", "/author/{}/feed.rss", "/admin/articles/{}/edit"]


@fuzz(80)
@given(path=st.sampled_from(PATHS), slug=value | ids, safe=st.sampled_from(["", "/", "/%"]))
def test_hostile_slugs_and_paths_are_not_found_or_redirected(client, site, path, slug, safe):
    response = client.get(path.format(quote(slug, safe=safe)))
    assert response.status_code < 500
    assert_nothing_injected(response)


NEWSROOM_URLS = ["/admin/", "/admin/articles/", "/admin/articles/{}/", "/admin/articles/{}/revisions/"]
NEWSROOM_URLS += ["/admin/articles/{}/revisions/diff", "/admin/articles/new", "/admin/articles/{}/edit"]
NEWSROOM_URLS += ["/admin/categories/", "/admin/categories/{}/", "/admin/tags/", "/admin/tags/{}/", "/admin/trash/"]
NEWSROOM_URLS += ["/admin/uploads/", "/admin/users/", "/admin/settings", "/admin/search/vocabulary"]


@fuzz(60)
@given(url=st.sampled_from(NEWSROOM_URLS), item=st.just("1") | ids, pairs=query_pairs)
def test_newsroom_pages_answer_any_query_parameters_and_write_nothing(admin, site, url, item, pairs):
    before = snapshot()
    response = admin.get(url.format(quote(item, safe="")), query_string=urlencode(pairs))
    assert response.status_code < 500
    assert snapshot() == before
    assert_nothing_injected(response)
