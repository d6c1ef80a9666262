"""Time the newsroom's revision diff on long articles: edited in places, and rewritten whole.

Run from the project root:

    .venv/bin/python bench/revision_diff.py              # blogapp's diff at 1,000 to 40,000 lines
    .venv/bin/python bench/revision_diff.py --difflib    # and difflib's exact matching beside it, up to 2,000 lines

Articles are Markdown paragraphs between blank lines, with a heading every 20 paragraphs; "edited" changes every
tenth line, "rewritten" every paragraph. It prints the seconds each diff took and how many lines it shows.
"""

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blogapp.content.revisions import diff

DIFFLIB_UP_TO = 2000  # lines; difflib took 49 s for a rewritten article of 4,200


def article(rng: random.Random, paragraphs: int) -> list[str]:
    """Return the lines of a Markdown article of `paragraphs` paragraphs."""
    lines: list[str] = []
    for n in range(paragraphs):
        if n % 20 == 0:
            lines += [f"## Part {n // 20}", ""]
        lines += [" ".join(f"w{rng.randrange(5000)}" for _ in range(rng.randint(5, 40))), ""]
    return lines


def exact_diff(old: list[str], new: list[str]) -> int:
    """Return the number of opcodes of difflib's exact matching (what the newsroom used before)."""
    return len(difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes())


def timed(compare, old: list[str], new: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    shown = compare(old, new)
    return time.perf_counter() - started, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--difflib", action="store_true", help=f"time difflib too, up to {DIFFLIB_UP_TO:,} lines")
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"{'lines':>7}  {'change':<10}{'blogapp s':>10}{'shown':>8}{'difflib s':>11}")
    for paragraphs in (500, 2000, 5000, 20000):
        # 20,000 paragraphs: 42,000 lines, more than a revision's diff compares (MAX_COMPARED_LINES)
        old = article(rng, paragraphs)
        edited = [line if n % 10 or not line else f"{line} (edited)" for n, line in enumerate(old)]
        for change, new in (("edited", edited), ("rewritten", article(rng, paragraphs))):
            seconds, shown = timed(lambda a, b: len(diff(a, b)), old, new)
            exact = "—"
            if args.difflib and len(old) <= DIFFLIB_UP_TO:
                exact = f"{timed(exact_diff, old, new)[0]:.2f}"
            print(f"{len(old):>7,}  {change:<10}{seconds:>10.2f}{shown:>8,}{exact:>11}", flush=True)


if __name__ == "__main__":
    main()
