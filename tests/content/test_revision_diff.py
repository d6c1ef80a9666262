"""Differences between two revisions: complete and in order, whatever the size of the articles."""

from hypothesis import given, settings
from hypothesis import strategies as st

from blogapp.content import revisions
from blogapp.content.revisions import diff

LINES = st.lists(st.sampled_from(["", "Intro.", "## Dosage", "Take it daily.", "- one", "- two", "Sources."]))


def sides(lines) -> tuple[list[str], list[str]]:
    """Return the old and the new text a whole-context diff shows."""
    old = [line.text for line in lines if line.kind in ("same", "removed")]
    new = [line.text for line in lines if line.kind in ("same", "added")]
    return old, new


@settings(max_examples=300, deadline=None)
@given(LINES, LINES)
def test_a_diff_with_all_its_context_is_both_revisions(old, new):
    lines = diff(old, new, context=len(old) + len(new))
    assert all(line.kind != "gap" for line in lines)
    assert sides(lines) == (old, new) if old != new else lines == []


def test_changes_are_shown_with_three_lines_around_them():
    old = [f"Paragraph {n}." for n in range(20)]
    new = [*old[:10], "A new paragraph.", *old[11:]]
    assert [(line.kind, line.text) for line in diff(old, new)] == [
        *[("same", f"Paragraph {n}.") for n in (7, 8, 9)],
        ("removed", "Paragraph 10."),
        ("added", "A new paragraph."),
        *[("same", f"Paragraph {n}.") for n in (11, 12, 13)],
    ]


def test_a_rewritten_long_article_is_compared_in_full():
    # Quadratic for difflib (seconds); bench/revision_diff.py times it. Coarser past the deadline, never incomplete.
    old = [line for n in range(1200) for line in (f"Old paragraph {n} about dosing.", "")]
    new = [line for n in range(1200) for line in (f"New paragraph {n} about dosing.", "")]
    lines = diff(old, new, context=len(old) + len(new))
    assert sides(lines) == (old, new)
    assert {"removed", "added"} <= {line.kind for line in lines}


def test_what_a_huge_revision_leaves_out_is_said():
    old, new = ["a", "b", ""] * 100_000, ["b", "", "c"] * 100_000
    lines = diff(old, new)
    assert len(lines) == revisions.MAX_SHOWN_LINES + 2
    assert [line.text for line in lines[-2:]] == [
        f"Only the first {revisions.MAX_SHOWN_LINES:,} lines of the difference are shown.",
        f"Only the first {revisions.MAX_COMPARED_LINES:,} lines of each revision are compared.",
    ]
    assert {line.kind for line in lines[-2:]} == {"cut"}
