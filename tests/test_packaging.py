"""`pip install .` gives a package that runs outside the checkout: templates, static files and migrations inside."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the project's wheel as `pip install .` would."""
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return next(folder.glob("blogapp-*.whl"))


def _checkout_files(folder: str) -> set[str]:
    return {path.relative_to(ROOT / folder).as_posix() for path in (ROOT / folder).rglob("*") if path.is_file()}


def test_the_wheel_holds_every_package_template_static_file_and_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = find_namespace_packages(str(ROOT), include=["blogapp", "blogapp.*"])
    for package in (p for p in packages if (ROOT / p.replace(".", "/") / "__init__.py").is_file()):
        assert f"{package.replace('.', '/')}/__init__.py" in names, f"{package} is missing from setup.cfg's packages"
    for folder in ("templates", "static", "migrations"):
        wanted = {name for name in _checkout_files(folder) if not name.endswith(("README", ".pyc"))}
        assert {f"blogapp/{folder}/{name}" for name in wanted} <= names, folder
    assert "blogapp/search/synonyms.txt" in names and "blogapp/moving/demo/categories.toml" in names


def test_the_installed_package_sets_up_and_serves_a_site_from_elsewhere(wheel, tmp_path):
    target, elsewhere = tmp_path / "site-packages", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(pip, check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target), "BLOGAPP_SECRET_KEY": '"a-secret-key-for-this-test-only"'}
    env.pop("DATABASE_URL", None)
    for command in (["init"], ["seed-demo"]):
        flask = [sys.executable, "-m", "flask", "--app", "blogapp", *command]
        result = subprocess.run(flask, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    serve = (
        "import blogapp; app = blogapp.create_app(); client = app.test_client()\n"
        "print(blogapp.__file__, app.instance_path)\n"
        "for url in ('/', '/articles/does-ketamine-help-migraines/', '/search?q=migraine', '/static/style.css'):\n"
        "    print(url, client.get(url).status_code)\n"
    )
    result = subprocess.run([sys.executable, "-c", serve], cwd=elsewhere, env=env, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    module, instance = lines[0].split()
    # Nothing from the checkout: the installed code, and Flask's instance folder for an installed package.
    assert module == str(target / "blogapp" / "__init__.py") and instance.startswith(str(tmp_path)), lines[0]
    assert [line.rsplit(" ", 1)[1] for line in lines[1:]] == ["200"] * 4, lines
