"""The load benchmark's wrk runs: installing wrk, running it over a list of requests and reading its figures."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.instances import ROOT, Server

LUA = ROOT / "bench" / "wrk" / "paths.lua"


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
