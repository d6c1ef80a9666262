"""What the endpoint benchmark prints: per pattern, cold and warm latency beside its budget, PASS or FAIL."""

from bench.endpoints_measure import Figures
from bench.endpoints_urls import Pattern

SHORT_SEARCH_LARGE_AT = 10_000  # one- and two-word searches have the larger budget above this many articles
GROWTH = 2.0  # a reader page at the largest N may be at most this many times slower than at the smallest


def budget_ms(group: str, articles: int) -> float:
    """Return the p95 budget (ms) of a pattern group at this corpus size."""
    if group == "search-short":
        return 40 if articles <= SHORT_SEARCH_LARGE_AT else 150
    return {"reader": 100, "not-found": 100, "sitemap": 1000, "newsroom": 300, "search": 300}[group]


def judge(pattern: Pattern, modes: dict[str, Figures], articles: int) -> tuple[str, str]:
    """Return PASS, FAIL or NOT MEASURED for a pattern, and why when it is not a pass."""
    if not pattern.urls:
        return "NOT MEASURED", "no such address in this instance"
    wrong = [line for figures in modes.values() for line in figures.wrong]
    if wrong:
        return "FAIL", f"expected {pattern.expected}: " + "; ".join(wrong)
    cold = modes["cold"]
    limit = budget_ms(pattern.group, articles)
    if cold.p95_ms > limit:
        return "FAIL", f"cold p95 {cold.p95_ms:.1f} ms > {limit:g} ms"
    return "PASS", ""


def _cells(figures: Figures | None) -> str:
    if figures is None or not figures.samples:
        return f"{'—':>5}{'':>8}{'':>8}{'':>8}"
    return f"{figures.samples:>5}{figures.p50_ms:>8.1f}{figures.p95_ms:>8.1f}{figures.max_ms:>8.1f}"


def print_table(patterns: list[Pattern], results: dict[str, dict[str, Figures]], articles: int) -> dict[str, dict]:
    """Print one line per pattern (cold and warm n, p50, p95, max in ms; budget; verdict); return the verdicts."""
    head = f"{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}"
    print(f"\n{'':<40}{'cold (page cache off)':^29}  {'warm (page cache on)':^29}")
    print(f"{'pattern':<40}{head}  {head}{'budget':>8}  verdict")
    verdicts = {}
    for pattern in patterns:
        modes = {mode: found[pattern.name] for mode, found in results.items() if pattern.name in found}
        verdict, why = judge(pattern, modes, articles)
        verdicts[pattern.name] = {"verdict": verdict, "why": why, "budget_ms": budget_ms(pattern.group, articles)}
        line = f"{pattern.name:<40}{_cells(modes.get('cold'))}  {_cells(modes.get('warm'))}"
        print(f"{line}{budget_ms(pattern.group, articles):>8g}  {verdict}{'  ' + why if why else ''}")
    print("n: requests timed; p50/p95/max in ms to the last byte, one request at a time from one client on 127.0.0.1")
    return verdicts


def print_routes(patterns: list[Pattern]) -> None:
    """Print each pattern with the route it exercises and an example address."""
    print(f"\n{'pattern':<40}{'group':<14}{'URLs':>5}  route  (example)")
    for pattern in patterns:
        example = pattern.urls[0] if pattern.urls else "—"
        shown = example if len(example) <= 70 else example[:67] + "…"
        print(f"{pattern.name:<40}{pattern.group:<14}{len(pattern.urls):>5}  {pattern.route}  ({shown})")


def print_reference(reference: dict[str, dict]) -> None:
    """Print the reference app's latency before and after the runs."""
    print("\nThis machine now: bench/reference_app.py (Flask, constant 35 KB page) under the same gunicorn, ms:")
    for when, figures in reference.items():
        print(
            f"  {when} the runs: p50 {figures['p50_ms']:.1f}, p95 {figures['p95_ms']:.1f}, max {figures['max_ms']:.1f}"
        )


def compare_sizes(small: dict, large: dict) -> list[str]:
    """Print each reader pattern's cold p95 at the largest N against the smallest (≤ 2×); return the misses."""
    sizes = f"{large['articles']:,} against {small['articles']:,} articles"
    print(f"\nReader pages, cold p95 (ms) at {sizes} (at most {GROWTH:g}×):")
    failed = []
    for name, entry in large["patterns"].items():
        before = small["patterns"].get(name)
        if entry["group"] not in ("reader", "not-found") or not before or not before["cold"] or not entry["cold"]:
            continue
        old, new = before["cold"]["p95_ms"], entry["cold"]["p95_ms"]
        ratio = new / old if old else float("inf")
        verdict = "PASS" if ratio <= GROWTH else "FAIL"
        print(f"  {name:<40}{old:>8.1f}{new:>8.1f}{ratio:>7.2f}×  {verdict}")
        if verdict == "FAIL":
            failed.append(f"{name}: cold p95 {new:.1f} ms at {large['articles']:,} is {ratio:.2f}× {old:.1f} ms")
    return failed
