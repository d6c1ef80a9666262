"""Under gunicorn with two workers: /metrics adds up every worker's counts, and the JSON access log carries ids."""

import json
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families
from servers import ROOT, flask, free_port, instance_env, wait_until_serving

WORKERS = 2
REQUESTS = 40


@pytest.fixture
def server(tmp_path):
    """Serve a demo instance with `gunicorn -w 2`, JSON access log on; yield its base URL and log file."""
    env = instance_env(tmp_path, "gunicorn-metrics-secret", LOG_FORMAT='"json"')
    for args in (("init",), ("seed-demo",)):
        done = flask(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    env.update(GUNICORN_ACCESSLOG_FORMAT="json", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    port, log = free_port(), tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(WORKERS)]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [*command, "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log_file, stderr=log_file
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, log)
        yield base, log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)


def get(url: str, request_id: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"X-Request-ID": request_id} if request_id else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers)


def scrape(base: str) -> dict:
    """Return the metric families /metrics answers, parsed by prometheus_client's parser."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
        return {family.name: family for family in text_string_to_metric_families(response.read().decode())}


def test_metrics_add_up_all_workers_and_access_log_lines_are_json(server):
    base, log = server
    for n in range(REQUESTS):
        status, headers = get(f"{base}/categories/" if n % 2 else f"{base}/", f"probe-{n}")
        assert status == 200 and headers["X-Request-ID"] == f"probe-{n}"
    # Each worker counts itself once booted; on a busy machine the second may boot after the first has answered.
    deadline = time.monotonic() + 60
    while True:
        families = scrape(base)
        counted = sum(sample.value for sample in families["blogapp_worker_processes"].samples)
        if counted == WORKERS or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert counted == WORKERS
    pids = {sample.labels["pid"] for sample in families["blogapp_worker_start_time_seconds"].samples}
    assert len(pids) == WORKERS
    answered = sum(
        sample.value
        for sample in families["blogapp_http_requests"].samples
        if sample.name.endswith("_total") and sample.labels["status"] == "200"
    )
    assert answered >= REQUESTS  # every worker's share, whichever answered (and the page that warmed each)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith('{"time"')]
    access = {line["request_id"]: line for line in lines if "duration_us" in line}
    assert {f"probe-{n}" for n in range(REQUESTS)} <= access.keys()
    assert access["probe-0"]["status"] == 200 and access["probe-0"]["path"] == "/"
    assert {line["pid"] for line in access.values()} <= {int(pid) for pid in pids}
