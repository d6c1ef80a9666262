"""Accessibility in a real browser: axe-core on every page type, keyboard focus, and the search combobox.

axe-core (pinned in package.json, installed by `make test` with `npm ci`) is injected with `page.evaluate`,
which DevTools runs outside the page's Content-Security-Policy: the site's own CSP (script-src 'self') stays
in force for everything else, so a page that needs an inline script still fails.
"""

import json
import re
from pathlib import Path

import pytest
from conftest import PASSWORD
from live_site import ROOT, screenshot, sign_in
from site_pages import PAGES, page_path

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Keep only what a failure message needs: the rule, its help and each failing element with axe's summary.
RUN_AXE = """async () => {
  const results = await axe.run(document);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""
# The focused element's visible size and the styles that draw a focus indicator; it is kept in a list so that
# the same styles can be read again once focus has moved on.
FOCUS_STATE = """el => {
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), name: (el.innerText || el.value || el.id || "").trim().slice(0, 40),
    visible: box.width > 1 && box.height > 1 && el.checkVisibility({visibilityProperty: true})
      && box.bottom > 0 && box.top < innerHeight,
    indicator: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(" "),
  };
}"""
FOCUS_STEP = f"""() => {{
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  (window.__focused = window.__focused || []).push(el);
  return ({FOCUS_STATE})(el);
}}"""
AT_REST = f"""() => {{
  document.activeElement.blur();
  return (window.__focused || []).map(el => ({FOCUS_STATE})(el).indicator);
}}"""


def axe_source() -> str:
    """Return axe-core's script, or fail with the command that installs it."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {ROOT} (`make test` does)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Inject axe-core into the page and return its violations (WCAG 2.x A/AA and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE)


