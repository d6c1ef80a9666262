"""Which backups to keep: the newest of each of the last N days and of the last M weeks that have one."""

import re
import shutil
import time
from datetime import datetime
from pathlib import Path

from .backup import MANIFEST, PARTIAL_PREFIX

_NAME = re.compile(r"blogapp-(\d{8}-\d{6})(?:-(\d+))?")
# A `.partial-` folder this old is left by a backup that was killed (none takes a day).
_STALE_PARTIAL_SECONDS = 24 * 3600


def complete_backups(target_dir: str) -> list[tuple[datetime, Path]]:
    """Return the complete backups in `target_dir` with the time each was taken, newest first."""
    found = []
    for path in Path(target_dir).glob("blogapp-*"):
        match = _NAME.fullmatch(path.name)
        if match and (path / MANIFEST).is_file():
            taken = datetime.strptime(match[1], "%Y%m%d-%H%M%S")
            found.append((taken, int(match[2] or 1), path))
    found.sort(reverse=True)
    return [(taken, path) for taken, _, path in found]


def prune(target_dir: str, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Delete the backups that are neither among the kept daily nor weekly ones (never the newest); return them."""
    backups = complete_backups(target_dir)
    newest_per_day: dict = {}
    newest_per_week: dict = {}
    for taken, path in backups:
        newest_per_day.setdefault(taken.date(), path)
        newest_per_week.setdefault(taken.isocalendar()[:2], path)
    kept = set(list(newest_per_day.values())[:keep_daily]) | set(list(newest_per_week.values())[:keep_weekly])
    kept |= {path for _, path in backups[:1]}
    removed = [path for _, path in backups if path not in kept]
    for path in removed:
        shutil.rmtree(path)
    for path in Path(target_dir).glob(PARTIAL_PREFIX + "*"):
        if time.time() - path.stat().st_mtime > _STALE_PARTIAL_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
