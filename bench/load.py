"""Load benchmark: the real app under gunicorn on 127.0.0.1, driven by wrk, over N synthetic articles.

Run from the project root (wrk comes from Debian's `wrk` package; run as root, the script installs it if missing):

    .venv/bin/python bench/load.py                                   # N = 10,000, 16 connections, 10 s per run
    .venv/bin/python bench/load.py --articles 10000 100000 --connections 16 --duration 10s --workers 5

For each N it builds, once, a seeded instance in DATA_DIR/N/ (default bench/.data/, gitignored): `flask init`
and `flask seed-synthetic --count N`, a few minutes for 10,000 articles and 16 or more for 100,000. Later runs
reuse it (running `flask init` again, which only applies newer migrations). The instance lives there entirely:
database, search index, synonyms and uploads are set through DATABASE_URL and BLOGAPP_* variables.

It then starts gunicorn with the production settings (gunicorn.conf.py; workers from the CPU count unless
--workers) and measures, with wrk, five page types: the home page, 50 different article pages, every category
page, searches matching many articles and searches matching few (five queries of each, picked by their result
counts on this corpus: common health words; invented title words, alone or a two-word phrase, with 1 to 10 results).
Each page type runs in three modes:

    cold         page cache off (BLOGAPP_PAGE_CACHE_BYTES=0) and no validators sent: every request is rendered;
    conditional  If-None-Match with the ETag each URL answered a first GET with: the 304 path. Pages that send
                 no ETag (searches, or every page before HTTP validators exist) are skipped, and the table says so;
    repeat       page cache on (the app's default) and plain GETs: after the first, answered from the page cache.

Cold and conditional share one server, repeat gets a second one. Each run is preceded by an unmeasured warm-up
(three times as long in repeat mode, so that every worker has rendered every URL into its own page cache).
It prints, per N, a table of requests/s, p50 and p99 latency, the count of answers that were not 2xx/3xx and
the statuses seen; the resident memory of each worker after the runs (VmRSS, of which private: RssAnon; the rest
is mostly the memory-mapped index and shared libraries); the issue's targets with the figures measured; with
several N, how much slower each run is at the larger N; and one JSON line per N.

wrk and the server share the machine: on 2 cores wrk's own CPU use lowers every figure a little. A shared
machine's speed also changes from minute to minute (by half, seen here), so before and after each N's runs the
same wrk runs measure bench/reference_app.py under the same gunicorn settings: Flask answering a constant 35 KB
page and an empty 304, the figures the issue quotes for its machine class (about 1,950 and 2,550 requests/s).
"""

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
import servers  # noqa: E402  (instance_env, shared with the tests and the other benchmarks)

from bench.synthetic import COMMON_WORDS, HEALTH_WORDS  # noqa: E402

LUA = ROOT / "bench" / "wrk" / "paths.lua"
DEFAULT_SEED = 42
PAGE_TYPES = ("home", "article", "category", "search-many", "search-few")
MODES = ("cold", "conditional", "repeat")
ARTICLE_URLS = 50
SEARCH_QUERIES = 5
# Health words the synthetic generator uses often: the candidates for searches that match many articles.
MANY_CANDIDATES = ("pain", "treatment", "sleep", "withdrawal", "therapy", "dose", "migraine", "anxiety", "relief")
RESULT_COUNT = re.compile(r'class="result-count"[^>]*>([\d,]+) result')
TARGETS_AT = 10_000


@dataclass
class Run:
    """One wrk run: a page type in a mode."""

    page: str
    mode: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    bad: int = 0  # answers that were not 2xx/3xx, plus socket errors
    statuses: dict[str, int] = field(default_factory=dict)
    skipped: str = ""


