"""The log position an index has applied up to, kept in a file inside the index directory.

It travels with the index: a node restored from a copy of its index resumes from the copy's position. The file
is written after each index commit, so at worst it lags the index and entries are applied again (applying an
article is idempotent); it never claims entries the index lacks.
"""

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator

from whoosh.index import LockError

POSITION_FILE = "blogapp-log-position.json"
LOCK_FILE = "blogapp-apply.lock"


def read(index_path: str) -> int:
    """Return the position recorded in the index (0, the whole log, when none is)."""
    try:
        with open(os.path.join(index_path, POSITION_FILE)) as stored:
            return int(json.load(stored)["position"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def write(index_path: str, position: int) -> None:
    """Record `position` unless the index already records a later one (another worker of this node wrote it)."""
    if position <= read(index_path):
        return
    path = os.path.join(index_path, POSITION_FILE)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w") as stored:
        json.dump({"position": position}, stored)
    os.replace(temporary, path)


def forget(index_path: str) -> None:
    """Remove the recorded position (an index created empty starts from the whole log)."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(index_path, POSITION_FILE))


@contextlib.contextmanager
def held(index_path: str, timeout: float) -> Iterator[None]:
    """Hold this node's apply lock (waiting up to `timeout` s) from reading the position to writing the next one.

    Whoosh releases its writer lock when it commits, before the position is written: without this lock another
    worker would read the old position then and apply the same entries again, a commit for nothing.
    """
    with open(os.path.join(index_path, LOCK_FILE), "a") as lock:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as busy:
                if time.monotonic() >= deadline:
                    raise LockError("another process is applying the log to this index") from busy
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
