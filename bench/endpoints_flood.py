"""The flood phase: threads sending never-repeated 32-word searches as fast as they can while others read pages.

It shows whether readers of articles and the home page still get quick answers while searches pile up: with the
search concurrency cap at its default, searches beyond it should get a fast 503 with Retry-After instead of
taking every worker.
"""

import itertools
import threading
import time
from dataclasses import dataclass, field

from bench.endpoints_http import Answer, Client
from bench.endpoints_measure import percentile
from bench.endpoints_queries import MAX_TERMS, Words, search_url

TIMEOUT = 10.0
PAGE_BUDGET_MS = 100  # article and home p99 while searches flood
HOME_EVERY = 4  # one page request in this many is the home page, the others articles


@dataclass
class Tally:
    """What one kind of request got during the flood, shared by the threads sending it."""

    times_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    busy: int = 0  # 503 answers
    busy_with_retry_after: int = 0
    timeouts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        """Count one answer."""
        key = str(answer.status) if answer.status else answer.error
        with self.lock:
            self.times_ms.append(answer.seconds * 1000)
            self.statuses[key] = self.statuses.get(key, 0) + 1
            self.busy += answer.status == 503
            self.busy_with_retry_after += answer.status == 503 and "Retry-After" in answer.headers
            self.timeouts += answer.error in ("TimeoutError", "timeout")

    def summary(self) -> dict:
        """Return the count, percentiles (ms), statuses, 503s and timeouts."""
        times = self.times_ms
        figures = {f"p{round(q * 100)}_ms": round(percentile(times, q), 1) for q in (0.5, 0.95, 0.99)}
        return {
            "requests": len(times),
            **figures,
            "max_ms": round(max(times, default=0.0), 1),
            "statuses": dict(sorted(self.statuses.items())),
            "busy_503": self.busy,
            "busy_503_with_retry_after": self.busy_with_retry_after,
            "timeouts": self.timeouts,
        }


class Flood:
    """Search threads and page threads against one server until a deadline."""

    def __init__(self, base: str, words: Words, articles: list[str]):
        self.base, self.words = base, words
        self.articles = itertools.cycle(articles)
        self.tallies = {"article": Tally(), "home": Tally(), "search": Tally()}
        self.lock = threading.Lock()
        self.sent: set[str] = set()

    def _query(self) -> str:
        # 32 words from a vocabulary of thousands do not repeat in practice; the set makes sure.
        with self.lock:
            while True:
                query = " ".join(self.words.word() for _ in range(MAX_TERMS))
                if query not in self.sent:
                    self.sent.add(query)
                    return query

    def _search(self, deadline: float) -> None:
        client = Client(self.base, TIMEOUT)
        while time.monotonic() < deadline:
            self.tallies["search"].add(client.get(search_url(self._query())))

    def _pages(self, deadline: float) -> None:
        client = Client(self.base, TIMEOUT)
        for number in itertools.count():
            if time.monotonic() >= deadline:
                return
            if number % HOME_EVERY == 0:
                self.tallies["home"].add(client.get("/"))
            else:
                with self.lock:
                    path = next(self.articles)
                self.tallies["article"].add(client.get(path))

    def run(self, seconds: float, searchers: int = 8, readers: int = 2) -> dict:
        """Flood for `seconds`; return each kind's summary."""
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=self._search, args=(deadline,), daemon=True) for _ in range(searchers)]
        threads += [threading.Thread(target=self._pages, args=(deadline,), daemon=True) for _ in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + TIMEOUT + 5)  # a request started before the deadline ends within TIMEOUT
        return {kind: tally.summary() for kind, tally in self.tallies.items()}


def verdicts(found: dict) -> list[tuple[str, bool]]:
    """Return the flood's checks and whether each passed."""
    pages = [found["article"], found["home"]]
    wrong = sum(n for page in pages for status, n in page["statuses"].items() if not status.startswith(("2", "3")))
    return [
        (
            f"article p99 < {PAGE_BUDGET_MS} ms ({found['article']['p99_ms']:.1f})",
            found["article"]["p99_ms"] < PAGE_BUDGET_MS,
        ),
        (f"home p99 < {PAGE_BUDGET_MS} ms ({found['home']['p99_ms']:.1f})", found["home"]["p99_ms"] < PAGE_BUDGET_MS),
        (
            f"no page timed out ({sum(page['timeouts'] for page in pages)})",
            all(page["timeouts"] == 0 for page in pages),
        ),
        (f"every page answered 2xx/3xx ({wrong} did not)", wrong == 0),
        (
            "every 503 to a search had Retry-After",
            found["search"]["busy_503"] == found["search"]["busy_503_with_retry_after"],
        ),
    ]


def print_flood(found: dict, seconds: float) -> list[str]:
    """Print the flood's figures and checks; return the checks that failed."""
    print(f"\nFlood, {seconds:g} s: 8 threads of never-repeated 32-word searches, 2 threads of article and home pages")
    head = f"{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'503':>6}{'Retry-After':>13}{'timeouts':>10}"
    print(f"{'requests':<10}{head}  statuses")
    for kind, figures in found.items():
        statuses = " ".join(f"{status}×{count}" for status, count in figures["statuses"].items())
        print(
            f"{kind:<10}{figures['requests']:>7}{figures['p50_ms']:>9.1f}{figures['p95_ms']:>9.1f}{figures['p99_ms']:>9.1f}"
            f"{figures['max_ms']:>9.1f}{figures['busy_503']:>6}{figures['busy_503_with_retry_after']:>13}"
            f"{figures['timeouts']:>10}  {statuses}"
        )
    failed = []
    for label, passed in verdicts(found):
        print(f"  {'PASS' if passed else 'FAIL'}  flood: {label}")
        if not passed:
            failed.append(f"flood: {label}")
    return failed