def parse_seconds(text: str) -> float:
    """Return seconds from a wrk duration such as 10s, 2m or 1h."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 10s, 2m)")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package first when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is not installed: installing Debian's package (apt-get update; apt-get install -y wrk) …")
        quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        subprocess.run(["apt-get", "update"], check=True, **quiet)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, **quiet)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: install it (Debian: `sudo apt-get install wrk`) and run this again.")
    return found


def instance_env(folder: Path, page_cache: bool = True) -> dict[str, str]:
    """Return the environment that puts every piece of the instance's state in `folder`."""
    return servers.instance_env(folder, "load-benchmark-only", **({} if page_cache else {"PAGE_CACHE_BYTES": "0"}))


def flask(env: dict, *args: str) -> None:
    """Run a `flask --app blogapp` command on the instance; stop the benchmark if it fails."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "blogapp", *args], cwd=ROOT, env=env, check=True)


def prepare(data_dir: Path, count: int, seed: int) -> Path:
    """Return the folder of a seeded instance of `count` articles, building it on first use."""
    folder = data_dir / (str(count) if seed == DEFAULT_SEED else f"{count}-seed{seed}")
    marker = folder / "seeded.json"
    env = instance_env(folder)
    if marker.exists():
        flask(env, "init")  # newer migrations only; the articles and the index stay
        return folder
    if folder.exists():
        shutil.rmtree(folder)  # a build that did not finish
    folder.mkdir(parents=True)
    print(f"Seeding {count:,} synthetic articles into {folder} (once; later runs reuse it) …", flush=True)
    started = time.perf_counter()
    flask(env, "init")
    flask(env, "seed-synthetic", "--count", str(count), "--seed", str(seed))
    marker.write_text(json.dumps({"articles": count, "seed": seed, "seconds": round(time.perf_counter() - started)}))
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """GET `url`; return status, headers and text (errors included)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


