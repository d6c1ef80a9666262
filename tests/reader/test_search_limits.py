"""Search under pressure: a bound on searches running at once on the machine, and per-client rate limits."""

import json
import subprocess
import sys
import time

import pytest

from blogapp.content.raw_query import watch_statements
from blogapp.extensions import db
from blogapp.web.busy import costly_work, suggestion_work

SLOTS = 2
# Another worker process, holding every slot's lock file until told to stop (stdin closes).
HOLDER = """
import fcntl, os, sys
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
files = [os.open(path, os.O_RDWR | os.O_CREAT) for path in sys.argv[1:]]
for fd in files:
    fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def app_overrides():
    return {
        "SEARCH_MAX_CONCURRENT": SLOTS,
        "RATELIMIT_ENABLED": True,
        "SEARCH_RATE_LIMIT": "4 per minute",
        "SUGGEST_RATE_LIMIT": "6 per minute",
    }


def related_section(response) -> str:
    """Return the article page's related-articles section ("" when it has none)."""
    page = response.get_data(as_text=True)
    return page.split("Related articles")[1].split("</section>")[0] if "Related articles" in page else ""


@pytest.fixture
def held_slots(app):
    """Start and stop another process holding every slot, as often as a test needs."""
    holders = []

    def hold(slots=costly_work):
        with app.app_context():
            paths = slots().paths
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, *paths], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert holder.stdout.readline().strip() == b"held"
        holders.append(holder)

    def release():
        holder = holders.pop()
        holder.stdin.close()
        holder.wait(10)

    yield hold, release
    while holders:
        release()


@pytest.fixture
def other_worker_searching(held_slots):
    """Hold every search slot from another process, as busy workers would."""
    hold, _ = held_slots
    hold()


def test_searches_past_the_machines_bound_get_a_fast_503(client, publish, other_worker_searching):
    publish("Ketamine for migraine")
    started = time.perf_counter()
    response = client.get("/search?q=migraine")
    assert time.perf_counter() - started < 1  # no queue: refused at once
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many searches are running" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # pages are not bounded


def test_a_search_already_worked_out_is_answered_while_the_machine_is_busy(client, publish, held_slots):
    hold, _ = held_slots
    publish("Ketamine for migraine")
    assert client.get("/search?q=migraine").status_code == 200
    hold()
    assert client.get("/search?q=migraine").status_code == 200  # from the kept result pages: no slot needed
    assert client.get("/search?q=ketamine").status_code == 503


def test_a_slot_is_free_again_after_each_search_and_sitemap(app, client, publish):
    publish("Ketamine for migraine")
    for path in ["/search?q=migraine", "/search?q=ketamine", "/sitemap.xml", "/sitemap.xml"]:
        assert client.get(path).status_code == 200
    assert client.head("/sitemap.xml").status_code == 200  # an answer whose body is never read frees it too
    with app.app_context():
        slots = costly_work()
        with slots.hold(), slots.hold():  # both slots can be taken: none was left held
            pass


def test_the_sitemap_is_costly_work_too(client, publish, other_worker_searching):
    publish("Ketamine for migraine")
    response = client.get("/sitemap.xml")
    assert response.status_code == 503 and "Retry-After" in response.headers


def test_one_client_searching_too_fast_gets_429_with_retry_after(client, publish):
    publish("Ketamine for migraine")
    answers = [client.get(f"/search?q=migraine+{n}") for n in range(5)]
    assert [response.status_code for response in answers] == [200, 200, 200, 200, 429]
    refused = answers[-1]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "searched very often" in refused.get_data(as_text=True)
    other_client = {"REMOTE_ADDR": "198.51.100.20"}
    assert client.get("/search?q=migraine", environ_base=other_client).status_code == 200
    assert client.get("/").status_code == 200  # reading is never limited


# Another worker process of the same site: its own app (and limiter), the same instance folders.
OTHER_WORKER = """
import json, sys
from blogapp import create_app
client = create_app(json.loads(sys.argv[1])).test_client()
print(json.dumps([client.get(f"/search?q=other+{n}").status_code for n in range(int(sys.argv[2]))]))
"""
SHARED = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "SEARCH_SYNONYMS_FILE", "LOCKS_DIR")
LIMITS = ("SEARCH_MAX_CONCURRENT", "RATELIMIT_ENABLED", "SEARCH_RATE_LIMIT")


