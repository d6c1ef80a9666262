"""Hostile and random input for the property tests: strategies, form submissions, and checks that nothing is stored."""

import operator
import random
import re
import secrets

import pytest
import whoosh.util
from hypothesis import HealthCheck, event, example, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import String
from werkzeug.datastructures import MultiDict

from blogapp.extensions import db
from blogapp.models import Role
from blogapp.search import get_index


def fuzz(max_examples: int):
    """Return hypothesis settings for tests over function-scoped fixtures, the same examples on every run."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def for_each(name: str, choices: list[str], **others):
    """Decorate a hypothesis test with an explicit example for each of `choices` (as argument `name`)."""

    def decorate(test):
        for choice in choices:
            test = example(**{name: choice}, **others)(test)
        return test

    return decorate


HOSTILE = ["' OR '1'='1", "1; DROP TABLE articles; --", '" OR 1=1 --', "1 UNION SELECT password_hash FROM users"]
HOSTILE += ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
HOSTILE += ["<svg onload=alert(1)>", "[x](javascript:alert(1))", "../../etc/passwd", "..\\..\\windows\\win.ini"]
HOSTILE += ["%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//evil.example", "/\\evil.example", "%s%s%s%n", "{0.__class__}"]
HOSTILE += ["{{7*7}}", "%(password)s", "\x00", "a\x00b", "\r\nSet-Cookie: planted=1", "\u202e\u200b\ufeff"]
HOSTILE += ["title:x AND (body:y OR NOT", '"unclosed', "*?~^", "Title | BMJ | 2019 | doi:10.1136/x"]
HOSTILE += ["T | S | 20199 | javascript:alert(1)", "a|b|c|d|e", "[]", "null"]
hostile = st.sampled_from(HOSTILE)
long_text = st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(100, 3000))
control_text = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=20)
# Past SQLite's and PostgreSQL's integers; digits int() refuses or isdigit() misjudges; things int() reads anyway.
OVERFLOWING = [2**31, 2**63, 10**30, -(2**63) - 1]
ODD_DIGITS = ["1" * 5000, "²", "١٢", "１２", "0x1f", "1_000", " 7 ", "+3", "1e309", "NaN", "-0"]
numbers = st.one_of(st.sampled_from(OVERFLOWING), st.sampled_from(ODD_DIGITS), st.integers(), st.floats()).map(str)
value = st.one_of(
    st.text(max_size=30), hostile, numbers, long_text, control_text, st.sampled_from(["", " ", "y", "1", "on"])
)
ids = st.integers(-1, 12).map(str) | numbers | value
datetimes = st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")) | value
emails = st.emails().map(str) | st.sampled_from([f"{role.value}@example.org" for role in Role])
# The fields of the category and tag forms, and of the user form.
TAXONOMY_FIELDS = ["name", "slug", "description", "submit", "merge-target", "merge-confirm", "delete-confirm"]
USER_FIELDS = ["email", "name", "role", "password", "active", "submit"]


def changes(names: list[str], **plausible) -> st.SearchStrategy[dict[str, list[str]]]:
    """Strategy: some fields (or unknown names) removed, given once or given twice, with hostile values."""

    def values(name: str) -> st.SearchStrategy[list[str]]:
        return st.lists(plausible.get(name, st.nothing()) | value, max_size=2)

    known = st.sampled_from(names).flatmap(lambda name: st.tuples(st.just(name), values(name)))
    unknown = st.tuples(st.text(max_size=8), st.lists(value, max_size=2))
    return st.lists(known | unknown, max_size=5).map(dict)


def overlay(fields: dict[str, str], changed: dict[str, list[str]]) -> MultiDict:
    """Return a browser's submission of `fields` with `changed` fields replaced (an empty list removes one)."""
    data = MultiDict(fields)
    for name, values in changed.items():
        if name != "csrf_token":  # a wrong token is its own test
            data.setlist(name, values)
    return data


def has_nul(data: MultiDict) -> bool:
    """Tell whether a field name or value holds a NUL character (which the app refuses with 400)."""
    return any("\x00" in key or "\x00" in item for key, item in data.items(multi=True))


def fresh_name() -> str:
    """Return a name no category, tag or article has yet."""
    return f"Source {secrets.token_hex(4)}"


def snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table in a stable order, once index work started by a commit has finished."""
    get_index().wait_for_retry(5)
    with db.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


def assert_storable(rows: dict[str, list[tuple]]) -> None:
    """Fail on a string PostgreSQL would refuse (too long for its column, or with a NUL) that SQLite kept."""
    for table in db.metadata.sorted_tables:
        for position, column in enumerate(table.columns):
            limit = column.type.length if isinstance(column.type, String) else None
            for row in rows[table.name]:
                cell = row[position]
                if isinstance(cell, str):
                    assert "\x00" not in cell, (table.name, column.name)
                    assert limit is None or len(cell) <= limit, (table.name, column.name, len(cell))


def assert_refusal_kept_everything(response, before) -> bool:
    """Return whether the submission was accepted (a redirect); if it was refused, the database is unchanged."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    event(f"status {response.status_code}")
    after = snapshot()
    if response.status_code in (301, 302, 303):
        assert_storable(after)
        return True
    assert after == before, response.status_code
    return False


INJECTED = re.compile(r"<script>alert|<img src=x onerror|<svg onload|href=\"javascript:|<[^>]+\son\w+=", re.I)


def assert_nothing_injected(response) -> None:
    """Fail if a hostile value came back as live markup in an HTML page."""
    if response.mimetype == "text/html":
        assert not INJECTED.search(response.get_data(as_text=True))


def assert_shown(client, response, text: str) -> None:
    """Check an accepted form: the page it sends the browser to shows what was stored, escaped."""
    assert str(escape(text)) in client.get(response.location).get_data(as_text=True)


def signed_in(role: str):
    """Return a fixture: the client signed in as `role` (in a module, it replaces conftest's, which gives the user)."""

    @pytest.fixture
    def fixture(client, team, login):
        login(team[role].email)
        return client

    return fixture


def unseeded_segment_names():
    """Return an autouse fixture: Whoosh names new index segments from OS entropy, not from the `random` module."""

    @pytest.fixture(autouse=True)
    def fixture(monkeypatch):
        # Hypothesis seeds `random` alike before every example, so each save would pick the segment name the
        # previous one took and overwrite its files.
        monkeypatch.setattr(whoosh.util, "random", random.SystemRandom())

    return fixture


def published_site():
    """Return a fixture: a few published articles readers can page through, filter and search (gives `publish`)."""

    @pytest.fixture
    def fixture(publish):
        for number in range(4):
            publish(f"Sleep and treatment {number}", "Body about sleep and pain.", tags=["sleep", "pain"])
        get_index().wait_for_retry(5)
        return publish

    return fixture