class Server:
    """gunicorn with gunicorn.conf.py on a free 127.0.0.1 port, its output in a log file."""

    def __init__(self, env: dict, workers: int | None, log: Path, target: str = "wsgi:app"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        if workers:
            command += ["--workers", str(workers)]
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen([*command, target], cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {log}")
            try:
                if fetch(self.base + "/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not answer within 180 s; see {log}")

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's children (the workers)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:  # kernels without the children file: scan every process's parent
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        pids.append(int(stat.parent.name))
                except (OSError, IndexError, ValueError):
                    continue
            return sorted(pids)

    def memory(self) -> list[dict[str, float]]:
        """Return VmRSS, VmHWM (peak) and RssAnon (private) in MB for each worker."""
        found = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            values = dict(re.findall(r"^(VmRSS|VmHWM|RssAnon):\s+(\d+) kB", status, re.M))
            found.append({key: int(value) / 1024 for key, value in values.items()})
        return found

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def pick_paths(database: Path, count: int, seed: int) -> dict[str, list[str]]:
    """Choose the reader URLs from the seeded database: the home page, 50 articles, every category."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM articles WHERE status = 'published'")]
        categories = connection.execute(
            "SELECT DISTINCT c.slug FROM categories c JOIN articles a ON a.category_id = c.id ORDER BY c.slug"
        ).fetchall()
        titles = [row[0] for row in connection.execute("SELECT title FROM articles ORDER BY id LIMIT 2000")]
    if len(slugs) < count:
        sys.exit(f"{database} has {len(slugs)} published articles, fewer than {count}; delete its folder to reseed")
    return {
        "home": ["/"],
        "article": [f"/articles/{slug}/" for slug in rng.sample(slugs, ARTICLE_URLS)],
        "category": [f"/category/{slug}/" for (slug,) in categories],
        "titles": titles,
    }


def result_count(base: str, query: str) -> int | None:
    """Return how many articles a search finds, or None if the page did not say (or corrected the words)."""
    status, _, html = fetch(f"{base}/search?{urllib.parse.urlencode({'q': query})}")
    match = RESULT_COUNT.search(html)
    if status != 200 or "Showing results for" in html or not match:
        return 0 if status == 200 and "zero-results" in html else None
    return int(match[1].replace(",", ""))


def narrow_candidates(titles: list[str], seed: int, tries: int = 300) -> list[str]:
    """Return invented title words to search for: alone, then two side by side as a phrase (for 100,000 articles)."""
    # At 100,000 articles one invented word matches more than ten, and two unquoted match either of them.
    known = set(HEALTH_WORDS) | set(COMMON_WORDS)
    rng = random.Random(seed)
    singles, pairs = set(), []
    for title in titles:
        words = [word if word.isalpha() and word not in known else "" for word in title.lower().split()]
        singles.update(filter(None, words))
        pairs += [f'"{a} {b}"' for a, b in itertools.pairwise(words) if a and b]
    singles = sorted(singles)
    rng.shuffle(singles)
    rng.shuffle(pairs)
    return singles[:tries] + pairs[:tries]


def pick_searches(base: str, titles: list[str], seed: int) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Choose searches that match many articles and searches that match few (1 to 10), by their result counts."""
    counts = {word: result_count(base, word) or 0 for word in MANY_CANDIDATES}
    many = sorted(counts, key=counts.get, reverse=True)[:SEARCH_QUERIES]
    few: dict[str, int] = {}
    for words in narrow_candidates(titles, seed):
        found = result_count(base, words)
        if found is not None and 1 <= found <= 10:
            few[words] = found
        if len(few) == SEARCH_QUERIES:
            break
    queries = {"search-many": many, "search-few": list(few)}
    paths = {kind: [f"/search?{urllib.parse.urlencode({'q': q})}" for q in words] for kind, words in queries.items()}
    return paths, {"search-many": {q: counts[q] for q in many}, "search-few": few}


def first_answers(base: str, paths: list[str]) -> list[tuple[str, str | None]]:
    """GET every path once (it also warms the workers); return each path with the ETag it answered with."""
    answered = []
    for path in paths:
        status, headers, _ = fetch(base + path)
        if status != 200:
            sys.exit(f"GET {path} answered {status}; see the gunicorn log")
        answered.append((path, headers.get("ETag")))
    return answered


def run_wrk(wrk: str, base: str, lines: list[str], args, duration: str) -> dict:
    """Run wrk over the request lines; return the figures its script printed."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    command = [wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}", "--timeout", "10s"]
    try:
        done = subprocess.run(
            [*command, "-s", str(LUA), base],
            env={**os.environ, "WRK_PATHS": handle.name},
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(handle.name)
    match = re.search(r"^WRK_RESULT (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not match:
        sys.exit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(match[1])


def measure(wrk: str, server: Server, page: str, mode: str, lines: list[str], args) -> Run:
    """Warm up, then measure one page type in one mode."""
    # Each worker has its own page cache, so in repeat mode every worker must first render every URL once.
    warmup = f"{parse_seconds(args.warmup) * (3 if mode == 'repeat' else 1):g}s"
    run_wrk(wrk, server.base, lines, args, warmup)
    result = run_wrk(wrk, server.base, lines, args, args.duration)
    statuses: dict[str, int] = {}
    for per_thread in result["statuses"]:
        for status, count in per_thread.items():
            statuses[status] = statuses.get(status, 0) + count
    return Run(
        page=page,
        mode=mode,
        rps=result["requests"] / result["seconds"],
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        bad=result["non_2xx_3xx"] + result["socket_errors"],
        statuses=dict(sorted(statuses.items())),
    )


def measure_reference(wrk: str, folder: Path, lines: list[str], args) -> dict[str, float]:
    """Return req/s of bench/reference_app.py (a constant 35 KB page, an empty 304) over the same URLs now."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bench")}
    server = Server(env, args.workers, folder / "gunicorn-reference.log", target="reference_app:app")
    try:
        page = measure(wrk, server, "reference", "cold", lines, args)
        not_modified = measure(
            wrk, server, "reference", "conditional", [f'{line}\tW/"reference"' for line in lines], args
        )
    finally:
        server.stop()
    return {"page": page.rps, "304": not_modified.rps}


