"""Request ids, JSON log lines and /metrics, through the real stack (the fast path included)."""

import json
import logging

import pytest
from conftest import csrf_token
from prometheus_client.parser import text_string_to_metric_families

from blogapp.extensions import db
from blogapp.models import SearchChange


@pytest.fixture
def app_overrides():
    return {"LOG_FORMAT": "json", "LOG_ACCESS": True, "PROPAGATE_EXCEPTIONS": False, "METRICS_TOKEN": "s3cret-token"}


def log_lines(capsys) -> list[dict]:
    """Return the JSON log lines written to stderr since the last call (each must parse)."""
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def metrics(client, **kwargs) -> dict[tuple, float]:
    """Scrape /metrics, parse it with prometheus_client's parser, return {(sample name, labels…): value}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {
        (sample.name, *sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def requests_of(values: dict, endpoint: str, status: str = "200") -> float:
    key = ("blogapp_http_requests_total", ("endpoint", endpoint), ("method", "GET"), ("status", status))
    return values.get(key, 0.0)


@pytest.mark.parametrize(
    ("offered", "kept"),
    [("edge-7f3a.42:1", True), ("a" * 128, True), ("a" * 129, False), ("two words", False), ("<script>", False)],
)
def test_request_id_is_taken_from_the_header_when_sane_else_made(client, ctx, capsys, offered, kept):
    response = client.get("/", headers={"X-Request-ID": offered})
    rid = response.headers["X-Request-ID"]
    assert (rid == offered) is kept
    if not kept:
        assert len(rid) == 32 and int(rid, 16) >= 0
    (access,) = [line for line in log_lines(capsys) if line["logger"] == "blogapp.access"]
    assert access["request_id"] == rid and access["path"] == "/" and access["status"] == 200


def test_fast_path_answers_carry_an_id_too(client, publish):
    publish("Sleep and pain")
    client.get("/")  # worked out by Flask, stored
    first, second = client.get("/"), client.get("/")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert second.headers.getlist("X-Request-ID") == [second.headers["X-Request-ID"]]


def test_module_info_records_reach_the_log_with_the_request_id(app, client, ctx, capsys):
    @app.get("/test-log")
    def write_a_record():
        logging.getLogger("blogapp.search.writer").info("index retry %d", 3, extra={"queued": 5})
        return "ok"

    response = client.get("/test-log", headers={"X-Request-ID": "req-1"})
    (record,) = [line for line in log_lines(capsys) if line["logger"] == "blogapp.search.writer"]
    assert record == {**record, "level": "INFO", "message": "index retry 3", "request_id": "req-1", "queued": 5}
    assert response.headers["X-Request-ID"] == "req-1"


def test_server_error_page_and_its_log_record_show_the_same_id(app, client, ctx, capsys):
    @app.get("/test-boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/test-boom", headers={"X-Request-ID": "incident-42"})
    assert response.status_code == 500
    assert "<code>incident-42</code>" in response.get_data(as_text=True)
    (error,) = [line for line in log_lines(capsys) if line["level"] == "ERROR"]
    assert error["request_id"] == "incident-42" and "RuntimeError: boom" in error["exception"]


def test_metrics_count_requests_by_endpoint_including_the_fast_path(client, publish):
    publish("Sleep and pain")
    before = metrics(client)
    client.get("/")
    client.get("/")  # a stored page: answered before Flask
    client.get("/no-such-page/")
    after = metrics(client)
    assert requests_of(after, "reader.index") - requests_of(before, "reader.index") == 1
    assert requests_of(after, "fast_path") - requests_of(before, "fast_path") == 1
    assert (
        sum(
            value - before.get(key, 0.0)
            for key, value in after.items()
            if key[0] == "blogapp_http_requests_total" and ("status", "404") in key
        )
        == 1
    )
    duration = ("blogapp_http_request_duration_seconds_count", ("endpoint", "reader.index"))
    assert after[duration] - before.get(duration, 0.0) == 1
    assert after[("blogapp_worker_processes",)] == 1


def test_metrics_report_search_latency_and_the_change_log_lag(client, publish):
    publish("Sleep and pain", body="Ketamine for chronic pain.")
    before = metrics(client)
    assert client.get("/search?q=ketamine").status_code == 200
    db.session.add(SearchChange(article_id=1))  # a change this node has not applied
    db.session.commit()
    after = metrics(client)
    assert after[("blogapp_search_duration_seconds_count",)] - before[("blogapp_search_duration_seconds_count",)] == 1
    assert after[("blogapp_search_results_sum",)] - before[("blogapp_search_results_sum",)] == 1
    assert after[("blogapp_search_log_pending",)] >= 1
    assert after[("blogapp_search_log_lag_seconds",)] >= 0


def test_metrics_are_refused_to_other_addresses_without_the_token(client, ctx):
    outside = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    assert client.get("/metrics", **outside).status_code == 404
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"}, **outside)
    assert wrong.status_code == 404
    assert metrics(client, headers={"Authorization": "Bearer s3cret-token"}, **outside)


def test_metrics_allow_configured_networks(app, client, ctx):
    app.config.update(METRICS_TOKEN=None, METRICS_ALLOWED_ADDRESSES=["10.0.0.0/8"])
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


def test_metrics_count_page_cache_answers_and_refused_sign_ins(client, publish, team):
    publish("Sleep and pain")
    client.get("/")  # rendered and stored, so what follows is counted from a known state
    before = metrics(client)
    client.get("/articles/sleep-and-pain/")  # rendered: a miss
    etag = client.get("/articles/sleep-and-pain/").headers["ETag"]  # stored: a hit
    assert client.get("/articles/sleep-and-pain/", headers={"If-None-Match": etag}).status_code == 304
    for _ in range(2):
        wrong = {"email": team["editor"].email, "password": "not the password", "csrf_token": csrf_token(client)}
        assert client.post("/login", data=wrong).status_code == 200
    after = metrics(client)

    def change(name: str, label: str, value: str) -> float:
        key = (name, (label, value))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert change("blogapp_page_cache_answers_total", "result", "miss") == 1
    assert change("blogapp_page_cache_answers_total", "result", "hit") == 1
    assert change("blogapp_page_cache_answers_total", "result", "not_modified") == 1
    assert change("blogapp_sign_in_failures_total", "reason", "wrong") == 2
