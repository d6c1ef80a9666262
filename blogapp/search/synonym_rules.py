"""What a synonyms list may hold: its bounds, its groups counted, and the lines that cannot work, by number."""

from collections.abc import Iterator

from .synonyms import analyse

# The shipped list is about 25 KB in 400 lines; ten times that still parses in well under a second.
MAX_BYTES = 250_000
MAX_LINES = 5000
MAX_LINE_CHARS = 500
# Each search tries every run of up to this many words against the list: longer entries would cost every search.
MAX_ENTRY_WORDS = 6
MAX_MESSAGES = 25


def rule_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield each line that says something (comments and blank lines left out), with its line number."""
    for number, line in enumerate(text.splitlines(), 1):
        rule = line.split("#", 1)[0].strip()
        if rule:
            yield number, rule


def count_groups(text: str) -> int:
    """Return how many groups and one-way rules the list holds (one a line)."""
    return sum(1 for _ in rule_lines(text))


def _entry_problems(number: int, entries: list[str]) -> list[str]:
    problems = []
    for entry in entries:
        words = analyse(entry)
        if not words:
            problems.append(
                f"Line {number}: “{entry}” has no word search can use "
                "(only very common words, single letters, digits alone or punctuation)."
            )
        elif len(words) > MAX_ENTRY_WORDS:
            problems.append(f"Line {number}: “{entry}” is longer than {MAX_ENTRY_WORDS} words.")
    return problems


def _entries(side: str) -> list[str]:
    return [" ".join(entry.split()) for entry in side.split(",") if entry.strip()]


def _line_problems(number: int, rule: str) -> list[str]:
    """Return what is wrong with one rule line, or nothing."""
    if len(rule) > MAX_LINE_CHARS:
        return [f"Line {number}: longer than {MAX_LINE_CHARS} characters; split the group."]
    if rule.count("=>") > 1:
        return [f"Line {number}: more than one “=>”; write one rule a line."]
    if "=>" in rule:
        typed, _, added = (_entries(side) for side in rule.partition("=>"))
        if not typed or not added:
            side = "before" if not typed else "after"
            return [f"Line {number}: nothing {side} “=>”; write `searched words => also found words`."]
        problems = _entry_problems(number, typed + added)
        if not problems and not {analyse(e) for e in added} - {analyse(e) for e in typed}:
            problems.append(f"Line {number}: the right side of “=>” adds nothing the left side does not say.")
        return problems
    entries = _entries(rule)
    problems = _entry_problems(number, entries)
    if not problems and len({analyse(entry) for entry in entries}) < 2:
        problems.append(f"Line {number}: a group needs two or more different entries, separated by commas.")
    return problems


def problems(text: str) -> list[str]:
    """Return why the list cannot be used as it is (at most MAX_MESSAGES lines), or nothing when it can."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        return [f"The list is {size:,} bytes; it may be at most {MAX_BYTES:,}."]
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return [f"The list has {lines:,} lines; it may have at most {MAX_LINES:,}."]
    found = [message for number, rule in rule_lines(text) for message in _line_problems(number, rule)]
    if len(found) > MAX_MESSAGES:
        return [*found[:MAX_MESSAGES], f"… and {len(found) - MAX_MESSAGES} more problems."]
    return found
