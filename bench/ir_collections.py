"""Find the test collections in a folder: one SMART collection (documents, queries, judgments) per subfolder."""

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path


def _shared_ir() -> Path:
    """Return ../shared/data/ir beside the checkout (or beside a folder above it, as for a git worktree)."""
    checkout = Path(__file__).resolve().parents[1]
    for folder in checkout.parents:
        if (folder / "shared" / "data" / "ir").is_dir():
            return folder / "shared" / "data" / "ir"
    return checkout.parent / "shared" / "data" / "ir"


# `--dir` names any other folder.
SHARED_IR = _shared_ir()
# File names as the classic distributions spell them (CISI.ALL, cran.all.1400, cacm.all, ADI.ALL …) and
# TREC's (qrels.*): matched case-insensitively, so a collection laid out the same way loads without code.
_DOCS = ("*.all", "*.all.*")
_QUERIES = ("*.qry", "query.text", "queries.*", "*.queries")
_QRELS = ("*.rel", "*qrel*", "*.qrels")


@dataclass(frozen=True)
class Collection:
    name: str
    docs: Path
    queries: Path
    qrels: Path


def _one(folder: Path, patterns: tuple[str, ...], what: str) -> Path:
    files = sorted(p for p in folder.iterdir() if p.is_file() and any(fnmatch(p.name.lower(), x) for x in patterns))
    files = [p for p in files if not p.name.lower().endswith(("readme", ".readme", ".md", ".txt"))]
    if len(files) != 1:
        found = ", ".join(p.name for p in files) or "none"
        raise ValueError(f"{folder.name}: expected one {what} file ({' '.join(patterns)}), found {found}")
    return files[0]


def find_collections(root: Path) -> list[Collection]:
    """Return the collection of each subfolder of `root` that holds one, by name; a folder that half does raises."""
    if not root.is_dir():
        raise ValueError(f"no collections folder at {root}")
    collections = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        collections.append(
            Collection(
                folder.name,
                _one(folder, _DOCS, "documents"),
                _one(folder, _QUERIES, "queries"),
                _one(folder, _QRELS, "judgments"),
            )
        )
    return collections
