"""Saves through one node and a watcher per other node: every save and every expected sighting accounted for.

A save is acknowledged when its POST answers 302; any other answer or a connection error is counted with its reason.
Each of ten editors makes one save at a time (an editor shared by two saves at once had some refused with 400).
Each other node has one watcher that searches it for the bench's title word, newest first, page after page until
it reaches the oldest save it has not seen yet, with one request in flight: the bench's own searches stay a
steady, small load (one watcher per save, each polling every 20 ms, had 40-80 searches queued on a 2-core machine
and measured its own queue). A save's delay on a node is the time from its acknowledgment to the end of the first
search that lists it (0 when listed before the editor had the answer). Every acknowledged save is, on every other
node, either seen (with its delay) or not seen within the window; every failed search is counted with its reason.
"""

import queue
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from app_nodes import Node, editor, save
from servers import Browser

TITLE_WORD = "replica"
_NUMBER = re.compile(rf'href="/articles/{TITLE_WORD}-save-(\d+)/')
_SAYS = re.compile(r'<title>([^<]*)</title>|<p class="lede">([^<]*)</p>')
MAX_PAGES = 20
EDITORS = 10  # signed in before the saves (a sign-in costs a password hash: one per save swamped the node)


def reason(error: BaseException) -> str:
    """Return a short reason for a failure: the HTTP answer, or the exception's type and first words."""
    text = str(error)
    if isinstance(error, AssertionError):  # app_nodes.save and Browser.form: "<status> <start of the page>"
        says = " / ".join(filter(None, (a or b for a, b in _SAYS.findall(text))))
        return f"HTTP {text[:3]}: {says[:160] or text[4:80]}"
    return f"{type(error).__name__}: {text[:80]}"


@dataclass
class Ledger:
    """What happened to every save and every expected sighting."""

    acked: dict[int, float] = field(default_factory=dict)  # save number -> time its 302 arrived
    failed: Counter = field(default_factory=Counter)  # reason -> saves
    seen: dict[str, dict[int, float]] = field(default_factory=dict)  # node -> save number -> first listed
    search_errors: Counter = field(default_factory=Counter)  # (node, reason) -> failed searches
    attempted: int = 0
    took: float = 0.0  # seconds from the first save's start to the last one's answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delays(self, node: str, window: float) -> tuple[list[float], list[int]]:
        """Return the delays of the saves seen on `node` within `window` s, and the numbers of those not."""
        delays, missed = [], []
        for number, acked in self.acked.items():
            seen = self.seen[node].get(number)
            if seen is not None and seen - acked <= window:
                delays.append(max(0.0, seen - acked))
            else:
                missed.append(number)
        return delays, missed


def _write(ledger: Ledger, editors: queue.Queue, number: int) -> None:
    """Save one article as an editor who is not saving anything else (waiting for one when all are busy)."""
    body = f"This article mentions replicaword{number}x{random.randrange(10**9)}."
    try:
        browser = editors.get()  # the save is late when every editor is busy: the rate printed is the one made
        try:
            save(browser, f"{TITLE_WORD.title()} save {number}", body)
        finally:
            editors.put(browser)
    except Exception as error:  # a refused save (AssertionError with its status) or a connection error
        with ledger.lock:
            ledger.failed[reason(error)] += 1
        return
    with ledger.lock:
        ledger.acked[number] = time.monotonic()


def _listed(browser: Browser, page: int) -> list[int]:
    """Return the save numbers on one page of the newest results for the title word."""
    status, _, html = browser.request(f"/search?q={TITLE_WORD}&sort=newest&page={page}")
    if status != 200:
        raise AssertionError(f"{status} {html[:200]}")
    return [int(n) for n in _NUMBER.findall(html)]


def _watch(ledger: Ledger, node: Node, done: threading.Event, window: float) -> None:
    """Search `node` until every acknowledged save is listed or `window` s after the saves ended."""
    seen, browser = ledger.seen[node.name], Browser(node.base)
    deadline = None
    while True:
        if done.is_set():
            deadline = deadline or time.monotonic() + window
        with ledger.lock:
            unseen = [n for n in ledger.acked if n not in seen]
        if done.is_set() and (not unseen or time.monotonic() > deadline):
            return
        for page in range(1, MAX_PAGES + 1):
            try:
                numbers = _listed(browser, page)
            except Exception as error:
                with ledger.lock:
                    ledger.search_errors[(node.name, reason(error))] += 1
                time.sleep(0.1)
                break
            now = time.monotonic()
            for number in numbers:
                seen.setdefault(number, now)
            if not numbers or not unseen or min(numbers) <= min(unseen):
                break
        time.sleep(0.02)


def run(nodes: list[Node], rate: float, seconds: float, window: float = 10.0) -> Ledger:
    """Save at `rate` a second through the first node for `seconds`, watched on the others; return the ledger."""
    ledger = Ledger(seen={node.name: {} for node in nodes[1:]})
    editors: queue.Queue = queue.Queue()
    for _ in range(EDITORS):
        editors.put(editor(nodes[0]))
    done = threading.Event()
    watchers = [threading.Thread(target=_watch, args=(ledger, node, done, window)) for node in nodes[1:]]
    for watcher in watchers:
        watcher.start()
    started, savers = time.monotonic(), []
    while time.monotonic() - started < seconds:
        number = ledger.attempted
        saver = threading.Thread(target=_write, args=(ledger, editors, number))
        saver.start()
        savers.append(saver)
        ledger.attempted += 1
        time.sleep(max(0.0, started + ledger.attempted / rate - time.monotonic()))
    for saver in savers:
        saver.join()
    ledger.took = time.monotonic() - started
    done.set()
    for watcher in watchers:
        watcher.join()
    return ledger
