"""The sqlmap probe's runs: sqlmap's command line per target, reading its verdict, the requests, the table."""

import re
import shutil
import subprocess
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.sqlmap_site import AGENT
from bench.sqlmap_targets import Target

SQLMAP = shutil.which("sqlmap") or "/usr/bin/sqlmap"
SQLMAP_TIMEOUT = 3600  # seconds for one target; far more than any takes


@dataclass
class Outcome:
    """What one sqlmap run found."""

    target: Target
    tested: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    injectable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        """Return the result column: injectable parameters, errors, or not injectable."""
        if self.injectable:
            return "INJECTABLE: " + ", ".join(self.injectable)
        if self.errors:
            return "ERROR: " + "; ".join(self.errors)
        return "not injectable"


def sqlmap_command(target: Target, base: str, site: dict, out: Path, args) -> list[str]:
    """Return the sqlmap command line for one target."""
    level, risk = (max(1, target.min_level), 1) if args.quick else (3, 2)
    command = [SQLMAP, "-u", base + target.url, "--batch", f"--level={level}", f"--risk={risk}", "--flush-session"]
    # The agent names the target, so the server's access log tells each target's requests apart.
    command += [f"--output-dir={out}", f"--user-agent={AGENT} ({target.slug})", "--disable-coloring"]
    # No firewall stands in front of the app; sqlmap's check for one misreads a form that deletes its own page.
    command.append("--skip-waf")
    if not args.all_dbms:
        command.append("--dbms=SQLite")
    if target.params:
        command += ["-p", ",".join(target.params)]
    if target.data is not None:
        # A redirect after a POST is followed with a GET, as a browser does; resent, it would save the form again.
        command += ["--data=" + urllib.parse.urlencode(target.data), "--answers=resend original POST data=N"]
    cookie = site["admin_cookie"] if target.signed_in else target.cookie
    if cookie:
        command += [f"--cookie={cookie}", "--drop-set-cookie"]
    if target.eval_code:
        command.append(f"--eval={target.eval_code}")
    if target.csrf_page:
        command += [f"--csrf-token={target.csrf_field}", f"--csrf-url={base}{target.csrf_page}"]
    return command


PLACE = r"(?:\(custom\) )?(?:GET|POST|URI|Cookie|User-Agent|Referer|Host)? ?parameter '([^']+)'"
CLEAN = re.compile(PLACE + r" does not seem to be injectable")
FOUND = re.compile(PLACE + r" (?:is|appears to be) '([^']+)' injectable")
NOTES = (
    re.compile(r"heuristic \(basic\) test shows that .+ might be injectable.*"),
    re.compile(r"heuristic \(XSS\) test shows that .+ might be vulnerable to cross-site scripting.*"),
    re.compile(r"target URL appears to be UNION injectable with \d+ columns"),
    re.compile(r"false positive or unexploitable injection point detected"),
)
NOTHING_FOUND = "all tested parameters do not appear to be injectable"


def read_outcome(outcome: Outcome, output: str) -> None:
    """Fill `outcome` from sqlmap's console output."""
    outcome.clean = sorted(set(CLEAN.findall(output)))
    # "appears to be … injectable" is a lead that sqlmap then checks; it says "does not seem" when it drops it.
    leads = FOUND.findall(output)
    found = sorted({f"{name} ({how})" for name, how in leads if name not in outcome.clean})
    if "sqlmap identified the following injection point" in output or found:
        outcome.injectable = found or ["see sqlmap's log"]
    outcome.notes += sorted(
        {f"lead on {name} ({how}) dropped by sqlmap's checks" for name, how in leads if name in outcome.clean}
    )
    for pattern in NOTES:
        outcome.notes += sorted({match.group(0) for match in pattern.finditer(output)})
    codes = re.search(r"HTTP error codes detected during run:\n((?:\d{3} .*\n?)+)", output)
    server_errors = [line for line in (codes.group(1).splitlines() if codes else []) if line.startswith("5")]
    if server_errors:
        outcome.notes.append("sqlmap saw server errors: " + "; ".join(server_errors))
    # Without a terminal on stdin sqlmap runs in its multiple-targets mode, where a stop is logged as ERROR.
    stops = re.findall(r"\[(?:ERROR|CRITICAL)\] (.+)", output)
    outcome.errors += [line for line in stops if NOTHING_FOUND not in line]
    outcome.tested = sorted(set(outcome.clean) | {name for name, _ in leads})
    if not outcome.injectable and not outcome.errors and (NOTHING_FOUND not in output or not outcome.tested):
        outcome.errors.append("sqlmap tested nothing or gave no verdict")


def probe(target: Target, base: str, site: dict, folder: Path, args) -> Outcome:
    """Run sqlmap on one target and return what it found."""
    out = folder / "sqlmap" / target.slug
    out.mkdir(parents=True)
    started = time.monotonic()
    outcome = Outcome(target)
    try:
        done = subprocess.run(
            sqlmap_command(target, base, site, out, args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SQLMAP_TIMEOUT,
        )
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode(errors="replace")
        outcome.errors.append(f"sqlmap did not finish within {SQLMAP_TIMEOUT} s")
    (out / "console.txt").write_text(output)
    outcome.seconds = time.monotonic() - started
    read_outcome(outcome, output)
    if target.params and not outcome.injectable:
        missing = [name for name in target.params if name not in outcome.tested]
        if missing:
            outcome.errors.append("not tested: " + ", ".join(missing))
    return outcome


def probe_all(targets: list[Target], base: str, site: dict, folder: Path, args) -> list[Outcome]:
    """Probe the targets, `args.jobs` at a time, then those marked `last` one by one; return in target order."""
    done: dict[str, Outcome] = {}

    def run(target: Target) -> None:
        done[target.name] = outcome = probe(target, base, site, folder, args)
        print(f"[{len(done)}/{len(targets)}] {target.name}: {outcome.verdict} ({outcome.seconds:.0f} s)", flush=True)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # The longest runs (many parameters, a token fetched before each form request) start first.
        first = sorted((t for t in targets if not t.last), key=lambda t: -len(t.params) * (2 if t.data else 1))
        list(pool.map(run, first))
    for target in targets:
        if target.last:
            run(target)
    return [done[t.name] for t in targets]


def count_requests(outcomes: list[Outcome], log: Path) -> None:
    """Count each target's requests and 5xx answers in the access log, by the user agent that names it."""
    text = log.read_text(errors="replace")
    for outcome in outcomes:
        lines = re.findall(rf'^.*"{re.escape(f"{AGENT} ({outcome.target.slug})")}.*$', text, re.M)
        outcome.requests = len(lines)
        errors = [line for line in lines if re.search(r'HTTP/1\.\d" 5\d\d ', line)]
        if errors:
            outcome.notes.append(f"{len(errors)} answers with status 5xx (first: {errors[0][:300]})")


def print_table(outcomes: list[Outcome]) -> None:
    """Print target, parameters, requests, time and verdict; notes and errors under their target."""
    print(f"\n{'target':<34}{'parameters tested':<46}{'requests':>9}{'time':>7}  result")
    for o in outcomes:
        tested = ", ".join(o.tested) or "—"
        print(f"{o.target.name:<34}{tested:<46}{o.requests:>9,}{o.seconds:>6.0f}s  {o.verdict}")
        for note in o.notes:
            print(f"{'':<34}note: {note}")
