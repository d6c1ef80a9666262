"""What the load benchmark prints: the table of runs, worker memory, the machine's reference, targets, sizes."""

from bench.load_wrk import Run

TARGETS_AT = 10_000


def print_table(runs: list[Run], paths: dict[str, list[str]]) -> None:
    """Print requests/s, p50 and p99 latency, bad answers and statuses of each run."""
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
    """Print each worker's resident, peak and private memory, per server."""
    print("\nWorker memory after the runs, MB (VmRSS / peak VmHWM / private RssAnon):")
    for label, workers in memory.items():
        figures = ", ".join(f"{w['VmRSS']:.0f}/{w['VmHWM']:.0f}/{w['RssAnon']:.0f}" for w in workers)
        print(f"  {label}: {figures}")


def print_reference(reference: dict[str, dict[str, float]]) -> None:
    """Print the req/s of bench/reference_app.py before and after the runs, beside the issue's figures."""
    print("\nThis machine now, Flask doing nothing under the same gunicorn settings (bench/reference_app.py), req/s:")
    for when, figures in reference.items():
        print(f"  {when} the runs: constant 35 KB page {figures['page']:,.0f}, empty 304 {figures['304']:,.0f}")
    print("  (the issue's figures for its 2-core machine class: about 1,950 and 2,550)")


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