def test_every_worker_process_counts_a_clients_searches_together(app, client, publish):
    publish("Ketamine for migraine")
    assert [client.get(f"/search?q=migraine+{n}").status_code for n in range(2)] == [200, 200]
    settings = {name: app.config[name] for name in SHARED + LIMITS}
    settings |= {"TESTING": True, "TRUSTED_HOSTS": ["localhost"], "SEARCH_LOG_FLUSH_SECONDS": 0}
    other = subprocess.run([sys.executable, "-c", OTHER_WORKER, json.dumps(settings), "3"], capture_output=True)
    assert other.returncode == 0, other.stderr.decode()
    assert json.loads(other.stdout.decode().strip().splitlines()[-1]) == [200, 200, 429]
    assert client.get("/search?q=migraine").status_code == 429


def test_suggestions_have_their_own_limit(client, publish):
    publish("Ketamine for migraine")
    statuses = [client.get(f"/search/suggest?q=ke{n}").status_code for n in range(7)]
    assert statuses == [200] * 6 + [429]
    assert client.get("/search?q=ketamine").status_code == 200


def test_suggestions_worked_out_take_a_slot_and_short_ones_are_kept_per_version(client, publish, held_slots):
    hold, release = held_slots
    publish("Ketamine for migraine")
    assert client.get("/search/suggest?q=k").json["suggestions"][0]["title"] == "Ketamine for migraine"
    hold(suggestion_work)
    assert client.get("/search?q=ketamine").status_code == 200  # suggestions never hold a search's slot
    kept = client.get("/search/suggest?q=K")  # one spelling: the list kept for "k"
    assert kept.status_code == 200 and kept.json["suggestions"][0]["title"] == "Ketamine for migraine"
    for busy in (client.get("/search/suggest?q=ket"), client.get("/search/suggest?q=mi")):
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
        assert busy.json["suggestions"] == [] and "Too many searches" in busy.json["error"]
    release()
    hold(costly_work)
    assert client.get("/search/suggest?q=ket").status_code == 200  # nor searches a suggestion's
    release()
    publish("Kombucha myths")  # a new version: the short lists are worked out again
    assert [s["title"] for s in client.get("/search/suggest?q=k").json["suggestions"]] == [
        "Ketamine for migraine",
        "Kombucha myths",
    ]


def test_an_article_page_skips_working_out_related_articles_while_the_machine_is_busy(client, publish, held_slots):
    hold, release = held_slots
    guide = publish("Varenicline guide", "Varenicline helps smokers quit nicotine with fewer cravings.")
    publish("Quitting nicotine", "Nicotine cravings ease; varenicline and patches help smokers quit.")
    hold()
    busy = client.get(f"/articles/{guide.slug}/")
    assert busy.status_code == 200 and "Quitting nicotine" not in related_section(busy)
    release()
    # Not stored in the page cache while unfinished: the next view works the list out.
    assert "Quitting nicotine" in related_section(client.get(f"/articles/{guide.slug}/"))


def test_a_sitemap_already_written_is_served_while_the_machine_is_busy(client, publish, held_slots):
    hold, _ = held_slots
    publish("Ketamine for migraine")
    written = client.get("/sitemap.xml").get_data(as_text=True)
    hold()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.get_data(as_text=True) == written


def test_searches_with_no_results_rank_articles_and_count_categories_once_per_content_version(client, publish):
    publish("Ketamine for migraine")
    assert client.get("/search?q=zzqx").status_code == 200
    with watch_statements(db.engine, all_threads=True) as seen:
        for n in range(2):  # never-seen words: each a new search, each page lists popular articles and topics
            page = client.get(f"/search?q=zzqx{n}").get_data(as_text=True)
            assert 'class="popular"' in page and "Ketamine for migraine" in page and ">Treatments</a>" in page
    assert not [statement for statement, _ in seen if "view_count DESC" in statement or "GROUP BY" in statement]
