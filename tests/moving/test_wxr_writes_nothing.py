"""WordPress imports that write nothing: broken exports, files that are not WXR, and dry runs."""

import pytest
from wordpress_exports import WPI, counts, needs_shared_exports, run

pytestmark = needs_shared_exports


@pytest.mark.parametrize(
    "name, message",
    [
        ("phpunit_data_malformed.xml", "invalid WXR version 'abc'"),
        ("phpunit_data_malformed-simple.xml", "not well-formed XML (line"),
        ("phpunit_data_invalid-version-tag.xml", "invalid WXR version 'abc'"),
        ("phpunit_data_missing-version-tag.xml", "wp:wxr_version is missing"),
        # Nested CDATA is not well-formed XML; WordPress's regex parser reads it, a real XML parser cannot.
        ("phpunit_data_crazy-cdata.xml", "not well-formed XML (line 18)"),
    ],
)
def test_broken_fixture_is_rejected_and_nothing_written(runner, ctx, name, message):
    result = run(runner, WPI / name)
    assert result.exit_code == 1 and "Nothing imported" in result.output and message in result.output
    assert set(counts().values()) == {0}


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not XML at all", "not well-formed XML"),
        ("<html><body>hi</body></html>", "root element is <html>"),
        (
            '<rss version="2.0"><channel><title>Feed</title><item><title>A</title></item></channel></rss>',
            "RSS feed, not a WordPress export",
        ),
    ],
)
def test_non_wxr_file_is_rejected(runner, ctx, tmp_path, content, message):
    path = tmp_path / "other.xml"
    path.write_text(content)
    result = run(runner, path)
    assert result.exit_code == 1 and message in result.output, result.output
    assert set(counts().values()) == {0}


def test_dry_run_writes_nothing(runner, ctx):
    result = run(runner, WPI / "phpunit_data_small-export.xml", "--dry-run")
    assert result.exit_code == 0 and "Would import 6 posts" in result.output
    assert "inactive users created: 3" in result.output
    assert set(counts().values()) == {0}
