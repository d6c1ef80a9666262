"""static/site.js under Node: each age in a table turns into the words a reader expects, at every boundary.

The script runs unchanged in a `vm` context with a stand-in `document` holding one <time> per age and a fixed
clock, so the test sees exactly what a browser would write into the page.
"""

import json
import shutil
import subprocess

import pytest
from live_site import ROOT

NOW_MS = 1_796_000_000_000  # a fixed "now" (December 2026)
MINUTE, HOUR, DAY = 60, 3600, 86400
# (age in seconds, words): the ones marked "old" were shown wrongly when site.js rounded to the nearest unit.
AGES = [
    (0, "just now"),
    (59, "just now"),
    (60, "1 minute ago"),
    (90, "1 minute ago"),  # old: "2 minutes ago"
    (59 * MINUTE + 59, "59 minutes ago"),  # old: "1 hour ago"
    (HOUR, "1 hour ago"),
    (13 * HOUR, "13 hours ago"),  # old: "1 day ago"
    (14 * HOUR, "14 hours ago"),  # old: "1 day ago"
    (DAY - 1, "23 hours ago"),  # old: "1 day ago"
    (DAY, "1 day ago"),
    (DAY + 23 * HOUR, "1 day ago"),  # old: "2 days ago"
    (4 * DAY, "4 days ago"),  # old: "1 week ago"
    (7 * DAY - 1, "6 days ago"),  # old: "1 week ago"
    (7 * DAY, "1 week ago"),
    (16 * DAY, "2 weeks ago"),  # old: "1 month ago"
    (29 * DAY, "4 weeks ago"),  # old: "1 month ago"
    (30 * DAY, "1 month ago"),
    (59 * DAY, "1 month ago"),  # old: "2 months ago"
    (190 * DAY, "6 months ago"),  # old: "1 year ago"
    (364 * DAY, "12 months ago"),  # old: "1 year ago"
    (365 * DAY, "1 year ago"),
    (729 * DAY, "1 year ago"),  # old: "2 years ago"
    (730 * DAY, "2 years ago"),
    (-3 * HOUR, "in 3 hours"),
    (-10 * DAY, "in 1 week"),
]
HARNESS = """
const fs = require("fs"), vm = require("vm");
const [script, now, ages] = [process.argv[1], Number(process.argv[2]), JSON.parse(process.argv[3])];
const nodes = ages.map(age => ({
  title: "", textContent: "1 December 2026",
  getAttribute: () => new Date(now - age * 1000).toISOString(),
}));
class FixedDate extends Date { static now() { return now; } }
const context = {
  Date: FixedDate, isNaN, setInterval: () => 0,
  document: {readyState: "complete", querySelectorAll: () => nodes},
};
vm.runInNewContext(fs.readFileSync(script, "utf8"), context);
console.log(JSON.stringify(nodes.map(n => [n.textContent, n.title])));
"""


def run_site_js(ages: list[int]) -> list[list[str]]:
    """Run static/site.js over <time> stand-ins of the given ages; return each one's (text, title)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (make test installs it with the test tools)")
    script = str(ROOT / "static" / "site.js")
    result = subprocess.run(
        [node, "-e", HARNESS, script, str(NOW_MS), json.dumps(ages)],
        capture_output=True, text=True, timeout=30, check=True,
    )
    return json.loads(result.stdout)


def test_relative_times_count_whole_units_at_every_boundary():
    """Each age shows the whole units elapsed: 14 hours is "14 hours ago", 29 days "4 weeks ago"."""
    shown = run_site_js([age for age, _ in AGES])
    assert [text for text, _ in shown] == [words for _, words in AGES]


def test_relative_times_keep_the_absolute_date_as_title():
    """The date the server wrote stays available as the element's title (a tooltip)."""
    shown = run_site_js([14 * HOUR])
    assert shown == [["14 hours ago", "1 December 2026"]]