def describe(violations: list[dict]) -> str:
    """Format axe violations for a failure message: rule, impact, help and the failing elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def open_page(page, live_site, name: str):
    """Sign in if the page needs it, go to it and wait until its scripts have run."""
    site_page = PAGES[name]
    if site_page.role:
        sign_in(page, live_site.emails[site_page.role], PASSWORD)
    response = page.goto(page_path(live_site.app, site_page))
    page.wait_for_load_state("load")
    return response


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(page, live_site, name):
    """Every page type passes axe-core's default rules in light and dark, logs no console error, shows focus."""
    response = open_page(page, live_site, name)
    assert response.status == (404 if name == "not-found" else 200)
    for scheme in ("light", "dark"):  # prefers-color-scheme, on the same page without loading it again
        page.emulate_media(color_scheme=scheme)
        violations = axe_violations(page)
        assert not violations, f"axe: {len(violations)} violation(s) in {scheme} on {page.url}:\n{describe(violations)}"
    errors = [e for e in page.watch.console_errors if name != "not-found" or "404" not in e]
    assert not errors and not page.watch.page_errors, (errors, page.watch.page_errors)
    states = tab_through(page, 60)
    assert states, "Tab reached nothing"
    assert_focus_visible(states)


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or `limit` presses; return each focused element's state.

    Each state also holds `rest`: the same element's indicator styles once focus has moved on.
    """
    states = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STEP)
        if state is None:
            break
        states.append(state)
    for state, rest in zip(states, page.evaluate(AT_REST), strict=True):
        state["rest"] = rest
    return states


def assert_focus_visible(states: list[dict]) -> None:
    """Assert that each focused element was on screen and looked different from when it was not focused."""
    hidden = [s for s in states if not s["visible"]]
    assert not hidden, f"focus went to elements not visible on screen: {hidden}"
    unmarked = [s for s in states if s["indicator"] == s["rest"]]
    assert not unmarked, f"no visible focus indicator on: {unmarked}"


def test_home_page_keyboard_focus_is_visible_and_skip_link_works(page, live_site):
    """Tab reaches every control on the home page with a visible indicator; the skip link jumps to the main content."""
    page.goto("/")
    states = tab_through(page, 80)
    assert states[0]["name"] == "Skip to content"
    assert {"Latest", "Topics", "site-search", "Search"} <= {s["name"] for s in states}
    assert any(s["name"].startswith("Older") for s in states) or len(states) > 10
    assert_focus_visible(states)

    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert inside_main, "after the skip link, Tab should reach the first link of the main content"


def test_editor_keyboard_focus_is_visible_and_form_submits_by_keyboard(page, live_site):
    """In the editor every field and button gets a visible focus; an article is saved with the keyboard only."""
    sign_in(page, live_site.emails["editor"], PASSWORD)
    page.goto("/admin/articles/new")
    states = tab_through(page, 120)
    names = [s["name"] for s in states]
    assert names.index("title") < names.index("body") < names.index("Save")
    assert_focus_visible(states)

    page.goto("/admin/articles/new")
    tab_to(page, "title")
    page.keyboard.type("Typed without a mouse")
    tab_to(page, "body")
    page.keyboard.type("Every field reached with Tab.")
    tab_to(page, "category")
    page.keyboard.press("ArrowDown")  # from "Choose a category" to the first category
    assert page.evaluate("document.activeElement.value") != ""
    tab_to(page, "save")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/edit"), screenshot(page, "keyboard-save")
    assert page.get_by_role("heading", level=1).inner_text() == "Edit “Typed without a mouse”"


def tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with `element_id` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def combobox_state(page) -> dict:
    """Return the ARIA state of the header search combobox and its listbox."""
    return page.evaluate(
        """() => {
      const input = document.getElementById("site-search");
      const list = document.getElementById(input.getAttribute("aria-controls"));
      const status = input.form.querySelector("[role=status][aria-live=polite]");
      return {
        role: input.getAttribute("role"), expanded: input.getAttribute("aria-expanded"),
        active: input.getAttribute("aria-activedescendant"), listRole: list && list.getAttribute("role"),
        listVisible: !!list && list.checkVisibility(),
        options: [...(list ? list.querySelectorAll("[role=option]") : [])]
          .map(o => [o.id, o.textContent, o.getAttribute("aria-selected")]),
        status: status ? status.textContent : null,
      };
    }"""
    )


def test_search_suggestions_work_by_keyboard_and_are_announced(page, live_site):
    """Type, walk the suggestions with the arrow keys, close with Escape, open the chosen one with Enter."""
    page.goto("/")
    tab_to(page, "site-search")
    page.keyboard.type("migr")
    page.locator("#site-search[aria-expanded=true]").wait_for()
    state = combobox_state(page)
    assert (state["role"], state["listRole"], state["listVisible"]) == ("combobox", "listbox", True)
    assert state["active"] is None
    count = len(state["options"])
    assert count >= 2 and all("migraine" in text.lower() for _, text, _ in state["options"])
    assert state["status"].startswith(f"{count} suggestions")
    assert not axe_violations(page), describe(axe_violations(page))

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    state = combobox_state(page)
    assert state["active"] == state["options"][1][0]
    assert [selected for _, _, selected in state["options"]][:2] == ["false", "true"]
    page.keyboard.press("ArrowUp")
    state = combobox_state(page)
    assert state["active"] == state["options"][0][0]

    page.keyboard.press("Escape")
    state = combobox_state(page)
    assert (state["expanded"], state["listVisible"], state["active"]) == ("false", False, None)
    assert page.evaluate("document.getElementById('site-search').value") == "migr"

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = combobox_state(page)["options"][1][1]
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/**")
    assert page.get_by_role("heading", level=1).inner_text() == chosen


def test_axe_source_is_the_pinned_version():
    """The injected axe-core is the version package-lock.json pins (npm ci installed it, not something else)."""
    lock = json.loads(Path(ROOT, "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    assert f"axe v{pinned}" in axe_source()[:200]


def test_recent_posts_show_relative_times_over_absolute_dates(page, live_site):
    """The sidebar's dates turn into "N units ago" (whole units), keeping the server's absolute date as a tooltip."""
    page.goto(PAGES["article"].path)
    times = page.locator(".recent time[data-relative]")
    assert times.count() > 0
    for index in range(times.count()):
        text, title = times.nth(index).inner_text(), times.nth(index).get_attribute("title")
        assert re.fullmatch(r"\d+ (minute|hour|day|week|month|year)s? ago", text), text
        assert re.search(r"\d{4}", title), title
    # The demo's ketamine article was published 14 hours before the site was loaded: whole hours, not "1 day".
    ketamine = page.locator(".recent li", has=page.locator('a[href="/articles/does-ketamine-help-migraines/"]'))
    assert ketamine.locator("time").inner_text() == "14 hours ago"