def bench_size(wrk: str, count: int, args) -> dict:
    """Measure every page type and mode for one corpus size; print and return the figures."""
    folder = prepare(args.data_dir, count, args.seed)
    paths = pick_paths(folder / "blog.sqlite", count, args.seed)
    runs: list[Run] = []
    memory: dict[str, list[dict]] = {}

    reference = {"before": measure_reference(wrk, folder, paths["article"], args)}
    server = Server(instance_env(folder, page_cache=False), args.workers, folder / "gunicorn-cold.log")
    try:
        searches, search_counts = pick_searches(server.base, paths.pop("titles"), args.seed)
        paths.update(searches)
        workers = len(server.worker_pids())
        print(
            f"\nN = {count:,} articles · {workers} gunicorn workers · {args.connections} connections · "
            f"{args.duration} per run · {os.cpu_count()} CPUs",
            flush=True,
        )
        for kind, found in search_counts.items():
            print(f"  {kind}: " + ", ".join(f"{q!r} ({n:,} results)" for q, n in found.items()))
        for page in PAGE_TYPES:
            if not paths[page]:
                runs += [Run(page, mode, skipped="no query with 1-10 results found") for mode in MODES[:2]]
                continue
            answered = first_answers(server.base, paths[page])
            runs.append(measure(wrk, server, page, "cold", [path for path, _ in answered], args))
            if all(etag for _, etag in answered):
                conditional = [f"{path}\t{etag}" for path, etag in answered]
                runs.append(measure(wrk, server, page, "conditional", conditional, args))
            else:
                runs.append(Run(page, "conditional", skipped="no ETag on the first GET: skipped"))
        memory["page cache off"] = server.memory()
    finally:
        server.stop()

    server = Server(instance_env(folder), args.workers, folder / "gunicorn-repeat.log")
    try:
        for page in PAGE_TYPES:
            if paths[page]:
                first_answers(server.base, paths[page])
                runs.append(measure(wrk, server, page, "repeat", paths[page], args))
            else:
                runs.append(Run(page, "repeat", skipped="no query with 1-10 results found"))
        memory["page cache on"] = server.memory()
    finally:
        server.stop()

    reference["after"] = measure_reference(wrk, folder, paths["article"], args)
    runs.sort(key=lambda run: (PAGE_TYPES.index(run.page), MODES.index(run.mode)))
    print_table(runs, paths)
    print_memory(memory)
    print_reference(reference)
    return {
        "articles": count,
        "workers": workers,
        "runs": [run.__dict__ for run in runs],
        "memory_mb": memory,
        "reference": reference,
    }


def print_reference(reference: dict[str, dict[str, float]]) -> None:
    print("\nThis machine now, Flask doing nothing under the same gunicorn settings (bench/reference_app.py), req/s:")
    for when, figures in reference.items():
        print(f"  {when} the runs: constant 35 KB page {figures['page']:,.0f}, empty 304 {figures['304']:,.0f}")
    print("  (the issue's figures for its 2-core machine class: about 1,950 and 2,550)")


def print_table(runs: list[Run], paths: dict[str, list[str]]) -> None:
    print(f"\n{'page':<22}{'mode':<13}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'bad':>6}  statuses")
    for run in runs:
        label = f"{run.page} ({len(paths[run.page])} URLs)" if run.mode == "cold" else ""
        if run.skipped:
            print(f"{label:<22}{run.mode:<13}{'—':>9}{'':>9}{'':>9}{'':>6}  {run.skipped}")
            continue
        statuses = " ".join(f"{status}×{count:,}" for status, count in run.statuses.items())
        print(f"{label:<22}{run.mode:<13}{run.rps:>9,.0f}{run.p50_ms:>9.1f}{run.p99_ms:>9.1f}{run.bad:>6}  {statuses}")
    print("bad = answers other than 2xx/3xx, and socket errors")


