"""Timing the endpoint benchmark's patterns: sequential requests from one client, and their percentiles."""

import itertools
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.endpoints_http import Answer, Client
from bench.endpoints_urls import Pattern
from bench.instances import ROOT, Server

REFERENCE_REQUESTS = 200
SHOWN_WRONG = 3  # wrong answers quoted per pattern and mode


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values` (0 when there are none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Figures:
    """The latency of one pattern in one mode (milliseconds) and what its requests answered."""

    samples: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)  # "GET url → status" for answers that were not the expected

    @classmethod
    def of(cls, answers: list[tuple[str, Answer]], right) -> "Figures":
        """Sum up (url, answer) pairs; `right(status)` tells an expected status."""
        times = [answer.seconds * 1000 for _, answer in answers]
        statuses: dict[str, int] = {}
        for _, answer in answers:
            key = str(answer.status) if answer.status else answer.error
            statuses[key] = statuses.get(key, 0) + 1
        wrong = [f"GET {url} → {answer.status or answer.error}" for url, answer in answers if not right(answer.status)]
        return cls(
            samples=len(answers),
            p50_ms=percentile(times, 0.5),
            p95_ms=percentile(times, 0.95),
            p99_ms=percentile(times, 0.99),
            max_ms=max(times, default=0.0),
            statuses=dict(sorted(statuses.items())),
            wrong=wrong[:SHOWN_WRONG] + ([f"… {len(wrong) - SHOWN_WRONG} more"] if len(wrong) > SHOWN_WRONG else []),
        )

    def as_dict(self) -> dict:
        """Return the figures for the JSON line, rounded to 0.1 ms."""
        figures = asdict(self)
        return {key: round(value, 1) if isinstance(value, float) else value for key, value in figures.items()}


def is_right(pattern: Pattern):
    """Return the test of a status for this pattern: 404 for a missing address, else 2xx or 3xx."""
    if pattern.expected == "404":
        return lambda status: status == 404
    return lambda status: 200 <= status < 400


def sample_urls(pattern: Pattern, least: int) -> list[str]:
    """Return the URLs to time: each once, and again in turn up to `least` requests, but searches only once."""
    wanted = pattern.samples or least
    if pattern.group.startswith("search") or not pattern.urls or len(pattern.urls) >= wanted:
        return list(pattern.urls)
    return list(itertools.islice(itertools.cycle(pattern.urls), wanted))


def warm_up(clients: dict[bool, Client], patterns: list[Pattern], requests: int) -> None:
    """Request each pattern's spare URLs, unmeasured, so every worker has opened what the pattern needs."""
    for pattern in patterns:
        client = clients[pattern.signed_in]
        spare = (
            pattern.warmup
            if pattern.group.startswith("search")
            else list(itertools.islice(itertools.cycle(pattern.warmup), requests))
        )
        for url in spare:
            client.get(url)


def measure_patterns(clients: dict[bool, Client], patterns: list[Pattern], least: int, passes: int) -> dict:
    """Time each pattern's URLs after `passes` unmeasured passes over them; return Figures by pattern name."""
    chosen = {pattern.name: sample_urls(pattern, least) for pattern in patterns}
    for _ in range(passes):
        for pattern in patterns:
            for url in dict.fromkeys(chosen[pattern.name]):
                clients[pattern.signed_in].get(url)
    found = {}
    for pattern in patterns:
        answers = [(url, clients[pattern.signed_in].get(url)) for url in chosen[pattern.name]]
        found[pattern.name] = Figures.of(answers, is_right(pattern))
    return found


def reference_latency(folder: Path, workers: int | None) -> dict:
    """Return p50/p95/max of bench/reference_app.py's constant 35 KB page, served and requested the same way."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bench")}
    server = Server(env, workers, folder / "gunicorn-endpoints-reference.log", target="reference_app:app")
    try:
        client = Client(server.base)
        for _ in range(20):  # every worker's first answer
            client.get("/")
        answers = [("/", client.get("/")) for _ in range(REFERENCE_REQUESTS)]
    finally:
        server.stop()
    figures = Figures.of(answers, lambda status: status == 200)
    return {key: figures.as_dict()[key] for key in ("p50_ms", "p95_ms", "max_ms")}
