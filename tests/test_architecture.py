"""The house rules hold: one-way layers and no cycles (import-linter), every per-worker cache declared."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blogapp import caches

ROOT = Path(__file__).resolve().parent.parent
# What keeps values between requests: each module holding one must declare it in blogapp/caches.py's registry.
CACHE_MAKERS = re.compile(r"\blru_cache\b|functools\.cache\b|\bOrderedDict\(|WeakKeyDictionary|threading\.local\(")


def _lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the project's contracts on the copy of the package in `folder`."""
    executable = Path(sys.executable).with_name("lint-imports")  # installed with the test extra, in the venv
    return subprocess.run([str(executable), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120)


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """Copy the package and its contracts (setup.cfg) where a test may break them."""
    shutil.copytree(ROOT / "blogapp", tmp_path / "blogapp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    return tmp_path


def _add_line(path: Path, after: str, line: str) -> None:
    text = path.read_text()
    assert after in text, f"{after!r} not in {path}"
    path.write_text(text.replace(after, f"{after}\n{line}", 1))


def test_the_package_keeps_its_layers_and_has_no_cycles(package_copy):
    result = _lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_an_import_against_the_layers_is_refused(package_copy):
    _add_line(package_copy / "blogapp/content/slugs.py", "from ..extensions import db", "from ..serving import health")
    result = _lint_imports(package_copy)
    assert result.returncode != 0
    assert "blogapp.content is not allowed to import blogapp.serving" in result.stdout


def test_a_cycle_inside_a_package_is_refused(package_copy):
    # The index tells related lists what changed through a listener; calling them directly closes a loop.
    _add_line(
        package_copy / "blogapp/search/related.py", "from .schema import CONTENT", "from .index import SearchIndex"
    )
    _add_line(package_copy / "blogapp/search/index.py", "from . import check, writer", "from . import related")
    result = _lint_imports(package_copy)
    assert result.returncode != 0
    assert "No cycles are allowed in blogapp.search" in result.stdout


def test_every_module_that_keeps_values_between_requests_declares_its_cache():
    undeclared = []
    for path in sorted((ROOT / "blogapp").rglob("*.py")):
        text = path.read_text()
        if path.name != "caches.py" and CACHE_MAKERS.search(text) and "caches." not in text:
            undeclared.append(str(path.relative_to(ROOT)))
    assert not undeclared, f"caches not declared in blogapp/caches.py's registry: {undeclared}"


def test_flask_caches_lists_every_declared_cache_with_its_bound_and_what_clears_it(runner):
    output = runner.invoke(args=["caches"]).output
    declared = caches.declared()
    assert len(declared) >= 15
    for info in declared:
        assert f"{info.name}\n  holds: {info.holds}\n  bound: {info.bound}\n  cleared by: {info.cleared_by}" in output


def test_a_cache_name_cannot_be_declared_twice_with_other_words():
    first = caches.declared()[0]
    assert caches.declare(first.name, holds=first.holds, bound=first.bound, cleared_by=first.cleared_by) == first
    with pytest.raises(ValueError, match="declared twice"):
        caches.declare(first.name, holds="something else", bound=first.bound, cleared_by=first.cleared_by)