def print_memory(memory: dict[str, list[dict]]) -> None:
    print("\nWorker memory after the runs, MB (VmRSS / peak VmHWM / private RssAnon):")
    for label, workers in memory.items():
        figures = ", ".join(f"{w['VmRSS']:.0f}/{w['VmHWM']:.0f}/{w['RssAnon']:.0f}" for w in workers)
        print(f"  {label}: {figures}")


def check_targets(result: dict) -> None:
    """Print the issue's targets next to the figures measured (they are set for a 2-core machine)."""
    runs = {(run["page"], run["mode"]): run for run in result["runs"] if not run["skipped"]}

    def rps(*keys):
        values = [runs[key]["rps"] for key in keys if key in runs]
        return min(values) if values else None

    reader_pages = ("home", "article", "category")
    at_least = lambda limit: lambda value: value >= limit  # noqa: E731
    checks = [
        ("article page, uncached ≥ 500 req/s", rps(("article", "cold")), at_least(500)),
        ("search (lower of the two) ≥ 100 req/s", rps(("search-many", "cold"), ("search-few", "cold")), at_least(100)),
        (
            "304 answers (lowest page) ≥ 2,000 req/s",
            rps(*[(page, "conditional") for page in reader_pages]),
            at_least(2000),
        ),
        ("page cache (lowest page) ≥ 1,500 req/s", rps(*[(page, "repeat") for page in reader_pages]), at_least(1500)),
        ("p99 of every run < 100 ms", max(run["p99_ms"] for run in runs.values()), lambda value: value < 100),
        (
            "peak memory per worker ≤ 150 MB",
            max(w["VmHWM"] for workers in result["memory_mb"].values() for w in workers),
            lambda value: value <= 150,
        ),
    ]
    print(f"\nTargets (2-core machine, {TARGETS_AT:,} articles):")
    for label, value, met in checks:
        if value is None:
            print(f"  {label:<44}{'not measured':>12}")
        else:
            print(f"  {label:<44}{value:>12,.1f}  {'met' if met(value) else 'NOT MET'}")
    bad = sum(run["bad"] for run in runs.values())
    print(f"  {'answers other than 2xx/3xx, socket errors':<44}{bad:>12,}  {'met' if bad == 0 else 'NOT MET'}")


def compare_sizes(small: dict, large: dict) -> None:
    """Print how much slower each run is at the larger corpus (the target: at most 2×)."""
    before = {(run["page"], run["mode"]): run for run in small["runs"] if not run["skipped"]}
    print(f"\n{large['articles']:,} against {small['articles']:,} articles (target: no page type slower than 2×):")
    print(f"{'page':<14}{'mode':<13}{'req/s ÷':>9}{'p50 ×':>8}")
    for run in large["runs"]:
        old = before.get((run["page"], run["mode"]))
        if run["skipped"] or old is None or not run["rps"]:
            continue
        slower = old["rps"] / run["rps"]
        p50 = run["p50_ms"] / old["p50_ms"] if old["p50_ms"] else float("nan")
        print(f"{run['page']:<14}{run['mode']:<13}{slower:>9.2f}{p50:>8.2f}  {'met' if slower <= 2 else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000], help="corpus sizes (default 10000)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--duration", default="10s", help="length of each measured run (default 10s)")
    parser.add_argument("--warmup", default="2s", help="unmeasured run before each measured one (default 2s)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py, 2 × CPUs + 1)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic articles (default 42)")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "bench" / ".data", help="where seeded instances are kept"
    )
    args = parser.parse_args()
    parse_seconds(args.duration)
    parse_seconds(args.warmup)
    wrk = ensure_wrk()
    results = [bench_size(wrk, count, args) for count in args.articles]
    for result in results:
        if result["articles"] == TARGETS_AT:
            check_targets(result)
    for small, large in itertools.pairwise(results):
        compare_sizes(small, large)
    print()
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
