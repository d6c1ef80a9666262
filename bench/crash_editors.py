"""The crash test's editors: threads that save through the real editor form, and the ledger of their saves."""

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field

from servers import Browser, form_fields

from bench.instances import Server

EMAIL = "crash-editor@example.org"
PASSWORD = "a long enough crash test password"
EDIT_SHARE = 0.4  # the share of saves that edit one of the thread's own articles instead of writing a new one
SAVED = re.compile(r"/admin/articles/(\d+)/edit$")


@dataclass
class Save:
    """One POST of the editor form: its token, the article it edits (None: new) and how it was answered."""

    token: str
    article_id: int | None
    status: int | None = None  # None: no answer (the server was killed)

    @property
    def acknowledged(self) -> bool:
        """Tell whether the editor was told the save worked."""
        return self.status == 302


@dataclass
class Ledger:
    """Every save of the run, in the order each article received them."""

    total: int
    attempted: int = 0
    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self) -> int | None:
        """Return the next save number, or None when all have been attempted."""
        with self.lock:
            if self.attempted == self.total:
                return None
            self.attempted += 1
            return self.attempted


def _get_form(browser: Browser, path: str) -> dict[str, str]:
    """Return the editor form at `path`, waiting while the server is down or restarting."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _, html = browser.request(path)
        except (OSError, http.client.HTTPException):
            status, html = None, ""
        if status == 200:
            return form_fields(html)
        if status not in (None, 503):
            raise RuntimeError(f"GET {path} answered {status}")
        time.sleep(0.1)
    raise RuntimeError(f"GET {path} did not answer within 120 s")


def _save_once(browser: Browser, ledger: Ledger, number: int, mine: list[int], rng: random.Random) -> None:
    """Fill the editor form with a new token, POST it and record how it was answered."""
    article_id = rng.choice(mine) if mine and rng.random() < EDIT_SHARE else None
    path = f"/admin/articles/{article_id}/edit" if article_id else "/admin/articles/new"
    fields = _get_form(browser, path)
    save = Save(token=f"crash{number:05d}", article_id=article_id)
    fields.update(title=f"Crash save {save.token}", body=f"Written as {save.token}.", status="published", save="Save")
    try:
        save.status, headers, _ = browser.request(path, fields)
    except (OSError, http.client.HTTPException):
        headers = {}
    if save.acknowledged and article_id is None:
        save.article_id = int(SAVED.search(headers["Location"])[1])
        mine.append(save.article_id)
    with ledger.lock:
        ledger.saves.append(save)


def editor(base: str, ledger: Ledger, seed: int) -> None:
    """Sign in, then save until the ledger's saves are all attempted."""
    browser, rng, mine = Browser(base), random.Random(seed), []
    try:
        fields = _get_form(browser, "/login")
        status, _, _ = browser.request("/login", {**fields, "email": EMAIL, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")
        while (number := ledger.claim()) is not None:
            _save_once(browser, ledger, number, mine, rng)
    except Exception as exc:  # reported at the end, not lost in the thread
        ledger.errors.append(f"{type(exc).__name__}: {exc}")


def drive(server: Server, ledger: Ledger, threads: int, kills: int, rng: random.Random) -> list[int]:
    """Run the editors; kill and restart the server at random points. Return after which saves it was killed."""
    workers = [threading.Thread(target=editor, args=(server.base, ledger, rng.random())) for _ in range(threads)]
    for worker in workers:
        worker.start()
    points = sorted(rng.sample(range(ledger.total // 10, ledger.total * 9 // 10), kills))
    for point in points:
        while ledger.attempted < point and any(worker.is_alive() for worker in workers):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))  # land anywhere in a request: parsing, committing, draining the queue
        server.kill()
        server.start()
    for worker in workers:
        worker.join()
    return points
