"""SQLite's plans for the statements a piece of code runs, and the steps that read a large table whole."""

import re

from blogapp.content.raw_query import watch_statements
from blogapp.extensions import db

# Tables that stay small whatever the site's size: a full scan of one is often the right plan.
SMALL_TABLES = {"authors", "categories", "settings", "site_version", "tags"}


def query_plans(run) -> list[tuple[str, list[str]]]:
    """Run `run()`, then return each statement it read or changed rows with and SQLite's plan for it."""
    with watch_statements(db.engine) as statements:
        run()
    connection = db.session.connection()
    plans = []
    for statement, parameters in statements:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append((statement, [row[3] for row in rows]))
    return plans


def full_scans(lines: list[str]) -> list[str]:
    """Return the plan steps that read a whole large table row by row (no index) or build a throwaway index."""
    big_tables = set(db.metadata.tables) - SMALL_TABLES
    found = []
    for line in lines:
        match = re.match(r"(?:SCAN|SEARCH) (\w+)", line)
        table = re.sub(r"_\d+$", "", match[1]) if match else None  # authors_1 is an alias of authors
        if table in big_tables and (re.fullmatch(r"SCAN \w+", line) or "AUTOMATIC" in line):
            found.append(line)
    return found


def uses(lines: list[str], step: str) -> bool:
    """Tell whether a plan searches with `step` (part of a SEARCH line), or walks an index whole ("SCAN … INDEX …")."""
    if step.startswith("SCAN "):  # an index read in its order from the start, as a LIMIT query may
        return any(line.startswith(step) for line in lines)
    return any(line.startswith("SEARCH") and step in line for line in lines)
