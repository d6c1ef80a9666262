"""Lighthouse scores of the reader pages: the demo site under gunicorn on 127.0.0.1, audited by Debian's Chromium.

Run from the project root (Lighthouse is pinned in bench/package-lock.json and installed on first use with
`npm ci --prefix bench`; it is kept out of the root package.json, which `make test` installs):

    .venv/bin/python bench/lighthouse.py                  # mobile (Lighthouse's default), every page type
    .venv/bin/python bench/lighthouse.py --runs 3 --preset desktop --pages home article

It seeds the demo content into a temporary instance, starts gunicorn with the production settings and runs
Lighthouse once per page type, one after the other (scores drift when audits share two cores). Lighthouse
exits 0 whatever the scores, so the script reads `categories.*.score` from each JSON report; with --runs N it
keeps each category's median over N runs (Lighthouse's own advice: performance varies with the machine's load).
It prints a table and one JSON line, and exits 1 if a page misses its target: 1.00 in every category, except
SEO on the search page, which is `noindex` on purpose. Reports are kept in bench/.data/lighthouse/ (gitignored).

bench/package.json pins `third-party-web` and `legacy-javascript` through `overrides`: a dependency of
Lighthouse asks for their "latest" version, which `npm ci` would otherwise find out of step with the lock file.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from bench.instances import Server, flask, instance_env  # noqa: E402

BENCH = ROOT / "bench"
# LIGHTHOUSE= names another install (`npm i -E lighthouse@12.2.3 --prefix /tmp/lh`, say) instead of the pinned one.
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE") or BENCH / "node_modules" / ".bin" / "lighthouse")
REPORTS = BENCH / ".data" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "article": "/articles/acupuncture-for-migraine-prevention/",
    "page": "/editorial-policy/",
    "category": "/category/complementary-medicine/",
    "tag": "/tag/migraine/",
    "author": "/author/daniel-reyes/",
    "search": "/search?q=migraine",
}
# Search result pages carry `noindex` so that crawlers do not index endless query pages; Lighthouse's SEO
# category counts that against the page.
NOT_TARGETED = {("search", "seo")}
ATTEMPTS = 3


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse into bench/node_modules if it is missing."""
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    if not Path(CHROME).exists():
        sys.exit(f"{CHROME} not found: install Debian's Chromium (`apt-get install -y chromium`); none is downloaded")


def demo_instance(folder: Path) -> dict[str, str]:
    """Create a demo instance in `folder` and return the environment that serves it."""
    env = instance_env(folder)
    flask(env, "init")
    flask(env, "seed-demo")
    return env


def audit(base: str, name: str, preset: str, run: int) -> dict[str, float]:
    """Run Lighthouse on one page and return its score per category."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}-{preset}-{run}.json"
    command = [
        str(LIGHTHOUSE),
        base + PAGES[name],
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    # On a busy machine Lighthouse now and then loses the trace (NO_NAVSTART) and asks to be run again.
    for attempt in range(ATTEMPTS):
        if subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}).returncode == 0:
            break
        if attempt == ATTEMPTS - 1:
            sys.exit(f"Lighthouse failed {ATTEMPTS} times on {PAGES[name]}")
    categories = json.loads(report.read_text())["categories"]
    return {key: categories[key]["score"] for key in CATEGORIES}


def median_scores(base: str, name: str, preset: str, runs: int) -> dict[str, float]:
    """Audit a page `runs` times and return each category's median score."""
    audits = [audit(base, name, preset, run) for run in range(1, runs + 1)]
    return {key: statistics.median(scores[key] or 0 for scores in audits) for key in CATEGORIES}


def misses(name: str, scores: dict[str, float]) -> list[str]:
    """Return the categories in which a page scores below 1.00 where it should not."""
    return [key for key, score in scores.items() if (score or 0) < 1 and (name, key) not in NOT_TARGETED]


def main() -> None:
    """Audit the chosen pages of a demo instance, print the scores and exit 1 if one misses its target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="audits per page; the median score is kept")
    args = parser.parse_args()
    ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="blogapp-lighthouse-") as folder:
        server = Server(demo_instance(Path(folder)), workers=2, log=Path(folder) / "gunicorn.log")
        try:
            results = {name: median_scores(server.base, name, args.preset, args.runs) for name in args.pages}
        finally:
            server.stop()
    print(f"\nLighthouse ({args.preset}, median of {args.runs}) {' '.join(f'{key:>15}' for key in CATEGORIES)}")
    for name, scores in results.items():
        cells = " ".join(f"{scores[key]:>15.2f}" for key in CATEGORIES)
        flag = "" if not misses(name, scores) else "   below target: " + ", ".join(misses(name, scores))
        print(f"{name:<32}{cells}{flag}")
    print(json.dumps({"preset": args.preset, "runs": args.runs, "scores": results}))
    sys.exit(1 if any(misses(name, scores) for name, scores in results.items()) else 0)


if __name__ == "__main__":
    main()
