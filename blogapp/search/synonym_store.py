"""The synonyms in effect: the list editors saved in the newsroom (one settings row every node reads), else the file.

Reading the row costs a statement, so each process reads it once per content version: saving the list changes a
setting, which is a content change, so every node sees a new version at its next request and reads the row again.
A search between two content changes reads nothing more than the page's validators it already reads.
"""

import os
import threading
from dataclasses import dataclass

from ..content import audit
from ..content.settings import set_setting
from ..content.version import remember
from ..extensions import db
from ..models import Setting
from .synonym_rules import count_groups
from .synonyms import DEFAULT_FILE, SynonymFile, Synonyms, parse_synonyms

SETTING_KEY = "search_synonyms"


@dataclass(frozen=True)
class SynonymList:
    """A synonyms list as an editor sees it: its text and where it comes from."""

    text: str
    source: str  # "newsroom", "instance file" or "shipped list"

    @property
    def groups(self) -> int:
        """Return how many groups and one-way rules the list holds."""
        return count_groups(self.text)


def saved_text() -> str | None:
    """Return the list saved in the newsroom, or None when none was."""
    row = db.session.get(Setting, SETTING_KEY)
    return row.value if row is not None else None


def shipped_text() -> str:
    """Return the list blogapp ships."""
    with open(DEFAULT_FILE, encoding="utf-8") as handle:
        return handle.read()


def in_effect(path: str) -> SynonymList:
    """Return the list searches use now: the newsroom's, else the file at `path`, else the shipped one."""
    saved = saved_text()
    if saved is not None:
        return SynonymList(saved, "newsroom")
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as handle:
            return SynonymList(handle.read(), "instance file")
    return SynonymList(shipped_text(), "shipped list")


def save(text: str, before: SynonymList, restored: bool = False) -> bool:
    """Store the list every node searches with and log who changed it; return whether it changed. The caller commits."""
    text = text.replace("\r\n", "\n").strip() + "\n"
    if before.source == "newsroom" and text == before.text:
        return False
    set_setting(SETTING_KEY, text)
    detail = {"groups_before": before.groups, "groups": count_groups(text), "restored": restored}
    audit.record("synonyms.changed", ("setting", None, "search synonyms"), detail)
    return True


class SynonymSource:
    """The synonyms in effect for one app, parsed once per distinct list."""

    def __init__(self, path: str):
        self.file = SynonymFile(path)
        self._lock = threading.Lock()
        self._parsed: tuple[str, Synonyms] | None = None

    def current(self) -> Synonyms:
        """Return the newsroom's list when one is saved, else the file's (re-read when it changes on disk)."""
        text = remember(SETTING_KEY, saved_text)
        if text is None:
            return self.file.current()
        with self._lock:
            if self._parsed is None or self._parsed[0] != text:
                # Unchanged text keeps its object: result pages kept for it stay valid.
                self._parsed = (text, parse_synonyms(text))
            return self._parsed[1]
