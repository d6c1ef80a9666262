"""The Makefile's two commands: `make serve` installs only what serving needs, `make test` adds the test tools."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def planned_commands(target: str, tmp_path: Path) -> str:
    """Return what `make TARGET` would run on a fresh clone (a virtual environment that does not exist yet)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    command = ["make", "--dry-run", "--always-make", target, f"VENV={tmp_path / 'venv'}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout


def test_serve_installs_the_project_without_the_test_tools(tmp_path):
    """A newcomer serving the site does not wait for Playwright, hypothesis or the Nu checker."""
    commands = planned_commands("serve", tmp_path)
    assert "pip install --quiet -c constraints.txt -e ." in commands
    assert "[test]" not in commands and "npm ci" not in commands and "apt-get" not in commands
    assert "flask --app blogapp run" in commands


def test_test_and_lint_install_the_test_extra(tmp_path):
    """`make test` and `make lint` bring the test extra (pytest, ruff, import-linter) before using it."""
    for target in ("test", "lint"):
        assert "pip install --quiet -c constraints.txt -e '.[test]'" in planned_commands(target, tmp_path)
